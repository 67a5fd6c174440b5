using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CrisisSim.Engine;
using CrisisSim.Testing;

namespace CrisisSim.Reporting.Tests;

/// <summary><c>report.html</c> is one self-contained page holding the scenario's assumptions, the KPIs with their
/// confidence intervals, the charts, the staffing and the run's facts.</summary>
public sealed partial class ReportTests(ReportRun fixture) : IClassFixture<ReportRun>, IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [GeneratedRegex(@"\b(src|href|action|poster|data)\s*=\s*""([^""]*)""", RegexOptions.IgnoreCase)]
    private static partial Regex UrlAttribute();

    [FactWithFonts]
    public void The_report_is_self_contained_its_images_are_data_uris_of_svg_charts()
    {
        var html = HtmlReport.Render(fixture.Report());
        Assert.StartsWith("<!DOCTYPE html>\n", html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"https?://", html);
        Assert.Contains("content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\"", html);
        var urls = UrlAttribute().Matches(html).Select(m => m.Groups[2].Value).ToList();
        Assert.Equal(RunCharts.Names.Count, urls.Count);
        foreach (var url in urls)
        {
            const string prefix = "data:image/svg+xml;base64,";
            Assert.StartsWith(prefix, url);
            var svg = Encoding.UTF8.GetString(Convert.FromBase64String(url[prefix.Length..]));
            Assert.Equal("svg", XDocument.Parse(svg).Root!.Name.LocalName);
            // Nothing inside an image may fetch either.
            Assert.DoesNotContain("href=\"http", svg, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<image", svg, StringComparison.OrdinalIgnoreCase);
        }
    }

    [FactWithFonts]
    public void The_report_shows_the_assumptions_kpis_staffing_and_run_facts()
    {
        var report = fixture.Report();
        var html = HtmlReport.Render(report);
        var run = fixture.Run;
        // The comment block at the top of the scenario file, without its # marks.
        Assert.Contains("<pre class=\"assumptions\">Covid information hotline, surge day: the first Monday after an outbreak makes the news.\n\nCalibration (shared data: crisis-surges/press-figures.csv):\n- France&#39;s information number", html);
        Assert.Contains("once the backup operators are on duty.</pre>", html);
        // KPI table: mean, half-width, interval and replications, as the console shows them.
        var sl = run.Overall["service_level"];
        var p = (double v) => (v * 100).ToString("F2", CultureInfo.InvariantCulture) + " %";
        Assert.Contains($"<tr class=\"warn\"><td>service level (1 min)</td><td class=\"n\">{p(sl.Mean)}</td><td class=\"n\">± {p(sl.HalfWidth)}</td><td class=\"n\">{p(sl.Mean - sl.HalfWidth)} to {p(sl.Mean + sl.HalfWidth)}</td><td class=\"n\">3</td></tr>", html);
        Assert.Contains("<table id=\"kpi-table\"", html);
        Assert.Contains("<td>occupancy backup</td>", html);
        // The maximum queue is a mean of maxima, and says so.
        Assert.Contains("<td>max queue (mean of each replication&#39;s max)</td>", html);
        Assert.Contains("<td>symptoms</td>", html);
        // Staffing: one row per interval with the operators on duty per group and in all.
        var staffing = html[html.IndexOf("<table id=\"staffing-table\">", StringComparison.Ordinal)..];
        staffing = staffing[..staffing.IndexOf("</table>", StringComparison.Ordinal)];
        Assert.Equal(1 + 20, Regex.Matches(staffing, "<tr").Count);
        Assert.Contains("<td>13:30-14:00</td>", staffing);
        Assert.Contains("<th>teleadvisors</th><th>backup</th><th>on duty</th></tr>", staffing);
        Assert.Contains("<td class=\"n\">15</td><td class=\"n\">25</td><td class=\"n\">40</td></tr>", staffing); // 13:30
        // Facts of the run.
        Assert.Contains("<tr><th>seed</th><td>7</td></tr>", html);
        Assert.Contains("<tr><th>replications</th><td>3</td></tr>", html);
        Assert.Contains($"<tr><th>scenario SHA-256</th><td>{report.ScenarioFile!.Sha256}</td></tr>", html);
        Assert.Contains("<tr><th>host</th><td>process/inline on test-machine, 2 processors</td></tr>", html);
        Assert.Contains("<tr><th>CrisisSim version</th><td>9.8.7+test</td></tr>", html);
        Assert.Contains("<tr><th>simulation time</th><td>1.25 s (", html);
        Assert.Contains("<tr><th>finished</th><td>2026-03-14 15:09:26 UTC</td></tr>", html);
        foreach (var chart in report.Charts)
        {
            Assert.Contains($"<figcaption>{chart.Title}</figcaption>", html); // no character to escape
        }
    }

    [Fact]
    public void The_staffing_needed_has_its_columns()
    {
        int[] needed = [.. Enumerable.Range(0, 20).Select(k => 20 + k)];
        var html = HtmlReport.Render(fixture.Report(new StaffingPlan("Erlang A, 80 % in 1 min", [new StaffingNeed(null, needed)])));
        Assert.Contains("<p>Staffing needed: Erlang A, 80 % in 1 min</p>", html);
        Assert.Contains("<th>on duty</th><th>needed: all groups</th></tr>", html);
        Assert.Contains("<td class=\"n\">15</td><td class=\"n\">25</td><td class=\"n\">40</td><td class=\"n\">29</td></tr>", html); // 13:30, interval 9
    }

    [FactWithFonts]
    public void Text_from_the_scenario_file_is_escaped()
    {
        var path = Path.Combine(_temp.Path, "escape.yaml");
        File.WriteAllText(path, """
            # Assumption: <script>alert("x")</script> & <img src="http://example.org/a.png">
            name: escape
            description: "a <b>bold</b> claim & more"
            interval: 1h
            intervals: 2
            serviceLevel: { threshold: 20s }
            callTypes:
              - name: calls
                arrivals: { callsPerInterval: 20 }
                patience: { dist: exponential, mean: 2m }
                handleTime: { dist: exponential, mean: 3m }
            groups:
              - { name: agents, serves: [calls], staffing: 2 }
            """);
        var run = new ReportRun(path, replications: 2);
        var html = HtmlReport.Render(run.Report());
        Assert.Contains("Assumption: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=&quot;http://example.org/a.png&quot;&gt;", html);
        Assert.Contains("a &lt;b&gt;bold&lt;/b&gt; claim &amp; more", html);
        Assert.DoesNotContain("<script", html);
        Assert.Equal(RunCharts.Names.Count, UrlAttribute().Matches(html).Count);
    }

    [FactWithFonts]
    public void A_long_run_lists_the_first_intervals_and_says_so()
    {
        var path = Path.Combine(_temp.Path, "long.yaml");
        File.WriteAllText(path, """
            name: long
            interval: 5m
            intervals: 864
            serviceLevel: { threshold: 20s }
            callTypes:
              - name: calls
                arrivals: { callsPerInterval: 2 }
                patience: { dist: exponential, mean: 2m }
                handleTime: { dist: exponential, mean: 3m }
            groups:
              - { name: agents, serves: [calls], staffing: 2 }
            """);
        var run = new ReportRun(path, replications: 2);
        var report = run.Report();
        var html = HtmlReport.Render(report);
        Assert.Contains($"The first {HtmlReport.MaxStaffingRows} of 864 intervals;", html);
        Assert.Contains("<td>day 2 17:35-day 2 17:40</td>", html); // interval 499
        Assert.DoesNotContain("<td>day 2 17:40-day 2 17:45</td>", html);
        // Three days: the axis is labelled with the day.
        var texts = XDocument.Parse(report.Charts[0].Svg()).Descendants().Where(e => e.Name.LocalName == "text").Select(t => t.Value.Trim()).ToList();
        Assert.Contains("d2 00:00", texts);
        Assert.Contains("d3 12:00", texts);
    }
}
