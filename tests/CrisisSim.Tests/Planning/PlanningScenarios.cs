using CrisisSim.Model.Scenario;

namespace CrisisSim.Tests.Planning;

/// <summary>Scenarios built in code for the planning tests: one call type, exponential handle time and patience (an
/// Erlang A queue in every interval), half-hour intervals.</summary>
internal static class PlanningScenarios
{
    public static ScenarioDefinition Queue(IReadOnlyList<double> callsPerInterval, int staffing, double handle = 180, double patience = 300, double threshold = 20, double target = 0.8) => new()
    {
        Name = "planning-test",
        IntervalSeconds = 1800,
        IntervalCount = callsPerInterval.Count,
        DrainSeconds = 3600,
        ServiceLevel = new ServiceLevelSpec(threshold, target),
        CallTypes = [new CallTypeSpec("calls", callsPerInterval, new ExponentialSpec(patience), new ExponentialSpec(handle))],
        Groups = [new OperatorGroupSpec("agents", ["calls"], [.. Enumerable.Repeat(staffing, callsPerInterval.Count)], null)],
    };

    /// <summary>A day of 12 half hours whose arrival rate follows a sine wave between 50 and 350 calls per half hour.</summary>
    public static IReadOnlyList<double> Sine(int intervals = 12) =>
        [.. Enumerable.Range(0, intervals).Select(k => 200 + 150 * Math.Sin(2 * Math.PI * k / intervals))];

    /// <summary>The YAML text of a one-group scenario with the given calls per interval.</summary>
    public static string Yaml(string name, IReadOnlyList<double> calls, int staffing, string extra = "") =>
        $$"""
        name: {{name}}
        interval: 30m
        intervals: {{calls.Count}}
        drain: 1h
        serviceLevel: { threshold: 20s, target: 0.8 }
        callTypes:
          - name: calls
            arrivals:
              callsPerInterval: [{{string.Join(", ", calls.Select(c => c.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}}]
            patience: { dist: exponential, mean: 5m }
            handleTime: { dist: exponential, mean: 3m }
        groups:
          - name: agents
            serves: [calls]
            # operators on duty
            staffing: {{staffing}}
        {{extra}}
        """;
}
