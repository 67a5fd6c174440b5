using System.Globalization;
using System.Text;
using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Reporting;

/// <summary>Writes <c>report.html</c>, one self-contained page a planner can mail: the scenario and its assumptions
/// (the comment block at the top of the scenario file), the KPI tables with their 95 % confidence intervals, the charts
/// (SVG images embedded as <c>data:</c> URIs), the staffing per interval and the facts of the run. Styles are inline;
/// there is no script, and a content security policy forbids the page any fetch, so it shows the same anywhere.</summary>
public sealed class HtmlReport : IExporter
{
    public const string FileName = "report.html";

    /// <summary>Rows of the staffing table at most; a longer run lists the first ones and points to intervals.csv.</summary>
    public const int MaxStaffingRows = 500;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public string Name => "report";

    public string Description => $"{FileName}: the scenario, KPIs with confidence intervals, charts, staffing and run facts in one self-contained page";

    public bool DrawsCharts => true;

    public void Export(RunReport report, ExportTarget target)
    {
        using var writer = target.CreateText(FileName);
        writer.Write(Render(report));
    }

    /// <summary>The whole page.</summary>
    public static string Render(RunReport report)
    {
        var run = report.Run;
        var s = run.Scenario;
        var h = new StringBuilder(64 * 1024);
        Head(h, s.Name + " - CrisisSim report", report.Facts.Version);

        h.Append("<header>\n<h1>").Append(E(s.Name)).Append("</h1>\n");
        if (s.Description.Length > 0)
        {
            h.Append("<p class=\"lead\">").Append(E(s.Description)).Append("</p>\n");
        }
        h.Append("<p class=\"meta\">").Append(E(string.Create(Inv,
            $"{run.ReplicationCount} replication(s), seed {run.Seed}, {s.IntervalCount} intervals of {ConsoleReport.Duration(s.IntervalSeconds)} from {Clock(s, 0)} to {Clock(s, s.HorizonSeconds)}; run {report.Facts.FinishedUtc.UtcDateTime:yyyy-MM-dd HH:mm} UTC")))
            .Append("</p>\n</header>\n");

        Scenario(h, report);
        Kpis(h, report);
        Playbook(h, report);
        Latency(h, report);
        Charts(h, report);
        Staffing(h, report);
        Facts(h, report);

        h.Append("<footer>Written by CrisisSim ").Append(E(report.Facts.Version))
            .Append(". Every KPI is the mean over replications with the half-width of its 95 % Student-t confidence interval; the figures of every interval are in intervals.csv and summary.json beside this report when the run wrote them.</footer>\n");
        h.Append("</body>\n</html>\n");
        // The style sheet is a literal of this file: its line ends are those of the checkout.
        return h.ToString().ReplaceLineEndings("\n");
    }

    /// <summary>The page from its doctype to the opening <c>body</c>: the content security policy (images from
    /// <c>data:</c> URIs and inline styles only: no script, no fetch), the generator, the title and the style sheet.
    /// Shared by every self-contained page CrisisSim writes.</summary>
    internal static void Head(StringBuilder h, string title, string version)
    {
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        h.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n");
        h.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        h.Append("<meta name=\"generator\" content=\"CrisisSim ").Append(E(version)).Append("\">\n");
        h.Append("<title>").Append(E(title)).Append("</title>\n");
        h.Append("<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n");
    }

    private const string Style = """
        body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #1d2430; margin: 2em auto; max-width: 1000px; padding: 0 1em; line-height: 1.45; }
        h1 { font-size: 1.8em; margin-bottom: 0.2em; }
        h2 { font-size: 1.3em; border-bottom: 2px solid #1f77b4; padding-bottom: 0.2em; margin-top: 2em; }
        h3 { font-size: 1.05em; margin-top: 1.5em; }
        .lead { font-size: 1.1em; margin: 0.3em 0; }
        .meta, footer, .note { color: #5a6472; font-size: 0.9em; }
        footer { margin-top: 3em; border-top: 1px solid #d5dae1; padding-top: 0.8em; }
        pre.assumptions { white-space: pre-wrap; background: #f5f7fa; border-left: 4px solid #1f77b4; padding: 0.8em 1em; font-size: 0.88em; }
        table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.92em; }
        th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #e1e5eb; text-align: left; vertical-align: top; }
        th { background: #eef2f7; }
        td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tr.warn td { background: #fff4f0; }
        figure { margin: 1.5em 0; }
        figure img { max-width: 100%; height: auto; border: 1px solid #e1e5eb; }
        figcaption { color: #5a6472; font-size: 0.9em; }
        .scroll { max-height: 36em; overflow: auto; }

        """;

