using System.Text.Json;
using CrisisSim.Engine;
using CrisisSim.Model.Scenario;
using CrisisSim.Testing;

using CrisisSim.Reporting;

namespace CrisisSim.Tests;

/// <summary>Beyond <see cref="RunLimits.MaxGroupIntervalCells"/> intervals x groups, the groups' KPIs are estimated
/// overall only: the intervals carry none, and the files say so by their columns instead of holding a value per
/// interval and group.</summary>
public sealed class GroupIntervalLimitTests
{
    [Fact]
    public void Beyond_the_cell_limit_the_intervals_carry_no_groups_kpis_and_the_files_stay_consistent()
    {
        var mixed = TestScenarios.Mixed(10, drainSeconds: 3600);
        var groups = RunLimits.MaxGroupIntervalCells / mixed.IntervalCount + 1;
        var scenario = mixed with
        {
            Groups = [.. Enumerable.Range(0, groups).Select(g => new OperatorGroupSpec("g" + g, ["info", "urgent"], [.. Enumerable.Repeat(1, 10)], null))],
        };
        Assert.False(RunLimits.KeepsGroupIntervals(scenario));
        Assert.True(RunLimits.KeepsGroupIntervals(mixed));
        var run = SimulationRunner.RunInline(scenario, 5, 2);
        Assert.Equal(groups, run.Overall.OccupancyByGroup.Count);
        Assert.True(run.Overall.OperatorHours.Mean > 0);
        Assert.All(run.Intervals, i => Assert.Empty(i.Kpis.OccupancyByGroup));
        Assert.All(run.Intervals, i => Assert.Empty(i.Kpis.OperatorHoursByGroup));
        Assert.True(run.Intervals[3].Kpis["offered"].Mean > 0);

        var csv = new StringWriter { NewLine = "\n" };
        IntervalsCsv.Write(run, csv);
        var lines = csv.ToString().TrimEnd('\n').Split('\n');
        var header = lines[0].Split(',');
        Assert.DoesNotContain(header, h => h.StartsWith("occupancy_g", StringComparison.Ordinal));
        Assert.Contains("operator_hours_total_mean", header);
        Assert.All(lines, l => Assert.Equal(header.Length, l.Split(',').Length));
        Assert.Equal(12, lines.Length);

        using var summary = JsonDocument.Parse(SummaryJson.ToText(run));
        Assert.Equal(groups, summary.RootElement.GetProperty("overall").GetProperty("occupancy").EnumerateObject().Count());
        var first = summary.RootElement.GetProperty("intervals")[0].GetProperty("kpis");
        Assert.Empty(first.GetProperty("occupancy").EnumerateObject());
    }
}
