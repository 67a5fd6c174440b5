using CrisisSim.Engine;
using CrisisSim.Model.Components;

namespace CrisisSim.Tests;

public sealed class CalendarTests
{
    private static Message M(int id) => new(MessageKind.NextArrival, id);

    [Fact]
    public void Delivers_in_time_then_posting_order()
    {
        var c = new Calendar();
        c.SetTimer(5, M(1));
        c.SetTimer(2, M(2));
        c.SetTimer(5, M(3));
        c.SetTimer(2, M(4));
        var order = new List<(double, int)>();
        while (c.TryNext(out var t, out var m))
        {
            order.Add((t, m.Target));
        }
        Assert.Equal([(2.0, 2), (2.0, 4), (5.0, 1), (5.0, 3)], order);
    }

    [Fact]
    public void A_message_sent_now_comes_after_what_was_already_due_now()
    {
        var c = new Calendar();
        c.SetTimer(1, M(1));
        c.SetTimer(1, M(2));
        Assert.True(c.TryNext(out _, out var first));
        Assert.Equal(1, first.Target);
        c.Send(M(3));         // posted at t=1 after timer 2 was posted: delivered after it
        c.SetTimer(1, M(4));  // due now: behaves as a message
        c.SetTimer(1.5, M(5));
        var rest = new List<int>();
        while (c.TryNext(out _, out var m))
        {
            rest.Add(m.Target);
        }
        Assert.Equal([2, 3, 4, 5], rest);
    }

    /// <summary>A timer set in turn gives exactly the order of a message whose receiver sets the timer on delivery,
    /// ties included, and is not counted as a delivery.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_timer_set_in_turn_keeps_the_order_of_a_message_that_sets_it(int seed)
    {
        var viaMessage = Play(seed, inTurn: false);
        var inTurn = Play(seed, inTurn: true);
        Assert.Equal(viaMessage.Order, inTurn.Order);
        Assert.Equal(viaMessage.Delivered - viaMessage.Relays, inTurn.Delivered);
    }

    /// <summary>Random timers and messages on a coarse time grid (many ties); target 0 relays a timer: as a message to
    /// target 1 that sets it when delivered, or as a timer set in turn.</summary>
    private static (List<(double Time, int Target, long Id)> Order, long Delivered, int Relays) Play(int seed, bool inTurn)
    {
        var random = new Random(seed);
        var c = new Calendar();
        var order = new List<(double, int, long)>();
        var relays = 0;
        long id = 0;
        c.SetTimer(0, new Message(MessageKind.NextArrival, 2, id++));
        while (c.TryNext(out var now, out var m))
        {
            if (m.Target == 1)
            {
                relays++;
                c.SetTimer(now + m.Value, m with { Target = 2 });
                continue;
            }
            order.Add((now, m.Target, m.CallId));
            if (id > 2_000)
            {
                continue;
            }
            for (var k = random.Next(4); k > 0; k--)
            {
                var delay = random.Next(3);
                switch (random.Next(3))
                {
                    case 0:
                        c.SetTimer(now + delay, new Message(MessageKind.NextArrival, 2, id++));
                        break;
                    case 1:
                        c.Send(new Message(MessageKind.NextArrival, 2, id++));
                        break;
                    default:
                        if (inTurn)
                        {
                            c.SetTimerInTurn(now + delay, new Message(MessageKind.NextArrival, 2, id++));
                        }
                        else
                        {
                            c.Send(new Message(MessageKind.NextArrival, 1, id++, Value: delay));
                        }
                        break;
                }
            }
        }
        return (order, c.Delivered, relays);
    }

    [Fact]
    public void A_timer_in_the_past_is_refused()
    {
        var c = new Calendar();
        c.SetTimer(10, M(1));
        Assert.True(c.TryNext(out _, out _));
        Assert.Throws<InvalidOperationException>(() => c.SetTimer(9, M(2)));
    }

    [Fact]
    public void Matches_a_sorted_reference_on_random_input()
    {
        var rng = new CrisisSim.Model.Randomness.RandomStream(3);
        var c = new Calendar();
        var reference = new List<(double Time, long Seq, int Id)>();
        long seq = 0;
        for (var i = 0; i < 5000; i++)
        {
            var t = Math.Floor(rng.NextDouble() * 100);
            c.SetTimer(t + 1, M(i));
            reference.Add((t + 1, seq++, i));
        }
        var expected = reference.OrderBy(x => x.Time).ThenBy(x => x.Seq).Select(x => x.Id).ToArray();
        var actual = new List<int>();
        while (c.TryNext(out _, out var m))
        {
            actual.Add(m.Target);
        }
        Assert.Equal(expected, actual);
    }
}
