using CrisisSim.Testing;
using CrisisSim.Analytics;
using CrisisSim.Engine;
using CrisisSim.Model.Scenario;
using CrisisSim.Scenarios;
using MathNet.Numerics.Distributions;
using Xunit.Abstractions;

namespace CrisisSim.Tests;

/// <summary>The simulated steady state agrees with the exact Erlang C and Erlang A formulas.</summary>
/// <remarks>Each KPI is the mean over independent replications (after the warm-up); the test accepts the exact value
/// when it lies within the 99.9 % Student-t confidence interval of that mean (a 0.1 % false-alarm rate per check,
/// so a whole class of ~40 checks stays reliable). The 90th-percentile wait is read from a histogram with 1.6 %
/// wide bins, so its tolerance adds 1 % of the exact value.</remarks>
public sealed class ErlangValidationTests(ITestOutputHelper output)
{
    private const double Level = 0.999;

    [Fact]
    public void Erlang_c_textbook_scenario()
    {
        var scenario = ScenarioLoader.LoadFile(Repo.Scenario("erlang-c-textbook.yaml"));
        var exact = ErlangC.Compute(QueueParameters.FromInterval(100, 1800, 180, 14), 20);
        var sim = Simulate(scenario, replications: 30);
        Check("SL", sim.ServiceLevel, exact.ServiceLevel);
        Check("ASA", sim.Asa, exact.AverageSpeedOfAnswerSeconds);
        Check("mean wait", sim.MeanWait, exact.MeanWaitSeconds);
        Check("occupancy", sim.Occupancy, exact.Occupancy);
        Check("p90 wait", sim.P90Wait, exact.WaitPercentile90Seconds, 0.01);
        Assert.All(sim.Abandonment, a => Assert.Equal(0, a));
    }

    [Fact]
    public void Erlang_a_textbook_scenario()
    {
        var scenario = ScenarioLoader.LoadFile(Repo.Scenario("erlang-a-textbook.yaml"));
        var exact = ErlangA.Compute(QueueParameters.FromInterval(100, 1800, 180, 14), 300, 20);
        CheckErlangA(Simulate(scenario, replications: 30), exact);
    }

    [Fact]
    public void Erlang_c_heavy_load()
    {
        // 100 agents at 95 % utilisation: long waits, slow to settle, hence the 2 h warm-up.
        var scenario = TestScenarios.Single(95.0 / 180, 180, 100, null, 20, intervals: 8, warmupSeconds: 7200);
        var exact = ErlangC.Compute(new QueueParameters(95.0 / 180, 180, 100), 20);
        var sim = Simulate(scenario, replications: 40);
        Check("SL", sim.ServiceLevel, exact.ServiceLevel);
        Check("ASA", sim.Asa, exact.AverageSpeedOfAnswerSeconds);
        Check("occupancy", sim.Occupancy, exact.Occupancy);
        Check("p90 wait", sim.P90Wait, exact.WaitPercentile90Seconds, 0.01);
    }

    [Fact]
    public void Erlang_a_large_pool_heavy_load()
    {
        // 1,000 agents at 95 % offered utilisation, patience 2 min.
        var scenario = TestScenarios.Single(950.0 / 180, 180, 1000, 120, 10, intervalSeconds: 1800, intervals: 5, warmupSeconds: 1800);
        var exact = ErlangA.Compute(new QueueParameters(950.0 / 180, 180, 1000), 120, 10);
        CheckErlangA(Simulate(scenario, replications: 12), exact);
    }

    [Fact]
    public void Erlang_a_overloaded()
    {
        // More load than agents: only abandonment keeps the queue finite.
        var scenario = TestScenarios.Single(55.0 / 240, 240, 50, 90, 30, intervals: 6, warmupSeconds: 3600);
        var exact = ErlangA.Compute(new QueueParameters(55.0 / 240, 240, 50), 90, 30);
        CheckErlangA(Simulate(scenario, replications: 30), exact);
    }

    private void CheckErlangA(Kpis sim, ErlangAResult exact)
    {
        Check("SL", sim.ServiceLevel, exact.ServiceLevel);
        Check("ASA", sim.Asa, exact.AverageSpeedOfAnswerSeconds);
        Check("mean wait", sim.MeanWait, exact.MeanWaitSeconds);
        Check("abandonment", sim.Abandonment, exact.ProbabilityOfAbandonment);
        Check("occupancy", sim.Occupancy, exact.Occupancy);
        if (exact.WaitPercentile90Seconds > 0)
        {
            Check("p90 wait", sim.P90Wait, exact.WaitPercentile90Seconds, 0.01);
        }
    }

    private void Check(string name, double[] replications, double exact, double relativeAllowance = 0)
    {
        var ci = ConfidenceInterval.FromSamples(replications, Level);
        var tolerance = ci.HalfWidth + relativeAllowance * Math.Abs(exact);
        output.WriteLine($"{name}: simulated {ci.Mean:G6} ± {ci.HalfWidth:G3} (99.9 %), exact {exact:G6}");
        Assert.True(Math.Abs(ci.Mean - exact) <= tolerance,
            $"{name}: simulated {ci.Mean} ± {tolerance} does not contain exact {exact}");
    }

    private sealed record Kpis(double[] ServiceLevel, double[] Asa, double[] MeanWait, double[] P90Wait, double[] Abandonment, double[] Occupancy);

    private static Kpis Simulate(ScenarioDefinition scenario, int replications)
    {
        var run = SimulationRunner.RunInlineAsync(scenario, 20261128, replications, keepCallLog: false, maxParallelism: 0,
            new ReplicationSink(KeepReplications: true), CancellationToken.None).GetAwaiter().GetResult();
        var first = KpiValues.FirstCountedInterval(scenario);
        var k = run.Replications.Select(r => KpiValues.From(r.Records, first, scenario.IntervalCount - 1)).ToArray();
        return new Kpis(
            [.. k.Select(x => x.ServiceLevel)],
            [.. k.Select(x => x.AverageSpeedOfAnswer)],
            [.. k.Select(x => x.MeanWait)],
            [.. k.Select(x => x.P90Wait)],
            [.. k.Select(x => x.AbandonmentRate)],
            [.. k.Select(x => x.OccupancyByGroup[0])]);
    }
}
