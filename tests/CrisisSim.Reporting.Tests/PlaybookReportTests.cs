using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;
using CrisisSim.Scenarios;
using CrisisSim.Testing;

namespace CrisisSim.Reporting.Tests;

/// <summary>A run of the Covid hotline with a playbook of three rules, whose firings are given (the same whatever the
/// router decides): <c>backup</c> fires once in every replication, at 09:30 + 10 min x r, taking effect 10 min later;
/// <c>message, info</c> (a name to quote in CSV) fires at 11:00 and 12:00 in the even replications; <c>never</c> never.
/// The run keeps its replications, whose records hold the firings.</summary>
public sealed class PlaybookRun
{
    public const int Replications = 6;

    public PlaybookRun()
    {
        ScenarioPath = Repo.Scenario("covid-hotline.yaml");
        Scenario = ScenarioLoader.LoadFile(ScenarioPath) with
        {
            Playbook = new PlaybookSpec(
            [
                new PlaybookRuleSpec("backup", new QueueCondition(PlaybookScope.All, 20), [new ActivateGroupAction("backup")]) { AfterSeconds = 600 },
                new PlaybookRuleSpec("message, info", new WindowCondition(PlaybookScope.All, WindowMeasure.Abandonment, true, 0.3, 1800), []) { CooldownSeconds = 3600 },
                new PlaybookRuleSpec("never", new SinceOnsetCondition(86_000), []),
            ], 60),
        };
        Results = [.. Enumerable.Range(0, Replications).Select(r =>
        {
            var result = InlineEngine.RunReplication(Scenario, 7, r);
            return result with { Records = Recorder.FromState(result.Records.ToState() with { PlaybookFirings = FiringsOf(r) }) };
        })];
        Run = RunResult.Analyze(Scenario, 7, Results);
    }

    public static PlaybookFiring[] FiringsOf(int r)
    {
        List<PlaybookFiring> firings = [new(0, 1, 1800 + 600 * r, 2400 + 600 * r)];
        if (r % 2 == 0)
        {
            firings.Add(new(1, 1, 7200, 7200));
            firings.Add(new(1, 2, 10800, 10800));
        }
        return [.. firings];
    }

    public string ScenarioPath { get; }

    public ScenarioDefinition Scenario { get; }

    public IReadOnlyList<ReplicationResult> Results { get; }

    public RunResult Run { get; }

    public RunReport Report() => new(Run, ReportRun.Facts, ScenarioFile.Read(ScenarioPath));

    public ExportTarget ExportAll(string root)
    {
        var target = new ExportTarget(Directory.CreateDirectory(Path.Combine(root, "run-" + Guid.NewGuid().ToString("N")[..8])).FullName);
        Exporters.Export(Report(), target, Exporters.All);
        return target;
    }
}