    private static void Scenario(StringBuilder h, RunReport report)
    {
        var run = report.Run;
        var s = run.Scenario;
        h.Append("<section id=\"scenario\">\n<h2>Scenario and assumptions</h2>\n");
        var assumptions = report.ScenarioFile?.Assumptions ?? "";
        if (assumptions.Length > 0)
        {
            h.Append("<pre class=\"assumptions\">").Append(E(assumptions)).Append("</pre>\n");
        }
        else
        {
            h.Append("<p class=\"note\">The scenario file states no assumptions (no comment block at its top).</p>\n");
        }
        var first = KpiValues.FirstCountedInterval(s);
        h.Append("<table>\n");
        Row(h, "time window", $"{Clock(s, 0)} to {Clock(s, s.HorizonSeconds)}, {s.IntervalCount} intervals of {ConsoleReport.Duration(s.IntervalSeconds)}");
        Row(h, "warm-up", first == 0 ? "none: the overall KPIs cover every interval" : $"{ConsoleReport.Duration(s.WarmupSeconds)}: the overall KPIs start at {Clock(s, first * s.IntervalSeconds)}");
        Row(h, "service level", string.Create(Inv, $"{s.ServiceLevel.Target * 100:0.##} % of offered calls answered within {ConsoleReport.Duration(s.ServiceLevel.ThresholdSeconds)}"));
        Row(h, "routing", s.Routing.ToString());
        Row(h, "after the horizon", s.DrainSeconds > 0
            ? $"no more arrivals; callers still waiting {ConsoleReport.Duration(s.DrainSeconds)} later are counted unserved"
            : "no more arrivals; callers still waiting are counted unserved");
        h.Append("</table>\n");

        var grid = ArrivalGrid.Of(s);
        h.Append("<h3>Call types</h3>\n<table>\n<tr><th>call type</th><th>priority</th><th>expected calls per replication</th><th>mean patience</th><th>mean handle time</th></tr>\n");
        foreach (var t in s.CallTypes)
        {
            h.Append("<tr><td>").Append(E(t.Name)).Append("</td><td class=\"n\">").Append(t.Priority.ToString(Inv))
                .Append("</td><td class=\"n\">").Append(E(t.Arrivals.ExpectedCalls(grid).ToString("N0", Inv)))
                .Append("</td><td class=\"n\">").Append(E(t.Patience is null ? "never abandon" : Seconds(t.Patience.Mean)))
                .Append("</td><td class=\"n\">").Append(E(t.HandleTime is null ? "set by each group" : Seconds(t.HandleTime.Mean)))
                .Append("</td></tr>\n");
        }
        h.Append("</table>\n<h3>Operator groups</h3>\n<table>\n<tr><th>group</th><th>serves</th><th>on duty</th><th>mean handle time</th></tr>\n");
        foreach (var g in s.Groups)
        {
            // By the plan: the staffing, or the on-duty counts of a group with shifts, breaks, shrinkage or activation.
            var counts = g.HasSchedule ? Model.Components.OperatorSchedule.OnDuty(g, s).Counts : [.. g.Staffing];
            var min = counts.Length == 0 ? 0 : counts.Min();
            var max = counts.Length == 0 ? 0 : counts.Max();
            h.Append("<tr><td>").Append(E(g.Name)).Append("</td><td>").Append(E(string.Join(", ", g.Serves)))
                .Append("</td><td class=\"n\">").Append(min == max ? max.ToString(Inv) : string.Create(Inv, $"{min} to {max}"))
                .Append("</td><td class=\"n\">").Append(E(g.HandleTime is null ? "the call type's" : Seconds(g.HandleTime.Mean)))
                .Append("</td></tr>\n");
        }
        h.Append("</table>\n</section>\n");
    }

