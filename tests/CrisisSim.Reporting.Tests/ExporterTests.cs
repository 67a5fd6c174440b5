using System.Globalization;
using System.Text;
using System.Text.Json;
using CrisisSim.Engine;
using CrisisSim.Testing;

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

    [FactWithFonts]
    public void Every_format_writes_its_documented_files_with_unix_line_ends_and_no_byte_order_mark()
    {
        var target = fixture.ExportAll(_temp.Path);
        string[] charts = [.. RunCharts.Names.SelectMany(n => new[] { $"charts/{n}.png", $"charts/{n}.svg" })];
        Assert.Equal(["summary.json", "intervals.csv", "intervals-by-call-type.csv", "replications.csv", "calls.csv", .. charts, "report.html", "run.json", "scenario.yaml"], target.Files);
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

    [FactWithFonts]
    public void Summary_json_has_the_documented_keys_and_is_what_SummaryJson_writes()
    {
        var target = fixture.ExportAll(_temp.Path);
        var text = File.ReadAllText(target.PathOf("summary.json"));
        Assert.Equal(SummaryJson.ToText(fixture.Run), text);
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        Assert.Equal(["scenario", "seed", "replications", "intervalSeconds", "intervals", "warmupSeconds", "firstCountedInterval", "serviceLevelThresholdSeconds", "serviceLevelTarget", "routing", "overall", "callTypes", "intervals"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.8, root.GetProperty("serviceLevelTarget").GetDouble());
        Assert.Equal([.. KpiValues.Names, "occupancy", "operator_hours", "cost", "operator_hours_total", "cost_total", "on_duty", "on_duty_total"], root.GetProperty("overall").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["teleadvisors", "backup"], root.GetProperty("overall").GetProperty("on_duty").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["teleadvisors", "backup"], root.GetProperty("overall").GetProperty("occupancy").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["teleadvisors", "backup"], root.GetProperty("overall").GetProperty("operator_hours").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["teleadvisors", "backup"], root.GetProperty("overall").GetProperty("cost").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["mean", "ci95", "n"], root.GetProperty("overall").GetProperty("cost_total").EnumerateObject().Select(p => p.Name));
        Assert.Equal([.. KpiValues.Names], root.GetProperty("callTypes").GetProperty("info").EnumerateObject().Select(p => p.Name).Where(n => n != "occupancy"));
        Assert.Equal(["mean", "ci95", "n"], root.GetProperty("overall").GetProperty("service_level").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["symptoms", "info"], root.GetProperty("callTypes").EnumerateObject().Select(p => p.Name));
        var interval = root.EnumerateObject().Last().Value[3];
        Assert.Equal(["index", "startSeconds", "endSeconds", "belowTarget", "kpis", "callTypes"], interval.EnumerateObject().Select(p => p.Name));
        Assert.Equal(fixture.Run.Intervals[3].Kpis["offered"].Mean, interval.GetProperty("kpis").GetProperty("offered").GetProperty("mean").GetDouble());
        Assert.Equal(["symptoms", "info"], interval.GetProperty("callTypes").EnumerateObject().Select(p => p.Name));
        // A call type's KPI block is the same as in callTypes: the scalars (and an empty occupancy).
        Assert.Equal([.. KpiValues.Names, "occupancy"], interval.GetProperty("callTypes").GetProperty("info").EnumerateObject().Select(p => p.Name));
        Assert.Equal(fixture.Run.IntervalsByCallType[1][3].Kpis["offered"].Mean, interval.GetProperty("callTypes").GetProperty("info").GetProperty("offered").GetProperty("mean").GetDouble());
    }

    [Fact]
    public void Summary_json_per_interval_call_types_on_duty_and_below_target_agree_with_the_interval()
    {
        using var json = JsonDocument.Parse(SummaryJson.ToText(fixture.Run));
        var run = fixture.Run;
        var target = json.RootElement.GetProperty("serviceLevelTarget").GetDouble();
        var seconds = json.RootElement.GetProperty("intervalSeconds").GetDouble();
        var intervals = json.RootElement.GetProperty("intervals").EnumerateArray().ToList();
        Assert.Equal(run.Scenario.IntervalCount, intervals.Count);
        static double Mean(JsonElement kpis, string name) => kpis.GetProperty(name).GetProperty("mean").GetDouble();
        bool? below = null, above = null;
        foreach (var interval in intervals)
        {
            var kpis = interval.GetProperty("kpis");
            var types = interval.GetProperty("callTypes").EnumerateObject().Select(p => p.Value).ToList();
            foreach (var name in new[] { "offered", "answered", "abandoned", "unserved" })
            {
                Assert.Equal(Mean(kpis, name), types.Sum(t => Mean(t, name)), 9);
            }
            var level = Mean(kpis, "service_level");
            Assert.Equal(level < target, interval.GetProperty("belowTarget").GetBoolean());
            (level < target ? ref below : ref above) = true;
            foreach (var group in kpis.GetProperty("operator_hours").EnumerateObject())
            {
                Assert.Equal(group.Value.GetProperty("mean").GetDouble() * 3600 / seconds, kpis.GetProperty("on_duty").GetProperty(group.Name).GetProperty("mean").GetDouble(), 9);
            }
            Assert.Equal(Mean(kpis, "operator_hours_total") * 3600 / seconds, Mean(kpis, "on_duty_total"), 9);
        }
        Assert.True(below is true && above is true, "the scenario has intervals below and above the target");
        // 13:30 (interval 9): 15 teleadvisors and 25 backup operators by the plan.
        Assert.Equal(15, Mean(intervals[9].GetProperty("kpis").GetProperty("on_duty"), "teleadvisors"), 9);
        Assert.Equal(25, Mean(intervals[9].GetProperty("kpis").GetProperty("on_duty"), "backup"), 9);
        Assert.Equal(40, Mean(intervals[9].GetProperty("kpis"), "on_duty_total"), 9);
    }

    [FactWithFonts]
    public void With_one_call_type_the_intervals_are_its_own_and_there_is_no_per_call_type_file()
    {
        var single = new ReportRun("erlang-a-textbook.yaml", replications: 2);
        Assert.Empty(single.Run.IntervalsByCallType);
        using var temp = new TempFolder();
        var target = single.ExportAll(temp.Path);
        Assert.False(target.Has(IntervalsByCallTypeCsv.FileName));
        using var json = JsonDocument.Parse(File.ReadAllBytes(target.PathOf("summary.json")));
        Assert.All(json.RootElement.GetProperty("intervals").EnumerateArray(), i => Assert.False(i.TryGetProperty("callTypes", out _)));
    }

    [FactWithFonts]
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
        expected.AddRange(["on_duty_teleadvisors_mean", "on_duty_teleadvisors_ci95", "on_duty_backup_mean", "on_duty_backup_ci95", "on_duty_total_mean", "on_duty_total_ci95", "below_target"]);
        Assert.Equal(expected, lines[0].Split(','));
        Assert.Equal(20 + 2, lines.Length);
        Assert.StartsWith("0,09:00,0,1800,", lines[1]);
        Assert.StartsWith("all,09:00,0,36000,", lines[^1]);
        Assert.All(lines, l => Assert.Equal(expected.Count, l.Split(',').Length));
        var writer = new StringWriter { NewLine = "\n" };
        IntervalsCsv.Write(fixture.Run, writer);
        Assert.Equal(writer.ToString(), File.ReadAllText(target.PathOf("intervals.csv")));

        // below_target: the service level's mean under the scenario's target; on duty: operator hours over the span.
        var header = expected.IndexOf("below_target");
        var target80 = fixture.Run.Scenario.ServiceLevel.Target;
        for (var k = 0; k < fixture.Run.Intervals.Count; k++)
        {
            var cells = lines[1 + k].Split(',');
            var kpis = fixture.Run.Intervals[k].Kpis;
            Assert.Equal(kpis["service_level"].Mean < target80 ? "true" : "false", cells[header]);
            Assert.Equal(kpis.OperatorHoursByGroup[1].Mean * 2, double.Parse(cells[expected.IndexOf("on_duty_backup_mean")], CultureInfo.InvariantCulture), 9);
        }
        Assert.Contains(lines, l => l.EndsWith(",true", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith(",false", StringComparison.Ordinal));
        var all = lines[^1].Split(',');
        Assert.Equal(fixture.Run.Overall.OperatorHours.Mean * 3600 / 36000, double.Parse(all[expected.IndexOf("on_duty_total_mean")], CultureInfo.InvariantCulture), 9);
        Assert.Equal(fixture.Run.Overall["service_level"].Mean < target80 ? "true" : "false", all[header]);
    }

    [FactWithFonts]
    public void Intervals_by_call_type_csv_has_a_row_per_interval_and_call_type_that_add_up_to_the_interval()
    {
        var target = fixture.ExportAll(_temp.Path);
        var run = fixture.Run;
        var lines = File.ReadAllText(target.PathOf(IntervalsByCallTypeCsv.FileName)).Split('\n')[..^1];
        var header = lines[0].Split(',').ToList();
        List<string> expected = ["interval", "clock", "start_s", "end_s", "call_type"];
        foreach (var name in KpiValues.Names)
        {
            expected.AddRange([name + "_mean", name + "_ci95"]);
        }
        expected.Add("below_target");
        Assert.Equal(expected, header);
        Assert.Equal(expected, IntervalsByCallTypeCsv.Header);
        var types = run.Scenario.CallTypes.Count;
        Assert.Equal(1 + (run.Scenario.IntervalCount + 1) * types, lines.Length);
        Assert.All(lines, l => Assert.Equal(expected.Count, l.Split(',').Length));
        Assert.StartsWith("0,09:00,0,1800,symptoms,", lines[1]);
        Assert.StartsWith("0,09:00,0,1800,info,", lines[2]);
        Assert.StartsWith("all,09:00,0,36000,symptoms,", lines[^2]);
        Assert.StartsWith("all,09:00,0,36000,info,", lines[^1]);

        var rows = lines[1..].Select(l => l.Split(',')).ToList();
        double Value(string[] row, string column) => double.Parse(row[header.IndexOf(column)], CultureInfo.InvariantCulture);
        var intervals = File.ReadAllText(target.PathOf("intervals.csv")).Split('\n')[1..^1].Select(l => l.Split(',')).ToList();
        var intervalsHeader = File.ReadAllLines(target.PathOf("intervals.csv"))[0].Split(',').ToList();
        for (var k = 0; k <= run.Scenario.IntervalCount; k++)
        {
            var perType = rows.Skip(k * types).Take(types).ToList();
            Assert.All(perType, r => Assert.Equal(intervals[k][0], r[0]));
            foreach (var kpi in new[] { "offered_mean", "answered_mean", "abandoned_mean" })
            {
                Assert.Equal(double.Parse(intervals[k][intervalsHeader.IndexOf(kpi)], CultureInfo.InvariantCulture), perType.Sum(r => Value(r, kpi)), 9);
            }
            foreach (var r in perType)
            {
                Assert.Equal(Value(r, "service_level_mean") < run.Scenario.ServiceLevel.Target ? "true" : "false", r[^1]);
            }
        }
        Assert.Contains(rows, r => r[^1] == "true");
        Assert.Contains(rows, r => r[^1] == "false");
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

    [FactWithFonts]
    public void Replications_csv_has_one_row_per_replication_streamed_or_not()
    {
        var streamed = new ExportTarget(Path.Combine(_temp.Path, "streamed"));
        var file = new ReplicationsFile();
        using (var writer = file.Begin(fixture.Run.Scenario, streamed)!)
        {
            foreach (var replication in fixture.Run.Replications)
            {
                writer.Add(RunAccumulator.Measure(fixture.Run.Scenario, replication, returnRecords: false));
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

    [FactWithFonts]
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

    [FactWithFonts]
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
