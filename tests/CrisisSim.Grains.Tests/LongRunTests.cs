using System.Diagnostics;
using CrisisSim.Engine;
using CrisisSim.Model.Scenario;
using CrisisSim.Reporting;
using CrisisSim.Testing;

namespace CrisisSim.Grains.Tests;

/// <summary>Replications that last much longer than the silo's response timeout: no grain call of a run lasts long,
/// so they complete with the inline engine's result (on the default 30 s timeout, a long replication used to fail
/// with "Response did not arrive on time").</summary>
[Collection(ClusterCollection.Name)]
public sealed class LongRunTests
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Workload W's rates (50 calls/s, 3,100 operators): about 4 s per million calls on the inline engine
    /// here, and some 5 to 10 s per 200,000 calls on the model grains.</summary>
    private static ScenarioDefinition W(int intervals, double intervalSeconds) =>
        TestScenarios.Single(50, 60, 3100, 120, 20, intervalSeconds: intervalSeconds, intervals: intervals, name: "long-w");

    [Fact]
    public Task A_replication_grain_outlasting_the_response_timeout_completes_with_the_inline_result() =>
        AssertLongRunMatchesInline(W(intervals: 40, intervalSeconds: 3600), modelGrains: false);

    [Fact]
    public Task A_model_grain_run_outlasting_the_response_timeout_completes_with_the_inline_result() =>
        AssertLongRunMatchesInline(W(intervals: 12, intervalSeconds: 1800), modelGrains: true);

    private static async Task AssertLongRunMatchesInline(ScenarioDefinition scenario, bool modelGrains)
    {
        using var host = await EmbeddedSilo.StartAsync(new EmbeddedSiloOptions { EnvironmentName = "Development", ResponseTimeout = ShortTimeout });
        var factory = host.GrainFactory();
        var clock = Stopwatch.StartNew();
        var grains = modelGrains
            ? await GrainRunner.RunModelGrainsAsync(factory, scenario, 3, 1)
            : await GrainRunner.RunReplicationsAsync(factory, scenario, 3, 1);
        var elapsed = clock.Elapsed;
        await host.StopAsync();
        Assert.True(elapsed > 2 * ShortTimeout, $"The replication took {elapsed.TotalSeconds:F1} s: too short to prove anything against a {ShortTimeout.TotalSeconds} s timeout");
        Assert.Equal(SummaryJson.ToText(SimulationRunner.RunInline(scenario, 3, 1)), SummaryJson.ToText(grains));
    }
}