    private static void Kpis(StringBuilder h, RunReport report)
    {
        var run = report.Run;
        var s = run.Scenario;
        var first = KpiValues.FirstCountedInterval(s);
        var threshold = ConsoleReport.Duration(s.ServiceLevel.ThresholdSeconds);
        h.Append("<section id=\"kpis\">\n<h2>Key figures</h2>\n");
        h.Append("<p>").Append(E($"Calls arriving from {Clock(s, first * s.IntervalSeconds)} to {Clock(s, s.HorizonSeconds)}; mean over {run.ReplicationCount} replication(s) with the 95 % confidence interval of the mean.")).Append("</p>\n");
        h.Append("<table id=\"kpi-table\" class=\"kpis\">\n<tr><th>KPI</th><th>mean</th><th>± 95 %</th><th>95 % confidence interval</th><th>replications</th></tr>\n");
        var k = run.Overall;
        for (var i = 0; i < KpiCatalog.All.Count; i++)
        {
            var kpi = KpiCatalog.All[i];
            if (kpi.ShownWhenPositive >= 0 && !(k.Scalars[kpi.ShownWhenPositive].Mean > 0))
            {
                continue;
            }
            var warn = kpi.Name == "service_level" && k.Scalars[i].Mean < s.ServiceLevel.Target;
            KpiRow(h, kpi.Label.Replace("{threshold}", threshold, StringComparison.Ordinal), k.Scalars[i], kpi.Format, warn);
        }
        for (var g = 0; g < s.Groups.Count; g++)
        {
            KpiRow(h, "occupancy " + s.Groups[g].Name, k.OccupancyByGroup[g], KpiFormat.Ratio, warn: false);
        }
        // Operator hours and cost, as the console prints them.
        for (var g = 0; g < s.Groups.Count; g++)
        {
            KpiRow(h, "operator hours " + s.Groups[g].Name, k.OperatorHoursByGroup[g], KpiFormat.Count, warn: false);
        }
        if (s.Groups.Count > 1)
        {
            KpiRow(h, "operator hours, all groups", k.OperatorHours, KpiFormat.Count, warn: false);
        }
        if (s.Groups.Any(g => g.CostPerHour > 0))
        {
            for (var g = 0; g < s.Groups.Count; g++)
            {
                KpiRow(h, "cost " + s.Groups[g].Name, k.CostByGroup[g], KpiFormat.Count, warn: false);
            }
            if (s.Groups.Count > 1)
            {
                KpiRow(h, "cost, all groups", k.Cost, KpiFormat.Count, warn: false);
            }
        }
        h.Append("</table>\n");
        if (s.ServiceLevel.Target > 0 && k.Scalars[KpiCatalog.ServiceLevel].Mean < s.ServiceLevel.Target)
        {
            h.Append("<p class=\"note\">").Append(E(string.Create(Inv, $"The service level is below its target of {s.ServiceLevel.Target * 100:0.##} %."))).Append("</p>\n");
        }
        if (s.CallTypes.Count > 1)
        {
            h.Append("<h3>Per call type</h3>\n<table class=\"kpis\">\n<tr><th>call type</th><th>offered</th><th>answered</th><th>abandoned</th><th>service level</th><th>ASA</th><th>abandonment rate</th></tr>\n");
            for (var t = 0; t < s.CallTypes.Count; t++)
            {
                if (s.CallTypes[t].Outbound is not null)
                {
                    continue;
                }
                var e = run.OverallByCallType[t];
                h.Append("<tr><td>").Append(E(s.CallTypes[t].Name)).Append("</td>");
                foreach (var (name, format) in new[] { ("offered", KpiFormat.Count), ("answered", KpiFormat.Count), ("abandoned", KpiFormat.Count), ("service_level", KpiFormat.Ratio), ("asa", KpiFormat.Seconds), ("abandonment_rate", KpiFormat.Ratio) })
                {
                    h.Append("<td class=\"n\">").Append(E(WithHalfWidth(e[name], format))).Append("</td>");
                }
                h.Append("</tr>\n");
            }
            h.Append("</table>\n");
            if (s.CallTypes.Any(c => c.Outbound is not null))
            {
                // Outbound follow-up calls are made, not received: their own figures.
                h.Append("<h3>Outbound calls</h3>\n<table class=\"kpis\">\n<tr><th>call type</th><th>to make</th><th>made in time</th><th>in-time rate</th><th>late</th><th>missed</th></tr>\n");
                for (var t = 0; t < s.CallTypes.Count; t++)
                {
                    if (s.CallTypes[t].Outbound is null)
                    {
                        continue;
                    }
                    var e = run.OverallByCallType[t];
                    h.Append("<tr><td>").Append(E(s.CallTypes[t].Name)).Append("</td>");
                    foreach (var (name, format) in new[] { ("outbound_created", KpiFormat.Count), ("outbound_in_time", KpiFormat.Count), ("outbound_in_time_rate", KpiFormat.Ratio), ("outbound_late", KpiFormat.Count), ("outbound_missed", KpiFormat.Count) })
                    {
                        h.Append("<td class=\"n\">").Append(E(WithHalfWidth(e[name], format))).Append("</td>");
                    }
                    h.Append("</tr>\n");
                }
                h.Append("</table>\n");
            }
        }
        h.Append("</section>\n");
    }

