using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;
using CrisisSim.Scenarios;

namespace CrisisSim.Testing;

/// <summary>The crisis library (scenarios/library) and the checks every one of its scenarios must pass on every host.</summary>
internal static class ScenarioLibrary
{
    public static string Folder => Path.Combine(Repo.Scenarios, "library");

    /// <summary>The library's scenario files, by file name.</summary>
    public static IEnumerable<string> Files() =>
        Directory.EnumerateFiles(Folder, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static ScenarioDefinition Load(string file) => ScenarioLoader.LoadFile(Path.Combine(Folder, file));

    /// <summary>Every offered call ends exactly once, per interval and call type, and the call log holds each once; answered
    /// calls were answered by a group serving their type, and no time runs backwards.</summary>
    public static long AssertConservation(ScenarioDefinition s, Recorder r)
    {
        var log = r.CallLog ?? throw new InvalidOperationException("The call log was not kept");
        var logged = log.CountBy(x => (Interval: r.IntervalOf(x.ArrivalTime), x.CallType)).ToDictionary();
        long offered = 0;
        for (var k = 0; k < r.IntervalCount; k++)
        {
            for (var t = 0; t < r.CallTypeCount; t++)
            {
                var c = r.Calls(k, t);
                Assert.True(c.Offered == c.Ended, $"{s.Name}: interval {k}, {s.CallTypes[t].Name}: {c.Offered} offered, {c.Ended} ended");
                Assert.Equal(c.Offered, logged.GetValueOrDefault((k, t)));
                offered += c.Offered;
            }
        }
        Assert.Equal(offered, log.Count);
        Assert.Equal(log.Count, log.Select(x => x.CallId).Distinct().Count());
        foreach (var c in log)
        {
            // A transferred leg arrives when the service before it ends, possibly after the horizon.
            Assert.InRange(c.ArrivalTime, 0, s.HorizonSeconds + s.DrainSeconds);
            Assert.True(c.WaitEnd >= c.ArrivalTime && c.EndTime >= c.WaitEnd, $"{s.Name}: call {c.CallId} ends before it starts");
            if (c.Outcome == CallOutcome.Answered)
            {
                Assert.Contains(s.CallTypes[c.CallType].Name, s.Groups[c.Group].Serves);
            }
            else
            {
                Assert.Equal(-1, c.Group);
            }
        }
        return offered;
    }

    /// <summary>Rates and shares are fractions (where defined), times are non-negative, and calls were offered and
    /// answered.</summary>
    public static void AssertSaneKpis(ScenarioDefinition s, RunResult run)
    {
        var o = run.Overall;
        Assert.True(o["offered"].Mean > 0, $"{s.Name}: no call offered");
        Assert.True(o["answered"].Mean > 0, $"{s.Name}: no call answered");
        foreach (var share in new[] { "service_level", "abandonment_rate", "blocking_rate", "deflection_rate", "balking_rate", "closed_rate", "callers_served_share", "outbound_in_time_rate" })
        {
            if (o[share].Count > 0)
            {
                Assert.InRange(o[share].Mean, 0, 1);
            }
        }
        foreach (var time in new[] { "asa", "mean_wait", "p90_wait", "aht" })
        {
            Assert.True(o[time].Mean >= 0, $"{s.Name}: {time} = {o[time].Mean}");
        }
        Assert.All(o.OccupancyByGroup.Where(e => e.Count > 0), e => Assert.InRange(e.Mean, 0, 1));
        Assert.Equal(o["offered"].Mean, o["unique_callers"].Mean + o["redial_attempts"].Mean + o["transfers_in"].Mean, 6);
    }
}
