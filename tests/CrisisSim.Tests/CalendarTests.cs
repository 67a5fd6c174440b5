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
    /// <summary>Timers and messages over very different time scales (ties, sub-microsecond gaps, jumps of days, timers
    /// never due): the same order whatever the calendar's bucket width and however often it is tuned, and the order of a
    /// plain sorted calendar.</summary>
    [Theory]
    [InlineData(1e-3, 4096)]
    [InlineData(1, 4096)]
    [InlineData(1e4, 4096)]
    [InlineData(1e-3, 4)]
    [InlineData(1, 16)]
    [InlineData(1e4, 4)]
    public void Buckets_of_any_width_keep_the_order_of_a_sorted_calendar(double inverseWidth, int tuneEvery)
    {
        var expected = PlayScales(new SortedCalendar());
        Assert.True(expected.Count > 20_000);
        Assert.Equal(expected, PlayScales(new Calendar(inverseWidth, tuneEvery)));
    }

    private static List<(double Time, long Id)> PlayScales(IOutbox c)
    {
        var rng = new CrisisSim.Model.Randomness.RandomStream(5);
        var order = new List<(double, long)>();
        long id = 0;
        double Delay(double now) => (int)(rng.NextDouble() * 8) switch
        {
            0 => 0,
            1 => Math.Floor(rng.NextDouble() * 3),
            2 => rng.NextDouble() * 1e-6,
            3 => rng.NextDouble() * 86_400 * 30,
            4 => rng.NextExponential(60),
            5 => rng.NextDouble() < 0.01 ? double.PositiveInfinity : rng.NextExponential(0.02),
            _ => rng.NextExponential(1),
        };
        for (var i = 0; i < 200; i++)
        {
            c.SetTimer(1 + Delay(0), new Message(MessageKind.NextArrival, 0, id++));
        }
        while (Next(c, out var now, out var m))
        {
            order.Add((now, m.CallId));
            if (id > 30_000 || double.IsPositiveInfinity(now))
            {
                continue;
            }
            for (var k = (int)(rng.NextDouble() * 2.2); k >= 0; k--)
            {
                var next = new Message(MessageKind.NextArrival, 0, id++);
                switch ((int)(rng.NextDouble() * 3))
                {
                    case 0:
                        c.Send(next);
                        break;
                    case 1:
                        c.SetTimerInTurn(now + Delay(now), next);
                        break;
                    default:
                        c.SetTimer(now + Delay(now), next);
                        break;
                }
            }
        }
        return order;
    }

    private static bool Next(IOutbox c, out double now, out Message m) =>
        c is Calendar calendar ? calendar.TryNext(out now, out m) : ((SortedCalendar)c).TryNext(out now, out m);

    /// <summary>The calendar's rules over a sorted set: the yardstick for its buckets.</summary>
    private sealed class SortedCalendar : IOutbox
    {
        private readonly SortedSet<(double Time, long Sequence)> _timers = [];
        private readonly Dictionary<long, Message> _messages = [];
        private readonly Queue<(double At, Message Message)> _now = new();
        private long _sequence;
        private double _time;

        public void Send(in Message message)
        {
            _sequence++;
            _now.Enqueue((double.NaN, message));
        }

        public void SetTimerInTurn(double at, in Message message)
        {
            _sequence++;
            _now.Enqueue((at, message));
        }

        public void SetTimer(double at, in Message message)
        {
            if (at == _time)
            {
                Send(message);
                return;
            }
            Assert.True(at > _time);
            _timers.Add((at, _sequence));
            _messages.Add(_sequence++, message);
        }

        public bool TryNext(out double time, out Message message)
        {
            while (true)
            {
                if (_timers.Count > 0 && (_now.Count == 0 || _timers.Min.Time <= _time))
                {
                    var first = _timers.Min;
                    _timers.Remove(first);
                    message = _messages[first.Sequence];
                    _messages.Remove(first.Sequence);
                    _time = first.Time;
                }
                else if (_now.Count > 0)
                {
                    var (at, m) = _now.Dequeue();
                    if (!double.IsNaN(at))
                    {
                        SetTimer(at, m);
                        continue;
                    }
                    message = m;
                }
                else
                {
                    time = _time;
                    message = default;
                    return false;
                }
                time = _time;
                return true;
            }
        }
    }
}
