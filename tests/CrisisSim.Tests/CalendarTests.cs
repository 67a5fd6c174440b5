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