    /// <summary>How the playbook's rules fired (only when the scenario has a playbook); the timeline is a chart below.</summary>
    private static void Playbook(StringBuilder h, RunReport report)
    {
        var run = report.Run;
        if (run.Playbook is not { } playbook)
        {
            return;
        }
        var s = run.Scenario;
        h.Append("<section id=\"playbook\">\n<h2>Playbook</h2>\n");
        h.Append("<p>").Append(E($"Rules evaluated every {ConsoleReport.Duration(playbook.EvaluateEverySeconds)}; over {run.ReplicationCount} replication(s), the share where each rule fired (with its 95 % Wilson interval), its firings per replication, and over the replications where it fired the clock time of its first firing and of that firing's effect: median and 90 % range (5 % to 95 %).")).Append("</p>\n");
        h.Append("<table id=\"playbook-table\">\n<tr><th>rule</th><th>fired in</th><th>95 % interval</th><th>replications</th><th>firings per replication</th><th>first fired</th><th>90 % range</th><th>takes effect</th><th>90 % range</th></tr>\n");
        string At(double seconds) => double.IsFinite(seconds) ? Clock(s, seconds) : "-";
        string Range(TimeQuantiles t) => double.IsFinite(t.Median) ? At(t.P05) + " to " + At(t.P95) : "";
        foreach (var rule in playbook.Rules)
        {
            var share = rule.FiredShare;
            h.Append("<tr><td>").Append(E(rule.Name))
                .Append("</td><td class=\"n\">").Append(E(Value(share.Estimate, KpiFormat.Ratio)))
                .Append("</td><td class=\"n\">").Append(E(double.IsFinite(share.Lower) ? $"{Value(share.Lower, KpiFormat.Ratio)} to {Value(share.Upper, KpiFormat.Ratio)}" : ""))
                .Append("</td><td class=\"n\">").Append(E(string.Create(Inv, $"{rule.FiredReplications} of {run.ReplicationCount}")))
                .Append("</td><td class=\"n\">").Append(E(double.IsFinite(rule.FiringsPerReplication) ? rule.FiringsPerReplication.ToString("0.##", Inv) : "-"))
                .Append("</td><td class=\"n\">").Append(E(At(rule.FirstTime.Median)))
                .Append("</td><td class=\"n\">").Append(E(Range(rule.FirstTime)))
                .Append("</td><td class=\"n\">").Append(E(At(rule.FirstEffectTime.Median)))
                .Append("</td><td class=\"n\">").Append(E(Range(rule.FirstEffectTime)))
                .Append("</td></tr>\n");
        }
        h.Append("</table>\n<p class=\"note\">The chart below (playbook) draws each rule's first firing over the service level; every firing is in playbook.csv beside this report.</p>\n</section>\n");
    }

