using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;
using CrisisSim.Scenarios;

namespace CrisisSim.Planning;

/// <summary>One point of a sweep: its settings and the KPIs its run gave (overall, after the warm-up).</summary>
/// <param name="AgentHours">Operator-hours on duty over the horizon, every group (see <see cref="GroupTerms.OnDutyHours"/>).</param>
/// <param name="Cost">Agent-hours of each group times its cost per hour.</param>
/// <param name="IntervalsBelowTarget">Intervals (after the warm-up, with calls offered) whose mean service level is
/// below the scenario's <c>serviceLevel.target</c>.</param>
public sealed record SweepPoint(
    int Index,
    IReadOnlyList<ScenarioSetting> Settings,
    string ScenarioName,
    KpiEstimates Overall,
    IReadOnlyList<string> GroupNames,
    double AgentHours,
    double Cost,
    int IntervalsBelowTarget,
    double Target);

/// <summary>A grid of scenario variants, each run with the same seed and replications (common random numbers: the
/// differences between points come from the settings, not from the random numbers).</summary>
public static class Sweep
{
    /// <summary>Loads every point once, so that a bad value stops the sweep before any simulation (a
    /// <see cref="ScenarioException"/> naming the file, the key and the setting).</summary>
    public static void Validate(string yamlText, string path, SweepGrid grid, Action<int>? checkedPoint = null)
    {
        for (var p = 0; p < grid.Count; p++)
        {
            ScenarioSettings.Parse(yamlText, path, grid.Point(p));
            checkedPoint?.Invoke(p);
        }
    }

    public static async Task<IReadOnlyList<SweepPoint>> RunAsync(
        string yamlText, string path, SweepGrid grid, IReplicationHost host, long seed, int replications,
        IProgress<PlanProgress>? progress, CancellationToken cancellationToken)
    {
        var points = Enumerable.Range(0, grid.Count)
            .Select(p => new PlanPoint(() => ScenarioSettings.Parse(yamlText, path, grid.Point(p))))
            .ToList();
        var results = new List<SweepPoint>(grid.Count);
        await ReplicationPipeline.RunPointsAsync(host, points, seed, replications, done => results.Add(Summarize(done.Index, grid.Point(done.Index), done.Run)), progress, cancellationToken);
        return results;
    }

    public static SweepPoint Summarize(int index, IReadOnlyList<ScenarioSetting> settings, RunResult run)
    {
        var s = run.Scenario;
        var hours = s.Groups.Select(g => GroupTerms.OnDutyHours(s, g)).ToArray();
        var cost = s.Groups.Select((g, i) => hours[i] * GroupTerms.CostPerHour(g)).Sum();
        return new SweepPoint(index, settings, s.Name, run.Overall, [.. s.Groups.Select(g => g.Name)], hours.Sum(), cost,
            IntervalsBelow(run, s.ServiceLevel.Target), s.ServiceLevel.Target);
    }

    /// <summary>Counted intervals (after the warm-up) with calls whose mean service level is below
    /// <paramref name="target"/>.</summary>
    public static int IntervalsBelow(RunResult run, double target)
    {
        var first = KpiValues.FirstCountedInterval(run.Scenario);
        var below = 0;
        for (var k = first; k < run.Scenario.IntervalCount; k++)
        {
            var kpis = run.Intervals[k].Kpis;
            var sl = kpis.Scalars[KpiCatalog.ServiceLevel].Mean;
            if (kpis.Scalars[KpiCatalog.Offered].Mean > 0 && !double.IsNaN(sl) && sl < target - 1e-12)
            {
                below++;
            }
        }
        return below;
    }
}
