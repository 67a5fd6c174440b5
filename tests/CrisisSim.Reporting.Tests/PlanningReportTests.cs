using System.Globalization;
using System.Text.Json;
using CrisisSim.Planning;
using CrisisSim.Testing;

namespace CrisisSim.Reporting.Tests;

/// <summary>The planning files written by Reporting from Planning's results: the files named, and the same bytes under
/// any culture.</summary>
public sealed class PlanningReportTests(ReportRun fixture) : IClassFixture<ReportRun>, IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly SweepGrid Grid = new([SweepAxis.Parse("serviceLevel.threshold=20s,1m", "--set")]);

    private IReadOnlyList<SweepPoint> Points() => [.. Enumerable.Range(0, Grid.Count).Select(p => Sweep.Summarize(p, Grid.Point(p), fixture.Run))];

    private (ExportTarget Target, string Table, string Warnings) WriteSweep()
    {
        var target = new ExportTarget(Directory.CreateDirectory(Path.Combine(_temp.Path, "sweep-" + Guid.NewGuid().ToString("N")[..8])).FullName);
        using var table = new StringWriter();
        using var warnings = new StringWriter();
        SweepReport.WriteTable(Points(), Grid, table);
        SweepReport.WriteFiles(Points(), Grid, "covid-hotline", 7, fixture.Run.ReplicationCount, "name: covid-hotline\n", target, warnings);
        return (target, table.ToString(), warnings.ToString());
    }

    [FactWithFonts]
    public void A_sweep_writes_its_table_csv_json_scenario_and_charts()
    {
        var (target, table, warnings) = WriteSweep();
        Assert.Equal("", warnings);
        string[] charts = [.. SweepCharts.Kpis.SelectMany(k => new[] { $"charts/sweep-{k.Replace('_', '-')}.png", $"charts/sweep-{k.Replace('_', '-')}.svg" })];
        Assert.Equal([SweepReport.CsvFile, SweepReport.JsonFile, ScenarioCopy.FileName, .. charts], target.Files);
        Assert.Equal("name: covid-hotline\n", File.ReadAllText(target.PathOf(ScenarioCopy.FileName)));
        var csv = File.ReadAllText(target.PathOf(SweepReport.CsvFile)).Split('\n');
        Assert.Equal(4, csv.Length); // header, two points, and the empty string after the last \n
        Assert.StartsWith("point,serviceLevel.threshold,agent_hours,cost,intervals_below_target,offered_mean,", csv[0]);
        Assert.StartsWith("1,1m,", csv[2]);
        using var json = JsonDocument.Parse(File.ReadAllBytes(target.PathOf(SweepReport.JsonFile)));
        Assert.Equal(["serviceLevel.threshold"], json.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal("20s", json.RootElement.GetProperty("points")[0].GetProperty("values").GetProperty("serviceLevel.threshold").GetString());
        Assert.Contains("serviceLevel.threshold", table);
        Assert.Contains("Overall KPIs after the warm-up", table);
    }

    [FactWithFonts]
    public void A_sweep_writes_the_same_files_and_table_under_another_culture()
    {
        var saved = CultureInfo.CurrentCulture;
        (ExportTarget Target, string Table, string Warnings) french, invariant;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("fr-FR");
            french = WriteSweep();
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            invariant = WriteSweep();
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
        Assert.Equal(invariant.Table, french.Table);
        Assert.Equal(invariant.Target.Files, french.Target.Files);
        foreach (var name in invariant.Target.Files)
        {
            Assert.True(File.ReadAllBytes(invariant.Target.PathOf(name)).SequenceEqual(File.ReadAllBytes(french.Target.PathOf(name))), $"{name} depends on the culture");
        }
    }
}
