using CrisisSim.Engine;

namespace CrisisSim.Tests;

/// <summary>The pipeline's admission by estimated bytes: first come first served, one always admitted.</summary>
public sealed class MemoryGateTests
{
    [Fact]
    public async Task Waiters_are_admitted_in_order_when_what_they_need_fits()
    {
        var gate = new MemoryGate(100);
        await gate.EnterAsync(60, CancellationToken.None);
        var second = gate.EnterAsync(60, CancellationToken.None);
        var third = gate.EnterAsync(10, CancellationToken.None);
        Assert.False(second.IsCompleted);
        // The small one fits but waits behind the earlier one: first come, first served.
        Assert.False(third.IsCompleted);

        gate.Leave(60);
        await second.WaitAsync(TimeSpan.FromSeconds(10));
        await third.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(70, gate.Held);
    }

    [Fact]
    public async Task One_larger_than_the_budget_runs_alone()
    {
        var gate = new MemoryGate(100);
        await gate.EnterAsync(500, CancellationToken.None);
        var next = gate.EnterAsync(1, CancellationToken.None);
        Assert.False(next.IsCompleted);
        gate.Leave(500);
        await next.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, gate.Held);
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_line_and_lets_the_next_in()
    {
        var gate = new MemoryGate(100);
        await gate.EnterAsync(90, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var big = gate.EnterAsync(50, cancel.Token);
        var small = gate.EnterAsync(10, CancellationToken.None);
        Assert.False(small.IsCompleted);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => big);
        await small.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(100, gate.Held);
    }
}