    /// <summary>A live run's latencies: per decision kind the count, the percentiles, the mean and the maximum, late
    /// deliveries, errors and timeouts; the facts of the drive; and the latency and lag charts.</summary>
    private static void Latency(StringBuilder h, RunReport report)
    {
        if (report.Latency is not { } latency)
        {
            return;
        }
        var f = latency.Facts;
        h.Append("<section id=\"latency\">\n<h2>Latency under live load</h2>\n");
        h.Append("<p>").Append(E(string.Create(Inv,
            $"Speed {f.Speed:0.###}x asked, {f.SustainedSpeed:0.###}x sustained; {f.WallSeconds:0.#} s of wall clock for {f.ScaledSeconds:0} s of the scenario; {f.Events:N0} events, {f.CallsOffered:N0} calls offered; late (started more than {f.LateAfterMs:0.###} ms after the intended time): {f.Late:N0} ({latency.LateShare:P3}); largest lag {f.MaxLagMs:0.#} ms; at most {f.InFlightPeak} of {f.MaxInFlight} grain calls in flight. Latencies in milliseconds, measured from each event's intended time.")))
            .Append("</p>\n");
        h.Append("<table id=\"latency-table\">\n<tr><th>decision</th><th>count</th>");
        foreach (var p in latency.Percentiles)
        {
            h.Append("<th>p").Append(E(p.ToString("0.###", Inv))).Append("</th>");
        }
        h.Append("<th>mean</th><th>max</th><th>late</th><th>errors</th><th>timeouts</th></tr>\n");
        static string Ms(double v) => double.IsFinite(v) ? v.ToString("0.###", Inv) : "-";
        foreach (var k in latency.Overall)
        {
            h.Append("<tr><td>").Append(E(k.Kind.Name())).Append("</td><td class=\"n\">").Append(k.Count.ToString("N0", Inv)).Append("</td>");
            foreach (var v in k.Percentiles)
            {
                h.Append("<td class=\"n\">").Append(Ms(v)).Append("</td>");
            }
            h.Append("<td class=\"n\">").Append(Ms(k.MeanMs)).Append("</td><td class=\"n\">").Append(Ms(k.MaxMs))
                .Append("</td><td class=\"n\">").Append(k.Late.ToString("N0", Inv)).Append("</td><td class=\"n\">").Append(k.Errors.ToString("N0", Inv))
                .Append("</td><td class=\"n\">").Append(k.Timeouts.ToString("N0", Inv)).Append("</td></tr>\n");
        }
        h.Append("</table>\n<p class=\"note\">Per window in latency.csv and latency.json beside this report.</p>\n");
        Figures(h, () => LatencyCharts.Of(latency));
        h.Append("</section>\n");
    }

    private static void KpiRow(StringBuilder h, string label, Estimate e, KpiFormat format, bool warn)
    {
        h.Append(warn ? "<tr class=\"warn\">" : "<tr>").Append("<td>").Append(E(label)).Append("</td><td class=\"n\">").Append(E(Value(e.Mean, format)))
            .Append("</td><td class=\"n\">").Append(E(double.IsFinite(e.HalfWidth) ? "± " + Value(e.HalfWidth, format) : ""))
            .Append("</td><td class=\"n\">").Append(E(double.IsFinite(e.HalfWidth) && double.IsFinite(e.Mean) ? $"{Value(e.Mean - e.HalfWidth, format)} to {Value(e.Mean + e.HalfWidth, format)}" : ""))
            .Append("</td><td class=\"n\">").Append(e.Count.ToString(Inv)).Append("</td></tr>\n");
    }

