using CrisisSim.Model.Scenario;

namespace CrisisSim.Tests;

/// <summary>Scenarios built in code for tests that need exact control of every parameter.</summary>
internal static class TestScenarios
{
    /// <summary>One call type, one group, stationary load.</summary>
    public static ScenarioDefinition Single(
        double callsPerSecond,
        double meanHandleSeconds,
        int agents,
        double? meanPatienceSeconds,
        double thresholdSeconds,
        double intervalSeconds = 3600,
        int intervals = 10,
        double warmupSeconds = 3600,
        string name = "single")
    {
        return new ScenarioDefinition
        {
            Name = name,
            IntervalSeconds = intervalSeconds,
            IntervalCount = intervals,
            WarmupSeconds = warmupSeconds,
            ServiceLevel = new ServiceLevelSpec(thresholdSeconds),
            CallTypes =
            [
                new CallTypeSpec(
                    "calls",
                    [.. Enumerable.Repeat(callsPerSecond * intervalSeconds, intervals)],
                    meanPatienceSeconds is { } p ? new ExponentialSpec(p) : null,
                    new ExponentialSpec(meanHandleSeconds)),
            ],
            Groups = [new OperatorGroupSpec("agents", ["calls"], [.. Enumerable.Repeat(agents, intervals)], null)],
        };
    }

    /// <summary>Two call types with priority, two groups (one of them serving both), staffing that changes every interval
    /// and every kind of distribution: exercises every path of the router.</summary>
    public static ScenarioDefinition Mixed(int intervals = 8, double drainSeconds = 4 * 3600) => new()
    {
        Name = "mixed",
        IntervalSeconds = 900,
        IntervalCount = intervals,
        DrainSeconds = drainSeconds,
        ServiceLevel = new ServiceLevelSpec(30),
        Routing = RoutingPolicyKind.Priority,
        CallTypes =
        [
            new CallTypeSpec("info", [.. Enumerable.Range(0, intervals).Select(k => 150.0 + 60 * (k % 3))], new LogNormalSpec(120, 90), new GammaSpec(240, 120)),
            new CallTypeSpec("urgent", [.. Enumerable.Range(0, intervals).Select(k => k == 2 ? 0.0 : 40.0)], new EmpiricalSpec([20, 60, 180, 400]), new DeterministicSpec(300), Priority: 5),
        ],
        Groups =
        [
            new OperatorGroupSpec("generalists", ["info", "urgent"], [.. Enumerable.Range(0, intervals).Select(k => 20 + 6 * (k % 4) - (k == 5 ? 15 : 0))], null),
            new OperatorGroupSpec("nurses", ["urgent"], [.. Enumerable.Range(0, intervals).Select(k => k % 2 == 0 ? 6 : 2)], new ExponentialSpec(360)),
        ],
    };
}
