using CrisisSim.Analytics;
using CrisisSim.Benchmarks;
using Xunit.Abstractions;

namespace CrisisSim.Tests;

/// <summary>The benchmarks' reference loop does the whole M/M/n+M work: its steady state agrees with Erlang A, so the
/// engine is timed against a loop that answers, queues and abandons calls as the engine does.</summary>
public sealed class ReferenceLoopTests(ITestOutputHelper output)
{
    private const double Level = 0.999;

    [Theory]
    [InlineData("w-small", 30)]
    [InlineData("w", 8)]
    public void The_reference_loop_agrees_with_erlang_a(string name, int replications)
    {
        var workload = ReferenceWorkload.Named(name) with { WarmupSeconds = 1800 };
        var loop = new ReferenceLoop(20261207);
        var runs = Enumerable.Range(0, replications).Select(_ => loop.Run(workload)).ToArray();
        var exact = ErlangA.Compute(
            new QueueParameters(workload.CallsPerSecond, workload.MeanHandleSeconds, workload.Operators),
            workload.MeanPatienceSeconds,
            workload.ThresholdSeconds);
        var counted = workload.HorizonSeconds - workload.WarmupSeconds;

        Check("SL", [.. runs.Select(r => r.ServiceLevel)], exact.ServiceLevel);
        Check("abandonment", [.. runs.Select(r => r.AbandonmentRate)], exact.ProbabilityOfAbandonment);
        Check("mean wait", [.. runs.Select(r => r.MeanWait)], exact.MeanWaitSeconds);
        Check("ASA", [.. runs.Select(r => r.AverageSpeedOfAnswer)], exact.AverageSpeedOfAnswerSeconds);
        Check("occupancy", [.. runs.Select(r => r.BusySeconds / (workload.Operators * counted))], exact.Occupancy);
        Check("offered per second", [.. runs.Select(r => r.Offered / counted)], workload.CallsPerSecond);
        Assert.All(runs, r =>
        {
            // Every call ends one way; an answered call takes two events, a call that waits one more.
            Assert.Equal(r.Offered, r.Answered + r.Abandoned + r.Unserved);
            Assert.InRange(r.Events, 2 * r.Offered, 3 * r.Offered + 20_000);
        });
    }

    private void Check(string name, double[] replications, double exact)
    {
        var ci = ConfidenceInterval.FromSamples(replications, Level);
        output.WriteLine($"{name}: reference loop {ci.Mean:G6} ± {ci.HalfWidth:G3} (99.9 %), exact {exact:G6}");
        Assert.True(Math.Abs(ci.Mean - exact) <= ci.HalfWidth, $"{name}: {ci.Mean} ± {ci.HalfWidth} does not contain exact {exact}");
    }
}
