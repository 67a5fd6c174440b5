using System.Globalization;
using CrisisSim.Engine;
using CrisisSim.Reporting.Planning;
using CrisisSim.Testing;

namespace CrisisSim.Reporting.Tests;

/// <summary>The replay's report.html, from hand-made rows: what was replayed, the console's table, the gap, the three
/// charts embedded, every text escaped, the same bytes under any culture.</summary>
public sealed class ReplayReportTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly ReplayRow[] Rows =
    [
        new(9, 9 * 3600, 120.2, 110, 0.0852, 41.4, 6.5, new(118.5, 3.25, 20), new(109, 3, 20), new(0.0625, 0.0125, 20), new(37.6, 4.2, 20), 6.25),
        new(10, 10 * 3600, 140, 120, 0.1428, 65, 7.5, new(139.8, 4, 20), new(128, 4, 20), new(0.08, 0.015, 20), new(52, 5, 20), 7.2),
        new(11, 11 * 3600, 0, 0, double.NaN, double.NaN, 0, new(0.5, 0.25, 20), new(0.5, 0.25, 20), new(double.NaN, double.NaN, 0), new(double.NaN, double.NaN, 0), 0),
    ];

    private static ReplayTitle Title(string scenario) =>
        new(scenario, RecordedDays: null, ["groups.agents.staffing=3"], 20, 7, 19, "january-1999.txt", 12_345, 2);

    private string Write(string scenario)
    {
        var target = new ExportTarget(Directory.CreateDirectory(Path.Combine(_temp.Path, "replay-" + Guid.NewGuid().ToString("N")[..8])).FullName);
        ReplayReport.WriteHtml(Title(scenario), Rows, () => ReplayCharts.Of(Rows, 3600), target);
        return target.PathOf(HtmlReport.FileName);
    }

    [FactWithFonts]
    public void A_replay_report_holds_the_table_the_gap_and_three_charts_in_one_page()
    {
        var html = File.ReadAllText(Write("january weekday"));
        Assert.Contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">", html);
        Assert.DoesNotContain("<script", html);
        Assert.Contains("<title>january weekday - CrisisSim replay</title>", html);
        Assert.Contains("Model-driven replay", html);
        Assert.Contains("What if: groups.agents.staffing=3.", html);
        Assert.Contains("january weekday with groups.agents.staffing=3: 20 replications, seed 7, against 19 days of january-1999.txt (12,345 calls read, 2 rows that could not be read)", html);
        // The console's figures, cell by cell.
        Assert.Contains("<tr><td>10:00</td><td class=\"n\">140.0</td><td class=\"n\">139.8</td><td class=\"n\">14.3</td><td class=\"n\">8.0 ± 1.5</td><td class=\"n\">65</td><td class=\"n\">52 ± 5</td><td class=\"n\">7.5</td><td class=\"n\">7.2</td></tr>", html);
        Assert.Contains("<td>11:00</td><td class=\"n\">0.0</td><td class=\"n\">0.5</td><td class=\"n\">-</td><td class=\"n\">-</td>", html);
        using (var console = new StringWriter())
        {
            ReplayReport.WriteTable(Rows, console);
            Assert.Contains("8.0 ± 1.5", console.ToString());
        }
        // 10:00: 14.28 % observed against 8 % simulated.
        Assert.Contains("Largest abandonment gap from 09:00 to 18:00: 6.3 points", html);
        Assert.Equal(3, html.Split("<img ").Length - 1);
        Assert.Equal(3, html.Split("src=\"data:image/svg+xml;base64,").Length - 1);
        Assert.Contains("<figure id=\"chart-replay-abandonment\">", html);
        // Trace-driven, said so.
        var driven = ReplayReport.RenderHtml(Title("x") with { RecordedDays = 19, WhatIf = [] }, Rows, () => []);
        Assert.Contains("Trace-driven replay: the recorded calls of each of 19 days of the log", driven);
        Assert.Contains("no what-if setting", driven);
    }

    [Fact]
    public void A_replay_report_escapes_the_scenario_name()
    {
        var html = ReplayReport.RenderHtml(Title("<b>storm & \"surge\"</b>"), Rows, () => []);
        Assert.DoesNotContain("<b>", html);
        Assert.Contains("<h1>&lt;b&gt;storm &amp; &quot;surge&quot;&lt;/b&gt;</h1>", html);
        Assert.Contains("<title>&lt;b&gt;storm &amp; &quot;surge&quot;&lt;/b&gt; - CrisisSim replay</title>", html);
    }

    [FactWithFonts]
    public void A_replay_report_is_the_same_under_another_culture()
    {
        var saved = CultureInfo.CurrentCulture;
        string french, invariant;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("fr-FR");
            french = Write("january weekday");
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            invariant = Write("january weekday");
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
        Assert.Equal(File.ReadAllBytes(invariant), File.ReadAllBytes(french));
    }
}
