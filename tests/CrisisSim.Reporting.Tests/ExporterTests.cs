using System.Globalization;
using System.Text;
using System.Text.Json;
using CrisisSim.Engine;

namespace CrisisSim.Reporting.Tests;

/// <summary>Every format writes what README.md's result files section documents, with invariant culture and
/// <c>\n</c> line ends; <c>--format</c> names select them.</summary>
public sealed class ExporterTests(ReportRun fixture) : IClassFixture<ReportRun>, IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string[] Names(IEnumerable<IExporter>? exporters) => [.. exporters!.Select(e => e.Name)];

    [Fact]
    public void Format_names_select_exporters_and_run_and_scenario_are_always_written()
    {
        Assert.Equal(["summary", "intervals", "replications", "charts", "report", "run", "scenario"], Names(Exporters.Select(null, out _)));
        Assert.Equal(["summary", "intervals", "replications", "charts", "report", "run", "scenario"], Names(Exporters.Select([], out _)));
        Assert.Equal(["summary", "replications", "run", "scenario"], Names(Exporters.Select(["summary"], out _)));
        Assert.Equal(["intervals", "replications", "calls", "run", "scenario"], Names(Exporters.Select(["CALLS, intervals", "calls"], out _)));
        Assert.Equal(["summary", "intervals", "replications", "calls", "charts", "report", "run", "scenario"], Names(Exporters.Select(["all"], out _)));
        Assert.Equal(["summary", "intervals", "calls", "charts", "report"], Exporters.Selectable);
        Assert.Null(Exporters.Select(["summary,pdf"], out var error));
        Assert.Equal("--format: unknown format 'pdf'; the formats are summary, intervals, calls, charts, report (or all).", error);
        Assert.Null(Exporters.Select(["run"], out error)); // always written, so not a choice
        Assert.Contains("'run'", error);
        Assert.Equal(Exporters.All.Count, Exporters.All.Select(e => e.Name).Distinct().Count());
    }

    [Fact]
    public void Every_format_writes_its_documented_files_with_unix_line_ends_and_no_byte_order_mark()
    {
        var target = fixture.ExportAll(_temp.Path);
        string[] charts = [.. RunCharts.Names.SelectMany(n => new[] { $"charts/{n}.png", $"charts/{n}.svg" })];
        Assert.Equal(["summary.json", "intervals.csv", "replications.csv", "calls.csv", .. charts, "report.html", "run.json", "scenario.yaml"], target.Files);
        var onDisk = Directory.GetFiles(target.Folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(target.Folder, f).Replace(Path.DirectorySeparatorChar, '/')).Order(StringComparer.Ordinal);
        Assert.Equal(target.Files.Order(StringComparer.Ordinal), onDisk);
        foreach (var name in target.Files.Where(f => !f.EndsWith(".png", StringComparison.Ordinal) && f != "scenario.yaml"))
        {
            var bytes = File.ReadAllBytes(target.PathOf(name));
            Assert.False(bytes.Contains((byte)'\r'), $"{name} has a carriage return");
            Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble), $"{name} starts with a byte order mark");
            if (!name.EndsWith(".json", StringComparison.Ordinal))
            {
                Assert.Equal((byte)'\n', bytes[^1]);
            }
        }
        Assert.Equal(File.ReadAllBytes(fixture.ScenarioPath), File.ReadAllBytes(target.PathOf("scenario.yaml")));
    }

    [Fact]
    public void Summary_json_has_the_documented_keys_and_is_what_SummaryJson_writes()
    {
        var target = fixture.ExportAll(_temp.Path);
        var text = File.ReadAllText(target.PathOf("summary.json"));
        Assert.Equal(SummaryJson.ToText(fixture.Run), text);
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        Assert.Equal(["scenario", "seed", "replications", "intervalSeconds", "intervals", "warmupSeconds", "firstCountedInterval", "serviceLevelThresholdSeconds", "routing", "overall", "callTypes", "intervals"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal([.. KpiValues.Names, "occupancy", "operator_hours", "cost", "operator_hours_total", "cost_total"], root.GetProperty("overall").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["teleadvisors", "backup"], root.GetProperty("overall").GetProperty("occupancy").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["teleadvisors", "backup"], root.GetProperty("overall").GetProperty("operator_hours").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["teleadvisors", "backup"], root.GetProperty("overall").GetProperty("cost").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["mean", "ci95", "n"], root.GetProperty("overall").GetProperty("cost_total").EnumerateObject().Select(p => p.Name));
        Assert.Equal([.. KpiValues.Names], root.GetProperty("callTypes").GetProperty("info").EnumerateObject().Select(p => p.Name).Where(n => n != "occupancy"));
        Assert.Equal(["mean", "ci95", "n"], root.GetProperty("overall").GetProperty("service_level").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["symptoms", "info"], root.GetProperty("callTypes").EnumerateObject().Select(p => p.Name));
        var interval = root.EnumerateObject().Last().Value[3];
        Assert.Equal(["index", "startSeconds", "endSeconds", "kpis"], interval.EnumerateObject().Select(p => p.Name));
        Assert.Equal(fixture.Run.Intervals[3].Kpis["offered"].Mean, interval.GetProperty("kpis").GetProperty("offered").GetProperty("mean").GetDouble());
    }

    [Fact]
    public void Intervals_csv_has_the_documented_columns_and_rows()
    {
        var target = fixture.ExportAll(_temp.Path);
        var lines = File.ReadAllText(target.PathOf("intervals.csv")).Split('\n')[..^1];
        var expected = new List<string> { "interval", "clock", "start_s", "end_s" };
        foreach (var name in KpiValues.Names)
        {
            expected.AddRange([name + "_mean", name + "_ci95"]);
        }
        expected.AddRange(["occupancy_teleadvisors_mean", "occupancy_teleadvisors_ci95", "occupancy_backup_mean", "occupancy_backup_ci95"]);
        expected.AddRange(["operator_hours_teleadvisors_mean", "operator_hours_teleadvisors_ci95", "operator_hours_backup_mean", "operator_hours_backup_ci95"]);
        expected.AddRange(["cost_teleadvisors_mean", "cost_teleadvisors_ci95", "cost_backup_mean", "cost_backup_ci95"]);
        expected.AddRange(["operator_hours_total_mean", "operator_hours_total_ci95", "cost_total_mean", "cost_total_ci95"]);
        Assert.Equal(expected, lines[0].Split(','));
        Assert.Equal(20 + 2, lines.Length);
        Assert.StartsWith("0,09:00,0,1800,", lines[1]);
        Assert.StartsWith("all,09:00,0,36000,", lines[^1]);
        Assert.All(lines, l => Assert.Equal(expected.Count, l.Split(',').Length));
        var writer = new StringWriter { NewLine = "\n" };
        IntervalsCsv.Write(fixture.Run, writer);
        Assert.Equal(writer.ToString(), File.ReadAllText(target.PathOf("intervals.csv")));
    }

    [Fact]
    public void The_call_log_streamed_replication_by_replication_is_the_whole_log()
    {
        var streamed = new ExportTarget(Path.Combine(_temp.Path, "streamed"));
        var calls = new CallsCsv();
        using (var writer = calls.Begin(fixture.Run.Scenario, streamed)!)
        {
            foreach (var replication in fixture.Run.Replications)
            {
                writer.Add(replication);
            }
        }
        calls.Export(fixture.Report(), streamed); // already written during the run: left as it is
        var whole = new StringWriter { NewLine = "\n" };
        CallsCsv.Write(fixture.Run, whole);
        var text = File.ReadAllText(streamed.PathOf("calls.csv"));
        Assert.Equal(whole.ToString(), text);
        var lines = text.Split('\n')[..^1];
        Assert.Equal(CallsCsv.Header, lines[0]);
        Assert.Equal(fixture.Run.Replications.Sum(r => r.Records.CallLog!.Count) + 1, lines.Length);
        Assert.All(lines, l => Assert.Equal(13, l.Split(',').Length));
        Assert.Equal(["replication", "call_id", "call_type", "arrival_s", "outcome", "wait_s", "end_s", "group", "operator", "caller", "attempt", "leg", "acw_end_s"], lines[0].Split(','));
    }

    [Fact]
    public void Replications_csv_has_one_row_per_replication_streamed_or_not()
    {
        var streamed = new ExportTarget(Path.Combine(_temp.Path, "streamed"));
        var file = new ReplicationsFile();
        using (var writer = file.Begin(fixture.Run.Scenario, streamed)!)
        {
            foreach (var replication in fixture.Run.Replications)
            {
                writer.Add(RunAccumulator.Measure(fixture.Run.Scenario, replication, keepRecords: false));
            }
        }
        var kept = fixture.ExportAll(_temp.Path);
        var text = File.ReadAllText(streamed.PathOf(ReplicationsCsv.FileName));
        Assert.Equal(File.ReadAllText(kept.PathOf(ReplicationsCsv.FileName)), text);
        var lines = text.Split('\n')[..^1];
        Assert.Equal(["replication", .. KpiValues.Names, "occupancy_teleadvisors", "occupancy_backup", "operator_hours_teleadvisors", "operator_hours_backup",
            "cost_teleadvisors", "cost_backup", "operator_hours_total", "cost_total"], lines[0].Split(','));
        Assert.Equal(1 + 3, lines.Length);
        Assert.Equal(["0", "1", "2"], lines[1..].Select(l => l.Split(',')[0]));
    }

    [Fact]
    public void Run_json_has_the_documented_keys()
    {
        var target = fixture.ExportAll(_temp.Path);
        using var json = JsonDocument.Parse(File.ReadAllBytes(target.PathOf("run.json")));
        Assert.Equal(["host", "replications", "events", "elapsedSeconds", "processors", "version", "scenarioSha256"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("process/inline", json.RootElement.GetProperty("host").GetString());
        Assert.Equal(1.25, json.RootElement.GetProperty("elapsedSeconds").GetDouble());
        Assert.Equal("9.8.7+test", json.RootElement.GetProperty("version").GetString());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(fixture.ScenarioPath))),
            json.RootElement.GetProperty("scenarioSha256").GetString());
        Assert.Equal(fixture.Run.Events, json.RootElement.GetProperty("events").GetInt64());
    }

    [Fact]
    public void Every_file_is_the_same_under_another_culture()
    {
        var saved = CultureInfo.CurrentCulture;
        ExportTarget french, invariant;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("fr-FR");
            french = fixture.ExportAll(_temp.Path);
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            invariant = fixture.ExportAll(_temp.Path);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
        Assert.Equal(invariant.Files, french.Files);
        foreach (var name in invariant.Files)
        {
            Assert.True(File.ReadAllBytes(invariant.PathOf(name)).SequenceEqual(File.ReadAllBytes(french.PathOf(name))), $"{name} depends on the culture");
        }
    }
}