    private static void Charts(StringBuilder h, RunReport report)
    {
        h.Append("<section id=\"charts\">\n<h2>Charts</h2>\n");
        Figures(h, () => report.Charts);
        h.Append("</section>\n");
    }

    /// <summary>Each chart as a figure, its SVG embedded as a <c>data:</c> URI; without the chart fonts, a note saying
    /// why the charts are missing (the rest of the page stands without them).</summary>
    internal static void Figures(StringBuilder h, Func<IReadOnlyList<Chart>> make)
    {
        IReadOnlyList<Chart> charts;
        try
        {
            charts = make();
            Chart.Draw(charts, png: false, svg: true);
        }
        catch (ChartFontsException ex)
        {
            h.Append("<p id=\"charts-missing\" class=\"note\">The charts are missing from this report: ").Append(E(ex.Message)).Append("</p>\n");
            return;
        }
        foreach (var chart in charts)
        {
            h.Append("<figure id=\"chart-").Append(E(chart.Name)).Append("\">\n<img alt=\"").Append(E(chart.Title))
                .Append("\" width=\"").Append(chart.Width.ToString(Inv)).Append("\" height=\"").Append(chart.Height.ToString(Inv))
                .Append("\" src=\"data:image/svg+xml;base64,").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(chart.Svg())))
                .Append("\">\n<figcaption>").Append(E(chart.Title)).Append("</figcaption>\n</figure>\n");
        }
    }

    private static void Staffing(StringBuilder h, RunReport report)
    {
        var run = report.Run;
        var s = run.Scenario;
        var days = ConsoleReport.SpansDays(s);
        var needs = report.StaffingNeeded?.Needs ?? [];
        h.Append("<section id=\"staffing\">\n<h2>Staffing per interval</h2>\n");
        if (report.StaffingNeeded is { } plan)
        {
            h.Append("<p>").Append(E("Staffing needed: " + plan.Method)).Append("</p>\n");
        }
        h.Append("<div class=\"scroll\">\n<table id=\"staffing-table\">\n<tr><th>interval</th><th>offered</th><th>service level</th><th>abandonment</th>");
        // A column per group up to the charts' number of groups; the on-duty column counts them all.
        var shownGroups = Math.Min(s.Groups.Count, RunCharts.MaxGroups);
        foreach (var g in s.Groups.Take(shownGroups))
        {
            h.Append("<th>").Append(E(g.Name)).Append("</th>");
        }
        if (s.Groups.Count > 1)
        {
            h.Append("<th>on duty</th>");
        }
        foreach (var need in needs)
        {
            h.Append("<th>").Append(E("needed: " + (need.Group ?? "all groups"))).Append("</th>");
        }
        h.Append("</tr>\n");
        var rows = Math.Min(s.IntervalCount, MaxStaffingRows);
        // By the plan: the staffing, or the mean on duty of a group with shifts, breaks, shrinkage or activation.
        var onDuty = s.Groups.Select(g => Model.Components.OperatorSchedule.MeanOnDutyPerInterval(g, s)).ToArray();
        static string Operators(double n) => n == Math.Floor(n) ? n.ToString(Inv) : n.ToString("F1", Inv);
        for (var k = 0; k < rows; k++)
        {
            var kpis = run.Intervals[k].Kpis;
            var sl = kpis.Scalars[KpiCatalog.ServiceLevel].Mean;
            h.Append(sl < s.ServiceLevel.Target ? "<tr class=\"warn\">" : "<tr>")
                .Append("<td>").Append(E(ConsoleReport.Clock(s.ClockStartSeconds + k * s.IntervalSeconds, days) + "-" + ConsoleReport.Clock(s.ClockStartSeconds + (k + 1) * s.IntervalSeconds, days))).Append("</td>")
                .Append("<td class=\"n\">").Append(E(Value(kpis.Scalars[KpiCatalog.Offered].Mean, KpiFormat.Count))).Append("</td>")
                .Append("<td class=\"n\">").Append(E(Value(sl, KpiFormat.Ratio))).Append("</td>")
                .Append("<td class=\"n\">").Append(E(Value(kpis.Scalars[KpiCatalog.AbandonmentRate].Mean, KpiFormat.Ratio))).Append("</td>");
            foreach (var g in onDuty.Take(shownGroups))
            {
                h.Append("<td class=\"n\">").Append(Operators(g[k])).Append("</td>");
            }
            if (s.Groups.Count > 1)
            {
                h.Append("<td class=\"n\">").Append(Operators(onDuty.Sum(g => g[k]))).Append("</td>");
            }
            foreach (var need in needs)
            {
                h.Append("<td class=\"n\">").Append(need.OperatorsPerInterval[k].ToString(Inv)).Append("</td>");
            }
            h.Append("</tr>\n");
        }
        h.Append("</table>\n</div>\n");
        if (s.IntervalCount > rows)
        {
            h.Append("<p class=\"note\">").Append(E(string.Create(Inv, $"The first {rows} of {s.IntervalCount} intervals; every interval is in intervals.csv and the staffing in scenario.yaml."))).Append("</p>\n");
        }
        if (s.Groups.Count > shownGroups)
        {
            h.Append("<p class=\"note\">").Append(E(string.Create(Inv, $"The first {shownGroups} of {s.Groups.Count} groups; on duty counts them all, and every group's staffing is in scenario.yaml."))).Append("</p>\n");
        }
        h.Append("<p class=\"note\">").Append(E(string.Create(Inv, $"Offered: mean calls arriving in the interval; rows in color: service level below the target of {s.ServiceLevel.Target * 100:0.##} %."))).Append("</p>\n</section>\n");
    }

    private static void Facts(StringBuilder h, RunReport report)
    {
        var run = report.Run;
        var f = report.Facts;
        h.Append("<section id=\"facts\">\n<h2>Run facts</h2>\n<table id=\"facts-table\">\n");
        Row(h, "scenario", run.Scenario.Name + (report.ScenarioFile is { } file ? $" ({Path.GetFileName(file.Path)})" : ""));
        if (report.ScenarioFile is { } scenarioFile)
        {
            Row(h, "scenario SHA-256", scenarioFile.Sha256);
        }
        Row(h, "seed", run.Seed.ToString(Inv));
        Row(h, "replications", run.ReplicationCount.ToString(Inv));
        Row(h, "host", $"{f.Host} on {f.Machine}, {f.Processors.ToString(Inv)} processors");
        Row(h, "CrisisSim version", f.Version);
        Row(h, "simulation time", string.Create(Inv, $"{f.Elapsed.TotalSeconds:0.###} s ({run.Events:N0} events)"));
        Row(h, "finished", f.FinishedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Inv) + " UTC");
        h.Append("</table>\n<p class=\"note\">The same scenario file, seed and number of replications give the same figures on any machine and host.</p>\n</section>\n");
    }

    private static void Row(StringBuilder h, string name, string value) =>
        h.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>\n");

    /// <summary>Text made safe inside an element or a quoted attribute; other characters stay as they are (UTF-8).</summary>
    internal static string E(string text) => text
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal)
        .Replace("'", "&#39;", StringComparison.Ordinal);

    private static string Clock(ScenarioDefinition s, double seconds) => ConsoleReport.Clock(s.ClockStartSeconds + seconds, ConsoleReport.SpansDays(s));

    private static string Seconds(double seconds) =>
        seconds >= 120 ? (seconds / 60).ToString("0.#", Inv) + " min" : seconds.ToString("0.#", Inv) + " s";

    private static string Value(double v, KpiFormat format) => !double.IsFinite(v) ? "-" : format switch
    {
        KpiFormat.Count => v.ToString("N1", Inv),
        KpiFormat.Seconds => v.ToString("F1", Inv) + " s",
        _ => (v * 100).ToString("F2", Inv) + " %",
    };

    private static string WithHalfWidth(Estimate e, KpiFormat format) =>
        Value(e.Mean, format) + (double.IsFinite(e.HalfWidth) ? " ± " + Value(e.HalfWidth, format) : "");
}