/// <summary>A playbook's firings in every output: <c>playbook.csv</c>, <c>summary.json</c>, the console, the charts and
/// <c>report.html</c>; and none of it without a playbook.</summary>
public sealed class PlaybookReportTests(PlaybookRun fixture, ReportRun plain) : IClassFixture<PlaybookRun>, IClassFixture<ReportRun>, IDisposable
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_run_summarizes_each_rule()
    {
        var rules = fixture.Run.Playbook!.Rules;
        Assert.Equal(["backup", "message, info", "never"], rules.Select(r => r.Name));
        // backup: every replication, at 1800, 2400 … 4800: median the 3rd, 5 % the 1st, 95 % the 6th (ceil 5.7).
        Assert.Equal(6, rules[0].FiredReplications);
        Assert.Equal(new TimeQuantiles(3000, 1800, 4800), rules[0].FirstTime);
        Assert.Equal(new TimeQuantiles(3600, 2400, 5400), rules[0].FirstEffectTime);
        Assert.Equal(3, rules[1].FiredReplications);
        Assert.Equal(1, rules[1].FiringsPerReplication);
        Assert.Equal(new TimeQuantiles(7200, 7200, 7200), rules[1].FirstTime);
        Assert.Equal(0, rules[2].FiredReplications);
    }

    [Fact]
    public void Playbook_csv_has_one_row_per_firing_streamed_or_not()
    {
        var streamed = new ExportTarget(Path.Combine(_temp.Path, "streamed"));
        using (var writer = new ReplicationsFile().Begin(fixture.Scenario, streamed)!)
        {
            foreach (var replication in fixture.Results)
            {
                writer.Add(RunAccumulator.Measure(fixture.Scenario, replication, returnRecords: false));
            }
        }
        Assert.Equal([ReplicationsCsv.FileName, PlaybookCsv.FileName], streamed.Files);
        var kept = new ExportTarget(Path.Combine(_temp.Path, "kept"));
        new ReplicationsFile().Export(fixture.Report(), kept);
        var text = File.ReadAllText(streamed.PathOf(PlaybookCsv.FileName));
        Assert.Equal(File.ReadAllText(kept.PathOf(PlaybookCsv.FileName)), text);

        var lines = text.Split('\n');
        Assert.Equal("", lines[^1]);
        Assert.Equal("replication,rule,firing,time,effect_time,clock", lines[0]);
        Assert.Equal(
        [
            "0,backup,1,1800,2400,09:30", "0,\"message, info\",1,7200,7200,11:00", "0,\"message, info\",2,10800,10800,12:00",
            "1,backup,1,2400,3000,09:40",
            "2,backup,1,3000,3600,09:50", "2,\"message, info\",1,7200,7200,11:00", "2,\"message, info\",2,10800,10800,12:00",
            "3,backup,1,3600,4200,10:00",
            "4,backup,1,4200,4800,10:10", "4,\"message, info\",1,7200,7200,11:00", "4,\"message, info\",2,10800,10800,12:00",
            "5,backup,1,4800,5400,10:20",
        ], lines[1..^1]);
    }

    [Fact]
    public void A_run_whose_rules_never_fire_writes_the_header_alone()
    {
        var target = new ExportTarget(Path.Combine(_temp.Path, "quiet"));
        using (var writer = new ReplicationsFile().Begin(fixture.Scenario, target)!)
        {
            writer.Add(RunAccumulator.Measure(fixture.Scenario, fixture.Results[0] with { Records = Recorder.FromState(fixture.Results[0].Records.ToState() with { PlaybookFirings = null }) }, returnRecords: false));
        }
        Assert.Equal("replication,rule,firing,time,effect_time,clock\n", File.ReadAllText(target.PathOf(PlaybookCsv.FileName)));
    }

    [Fact]
    public void Summary_json_has_the_playbook_block()
    {
        using var json = JsonDocument.Parse(SummaryJson.ToText(fixture.Run));
        var root = json.RootElement;
        Assert.Equal(["scenario", "seed", "replications", "intervalSeconds", "intervals", "warmupSeconds", "firstCountedInterval", "serviceLevelThresholdSeconds", "serviceLevelTarget", "routing", "playbook", "overall", "callTypes", "intervals"],
            root.EnumerateObject().Select(p => p.Name));
        var playbook = root.GetProperty("playbook");
        Assert.Equal(["every", "rules"], playbook.EnumerateObject().Select(p => p.Name));
        Assert.Equal(60, playbook.GetProperty("every").GetDouble());
        var rules = playbook.GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal(3, rules.Count);
        Assert.Equal(["name", "fired_replications", "fired_share", "firings_per_replication", "first_time", "first_effect_time", "first_clock"], rules[0].EnumerateObject().Select(p => p.Name));

        var message = rules[1];
        Assert.Equal("message, info", message.GetProperty("name").GetString());
        Assert.Equal(3, message.GetProperty("fired_replications").GetInt32());
        var share = message.GetProperty("fired_share");
        Assert.Equal(["mean", "ci95", "n", "low", "high"], share.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.5, share.GetProperty("mean").GetDouble());
        Assert.Equal(6, share.GetProperty("n").GetInt32());
        // Wilson 95 % interval of 3 of 6: [0.18762, 0.81238], symmetric at one half.
        Assert.Equal(0.187616, share.GetProperty("low").GetDouble(), 6);
        Assert.Equal(0.812384, share.GetProperty("high").GetDouble(), 6);
        Assert.Equal((share.GetProperty("high").GetDouble() - share.GetProperty("low").GetDouble()) / 2, share.GetProperty("ci95").GetDouble(), 12);
        Assert.Equal(1, message.GetProperty("firings_per_replication").GetDouble());
        Assert.Equal("11:00", message.GetProperty("first_clock").GetString());

        var backup = rules[0];
        Assert.Equal(["median", "p05", "p95"], backup.GetProperty("first_time").EnumerateObject().Select(p => p.Name));
        Assert.Equal([3000.0, 1800, 4800], backup.GetProperty("first_time").EnumerateObject().Select(p => p.Value.GetDouble()));
        Assert.Equal([3600.0, 2400, 5400], backup.GetProperty("first_effect_time").EnumerateObject().Select(p => p.Value.GetDouble()));
        Assert.Equal("09:50", backup.GetProperty("first_clock").GetString());
        Assert.Equal(1, backup.GetProperty("fired_share").GetProperty("mean").GetDouble());

        var never = rules[2];
        Assert.Equal(0, never.GetProperty("fired_replications").GetInt32());
        Assert.Equal(0, never.GetProperty("firings_per_replication").GetDouble());
        Assert.Equal(JsonValueKind.Null, never.GetProperty("first_time").GetProperty("median").ValueKind);
        Assert.Equal(JsonValueKind.Null, never.GetProperty("first_effect_time").GetProperty("p95").ValueKind);
        Assert.Equal(JsonValueKind.Null, never.GetProperty("first_clock").ValueKind);
    }

    [Fact]
    public void The_console_prints_a_row_per_rule()
    {
        var text = new StringWriter();
        ConsoleReport.Write(fixture.Run, text, intervals: false);
        var lines = text.ToString().Split('\n');
        var heading = Array.FindIndex(lines, l => l.StartsWith("Playbook (rules evaluated every 1 min)", StringComparison.Ordinal));
        Assert.True(heading > 0, text.ToString());
        Assert.Equal(["rule", "fired", "in", "replications", "first", "fired", "90", "%", "range"], lines[heading + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["backup", "100", "%", "6", "of", "6", "09:50", "09:30-10:20"], lines[heading + 2].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["message,", "info", "50", "%", "3", "of", "6", "11:00", "11:00-11:00"], lines[heading + 3].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["never", "0", "%", "0", "of", "6", "-"], lines[heading + 4].Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [FactWithFonts]
    public void The_timeline_chart_marks_each_rule_that_fired()
    {
        var charts = fixture.Report().Charts;
        Assert.Equal([.. RunCharts.Names, RunCharts.PlaybookName], charts.Select(c => c.Name));
        Assert.Equal(RunCharts.NamesOf(fixture.Scenario), charts.Select(c => c.Name));
        var chart = charts[^1];
        var texts = XDocument.Parse(chart.Svg()).Descendants(Svg + "text").Select(t => t.Value.Trim()).ToList();
        Assert.Contains("backup", texts);
        Assert.Contains("message, info", texts);
        Assert.Contains("backup: 09:50 (90 %: 09:30-10:20), fired in 100 % of replications", texts);
        Assert.Contains("target 80 %", texts);
        Assert.DoesNotContain(texts, t => t.StartsWith("never", StringComparison.Ordinal));
        Assert.EndsWith("; never fired: never", chart.Title);
    }

    [FactWithFonts]
    public void The_report_has_a_playbook_section_and_the_timeline()
    {
        var html = HtmlReport.Render(fixture.Report());
        Assert.Contains("<section id=\"playbook\">", html);
        Assert.True(html.IndexOf("<section id=\"kpis\">", StringComparison.Ordinal) < html.IndexOf("<section id=\"playbook\">", StringComparison.Ordinal));
        var table = html[html.IndexOf("<table id=\"playbook-table\">", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("</table>", StringComparison.Ordinal)];
        Assert.Equal(1 + 3, table.Split("<tr>").Length - 1);
        Assert.Contains("<tr><td>backup</td><td class=\"n\">100.00 %</td>", table);
        Assert.Contains("<td class=\"n\">09:50</td><td class=\"n\">09:30 to 10:20</td><td class=\"n\">10:00</td><td class=\"n\">09:40 to 10:30</td>", table);
        Assert.Contains("<tr><td>message, info</td><td class=\"n\">50.00 %</td><td class=\"n\">18.76 % to 81.24 %</td><td class=\"n\">3 of 6</td><td class=\"n\">1</td>", table);
        Assert.Contains("<figure id=\"chart-playbook\">", html);
        Assert.Equal(RunCharts.Names.Count + 1, html.Split("<img ").Length - 1);
    }

    [FactWithFonts]
    public void Every_playbook_output_is_the_same_under_another_culture()
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
        Assert.Contains(PlaybookCsv.FileName, invariant.Files);
        Assert.Contains($"charts/{RunCharts.PlaybookName}.svg", invariant.Files);
        foreach (var name in new[] { PlaybookCsv.FileName, SummaryJson.FileName, HtmlReport.FileName, $"charts/{RunCharts.PlaybookName}.svg" })
        {
            Assert.True(File.ReadAllBytes(invariant.PathOf(name)).SequenceEqual(File.ReadAllBytes(french.PathOf(name))), $"{name} depends on the culture");
        }
    }

    [Fact]
    public void Without_a_playbook_there_is_no_playbook_file_key_table_section_or_chart()
    {
        Assert.Null(plain.Run.Scenario.Playbook);
        Assert.Null(plain.Run.Playbook);
        var target = new ExportTarget(Path.Combine(_temp.Path, "plain"));
        using (var writer = new ReplicationsFile().Begin(plain.Run.Scenario, target)!)
        {
            writer.Add(RunAccumulator.Measure(plain.Run.Scenario, plain.Run.Replications[0], returnRecords: false));
        }
        Assert.Equal([ReplicationsCsv.FileName], target.Files);
        new ReplicationsFile().Export(plain.Report(), new ExportTarget(Path.Combine(_temp.Path, "plain-kept")));
        Assert.False(File.Exists(Path.Combine(_temp.Path, "plain-kept", PlaybookCsv.FileName)));
        using var json = JsonDocument.Parse(SummaryJson.ToText(plain.Run));
        Assert.False(json.RootElement.TryGetProperty("playbook", out _));
        var text = new StringWriter();
        ConsoleReport.Write(plain.Run, text, intervals: false);
        Assert.DoesNotContain("Playbook", text.ToString(), StringComparison.Ordinal);
        Assert.Equal(RunCharts.Names, RunCharts.NamesOf(plain.Run.Scenario));
    }

    [FactWithFonts]
    public void Without_a_playbook_the_report_has_no_playbook_section_or_chart()
    {
        var html = HtmlReport.Render(plain.Report());
        Assert.DoesNotContain("id=\"playbook", html, StringComparison.Ordinal);
        Assert.DoesNotContain("chart-playbook", html, StringComparison.Ordinal);
    }
}
