using System.Diagnostics;
using CrisisSim.Engine;
using CrisisSim.Model.Scenario;

var w = Single("w", 50, 60, 3100, 120, 900, 8);
var ws = Single("w-small", 1, 180, 190, 300, 1800, 16);
foreach (var s in new[] { ws, w })
{
    for (var i = 0; i < 30; i++)
    {
        InlineEngine.RunReplication(s, 1, i);
    }
    var sw = Stopwatch.StartNew();
    long calls = 0;
    const int n = 20;
    for (var i = 0; i < n; i++)
    {
        var r = InlineEngine.RunReplication(s, 42, i);
        calls += (long)KpiValues.From(r.Records, 0, s.IntervalCount - 1).Offered;
    }
    sw.Stop();
    Console.WriteLine($"{s.Name}: {sw.Elapsed.TotalMilliseconds / n:F1} ms/rep, {calls / sw.Elapsed.TotalSeconds:F0} calls/s, peak WS {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB");
}

static ScenarioDefinition Single(string name, double rate, double aht, int agents, double patience, double interval, int intervals) => new()
{
    Name = name,
    IntervalSeconds = interval,
    IntervalCount = intervals,
    ServiceLevel = new ServiceLevelSpec(20),
    CallTypes = [new CallTypeSpec("calls", [.. Enumerable.Repeat(rate * interval, intervals)], new ExponentialSpec(patience), new ExponentialSpec(aht))],
    Groups = [new OperatorGroupSpec("agents", ["calls"], [.. Enumerable.Repeat(agents, intervals)], null)],
};
