using CrisisSim.Engine;

namespace CrisisSim.Tests;

public sealed class EngineSmokeTests
{
    [Fact]
    public void Mixed_scenario_runs_and_every_call_ends()
    {
        var result = InlineEngine.RunReplication(TestScenarios.Mixed(), 1, 0, keepCallLog: true);
        Assert.NotNull(result.Records.CallLog);
        Assert.True(result.Records.CallLog!.Count > 1000);
    }
}
