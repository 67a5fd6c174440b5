using System.Globalization;
using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using ScottPlot;

namespace CrisisSim.Reporting;

/// <summary>The charts of a run, per interval at its clock time (each interval's value at its middle; means over
/// replications, shaded: the 95 % confidence band):
/// <c>calls</c> (offered, answered, abandoned, and blocked when the scenario limits its lines),
/// <c>service-level</c> (against the target), <c>queue</c> (most calls waiting at once), <c>waits</c> (90th percentile,
/// mean wait, ASA) and <c>staffing</c> (operators on duty per group, and the staffing needed when one was computed); with
/// a playbook, <c>playbook</c> (the service level with each rule's median first firing and its 90 % range).</summary>
/// <remarks>A horizon of more than <see cref="MaxPoints"/> intervals is drawn by hour, day or week (the shortest that
/// gives at most <see cref="MaxPoints"/> points): each point is the mean of its intervals' values (the queue: their
/// largest), without confidence bands; every interval stays in <c>intervals.csv</c>. The staffing chart draws at most
/// <see cref="MaxGroups"/> groups, and all groups together.</remarks>
public static class RunCharts
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Points a chart draws per series at most: beyond, intervals are grouped by hour, day or week.</summary>
    public const int MaxPoints = 2_000;

    /// <summary>Groups the staffing chart draws one by one at most.</summary>
    public const int MaxGroups = 20;

    /// <summary>Rules the playbook chart marks at most (the first that fired, in the playbook's order).</summary>
    public const int MaxRules = 10;

    /// <summary>Intervals per point of the charts, and the name of the span a point covers ("" for an interval).</summary>
    public static (int Per, string Span) PointSpan(Model.Scenario.ScenarioDefinition s)
    {
        if (s.IntervalCount <= MaxPoints)
        {
            return (1, "");
        }
        foreach (var (seconds, name) in new[] { (3600.0, "hour"), (86_400.0, "day"), (7 * 86_400.0, "week") })
        {
            var per = Math.Max(1, (int)Math.Round(seconds / s.IntervalSeconds));
            if ((s.IntervalCount + per - 1) / per <= MaxPoints)
            {
                return (per, name);
            }
        }
        return ((s.IntervalCount + MaxPoints - 1) / MaxPoints, "span");
    }

    /// <summary>The names of the charts drawn for every run, in the order they are drawn.</summary>
    public static IReadOnlyList<string> Names { get; } = ["calls", "service-level", "queue", "waits", "staffing"];

    /// <summary>The chart drawn after the others when the scenario has a playbook.</summary>
    public const string PlaybookName = "playbook";

    /// <summary>The names of the charts drawn for a run of <paramref name="scenario"/>, in order.</summary>
    public static IReadOnlyList<string> NamesOf(Model.Scenario.ScenarioDefinition scenario) =>
        scenario.Playbook is null ? Names : [.. Names, PlaybookName];

    /// <summary>Registers the fonts and draws a small chart as PNG and SVG, so that loading the graphics library and
    /// compiling the drawing code can happen while a run simulates (on another thread) rather than after it.</summary>
    public static void WarmUp()
    {
        var plot = ChartStyle.NewPlot("warm-up", "x", "y");
        ChartStyle.Line(plot, [0, 1, 2], [1, double.NaN, 2], ChartStyle.Blue, "line", markers: true);
        ChartStyle.Band(plot, [0, 1, 2], [0, 0, 1], [2, 2, 3], ChartStyle.Blue);
        ChartStyle.ClockAxis(plot, 0, 2, days: false);
        ChartStyle.Legend(plot);
        var chart = new Chart("warm-up", "warm-up", plot, 160, 120);
        chart.Png();
        chart.Svg();
    }

    public static IReadOnlyList<Chart> Of(RunReport report)
    {
        var data = new Series(report.Run);
        List<Chart> charts = [Calls(data), ServiceLevel(data), Queue(data), Waits(data), Staffing(report, data)];
        if (report.Run.Playbook is { } playbook)
        {
            charts.Add(Playbook(data, playbook));
        }
        return charts;
    }

    /// <summary>Every interval KPI's mean and half-width as arrays, read once from the run.</summary>
    private sealed class Series
    {
        public Series(RunResult run)
        {
            Run = run;
            var s = run.Scenario;
            (Per, Span) = PointSpan(s);
            Count = (s.IntervalCount + Per - 1) / Per;
            Days = ConsoleReport.SpansDays(s);
            FromHours = s.ClockStartSeconds / 3600;
            ToHours = (s.ClockStartSeconds + s.HorizonSeconds) / 3600;
            Middles = [.. Enumerable.Range(0, Count).Select(p => (s.ClockStartSeconds + (Math.Min(s.IntervalCount, (p + 1) * Per) + p * Per) * 0.5 * s.IntervalSeconds) / 3600)];
            Markers = Count <= 72;
            _means = new double[KpiValues.Names.Length][];
            _halfWidths = new double[KpiValues.Names.Length][];
            var counts = new int[KpiValues.Names.Length][];
            for (var i = 0; i < _means.Length; i++)
            {
                _means[i] = new double[Count];
                _halfWidths[i] = new double[Count];
                counts[i] = new int[Count];
            }
            foreach (var interval in run.Intervals)
            {
                var p = interval.Index / Per;
                for (var i = 0; i < _means.Length; i++)
                {
                    var mean = interval.Kpis.Scalars[i].Mean;
                    if (Per == 1)
                    {
                        _means[i][p] = mean;
                        _halfWidths[i][p] = interval.Kpis.Scalars[i].HalfWidth;
                    }
                    else if (double.IsFinite(mean))
                    {
                        // The queue's point is its largest interval; the others the mean of their defined intervals.
                        _means[i][p] = i == KpiCatalog.MaxQueueLength ? Math.Max(_means[i][p], mean) : _means[i][p] + mean;
                        counts[i][p]++;
                    }
                }
            }
            if (Per > 1)
            {
                for (var i = 0; i < _means.Length; i++)
                {
                    for (var p = 0; p < Count; p++)
                    {
                        _means[i][p] = counts[i][p] == 0 ? double.NaN : i == KpiCatalog.MaxQueueLength ? _means[i][p] : _means[i][p] / counts[i][p];
                        _halfWidths[i][p] = double.NaN;
                    }
                }
            }
        }

        /// <summary>Intervals per point (1: every interval drawn).</summary>
        public int Per { get; }

        /// <summary>What a point covers when it groups intervals: "hour", "day" …; "" otherwise.</summary>
        public string Span { get; }

        /// <summary>The point values of a series of interval values: the mean of each point's intervals.</summary>
        public double[] Points(IReadOnlyList<double> perInterval)
        {
            if (Per == 1)
            {
                return [.. perInterval];
            }
            var points = new double[Count];
            for (var p = 0; p < Count; p++)
            {
                var from = p * Per;
                var to = Math.Min(perInterval.Count, from + Per);
                double sum = 0;
                for (var k = from; k < to; k++)
                {
                    sum += perInterval[k];
                }
                points[p] = to > from ? sum / (to - from) : double.NaN;
            }
            return points;
        }

        private readonly double[][] _means;
        private readonly double[][] _halfWidths;

        public RunResult Run { get; }
        public int Count { get; }
        public bool Days { get; }
        public double FromHours { get; }
        public double ToHours { get; }
        public double[] Middles { get; }
        public bool Markers { get; }

        public double[] Mean(int kpi, double scale = 1) => [.. _means[kpi].Select(v => v * scale)];

        /// <summary>Mean ± half-width, clamped to [min, max]; undefined where the half-width is.</summary>
        public (double[] Low, double[] High) Band(int kpi, double scale = 1, double min = 0, double max = double.PositiveInfinity)
        {
            var low = new double[Count];
            var high = new double[Count];
            for (var k = 0; k < Count; k++)
            {
                var m = _means[kpi][k] * scale;
                var h = _halfWidths[kpi][k] * scale;
                low[k] = Math.Clamp(m - h, min, max);
                high[k] = Math.Clamp(m + h, min, max);
                if (!double.IsFinite(m) || !double.IsFinite(h))
                {
                    low[k] = high[k] = double.NaN;
                }
            }
            return (low, high);
        }

        public string Replications => Run.ReplicationCount == 1 ? "1 replication" : string.Create(Inv, $"mean of {Run.ReplicationCount} replications");

        /// <summary>How the points group intervals, for an axis label ("" when every interval is drawn).</summary>
        public string ByPoint => Per == 1 ? "" : $" - by {Span}: mean of its intervals, no confidence band";
    }

    private static Plot NewIntervalPlot(Series d, string title, string yLabel)
    {
        var plot = ChartStyle.NewPlot(title, "time of day" + (d.Days ? " (d1 = first day)" : "") + " - " + d.Replications + d.ByPoint, yLabel);
        ChartStyle.ClockAxis(plot, d.FromHours, d.ToHours, d.Days);
        return plot;
    }

    private static void FromZero(Plot plot, double top)
    {
        plot.Axes.SetLimitsY(0, double.IsFinite(top) && top > 0 ? top * 1.08 : 1);
    }

    private static double Max(params double[][] series) =>
        series.SelectMany(s => s).Where(double.IsFinite).DefaultIfEmpty(0).Max();

    private static Chart Calls(Series d)
    {
        var plot = NewIntervalPlot(d, "Calls per interval", "calls (by arrival time)");
        var offered = d.Mean(KpiCatalog.Offered);
        var answered = d.Mean(KpiCatalog.Answered);
        var abandoned = d.Mean(KpiCatalog.Abandoned);
        var blocked = d.Mean(KpiCatalog.Blocked);
        ChartStyle.Line(plot, d.Middles, offered, ChartStyle.Blue, "offered", d.Markers);
        ChartStyle.Line(plot, d.Middles, answered, ChartStyle.Green, "answered", d.Markers);
        ChartStyle.Line(plot, d.Middles, abandoned, ChartStyle.Red, "abandoned", d.Markers);
        if (blocked.Any(v => v > 0))
        {
            ChartStyle.Line(plot, d.Middles, blocked, ChartStyle.Purple, "blocked (busy signal)", d.Markers);
        }
        FromZero(plot, Max(offered, answered, abandoned, blocked));
        ChartStyle.Legend(plot);
        return new Chart("calls", "Calls offered, answered, abandoned and blocked per interval", plot);
    }

    private static Chart ServiceLevel(Series d)
    {
        var s = d.Run.Scenario;
        var threshold = ConsoleReport.Duration(s.ServiceLevel.ThresholdSeconds);
        var plot = NewIntervalPlot(d, $"Service level per interval (answered within {threshold})", "% of offered calls");
        var mean = d.Mean(KpiCatalog.ServiceLevel, 100);
        var (low, high) = d.Band(KpiCatalog.ServiceLevel, 100, 0, 100);
        ChartStyle.Band(plot, d.Middles, low, high, ChartStyle.Blue);
        ChartStyle.Line(plot, d.Middles, mean, ChartStyle.Blue, "service level (95 % confidence band)", d.Markers);
        var target = s.ServiceLevel.Target * 100;
        ChartStyle.Line(plot, [d.FromHours, d.ToHours], [target, target], ChartStyle.Red,
            string.Create(Inv, $"target {target:0.#} %"), markers: false, LinePattern.Dashed);
        plot.Axes.SetLimitsY(0, 105);
        ChartStyle.Legend(plot);
        return new Chart("service-level", $"Service level per interval (answered within {threshold}) against the target, with its 95 % confidence band", plot);
    }

    /// <summary>The service level per interval, as in <see cref="ServiceLevel"/>, with each rule that fired marked at the
    /// median of its first firing (a line labelled with its name) and its 90 % range shaded.</summary>
    private static Chart Playbook(Series d, PlaybookSummary playbook)
    {
        var s = d.Run.Scenario;
        var threshold = ConsoleReport.Duration(s.ServiceLevel.ThresholdSeconds);
        var plot = NewIntervalPlot(d, "Playbook: service level and each rule's first firing", "% of offered calls");
        var mean = d.Mean(KpiCatalog.ServiceLevel, 100);
        var (low, high) = d.Band(KpiCatalog.ServiceLevel, 100, 0, 100);
        ChartStyle.Band(plot, d.Middles, low, high, ChartStyle.Blue);
        ChartStyle.Line(plot, d.Middles, mean, ChartStyle.Blue, $"service level within {threshold} (95 % confidence band)", d.Markers);
        var target = s.ServiceLevel.Target * 100;
        ChartStyle.Line(plot, [d.FromHours, d.ToHours], [target, target], ChartStyle.Red,
            string.Create(Inv, $"target {target:0.#} %"), markers: false, LinePattern.Dashed);
        var days = ConsoleReport.SpansDays(s);
        double Hours(double seconds) => (s.ClockStartSeconds + seconds) / 3600;
        var drawn = 0;
        var fired = 0;
        var never = new List<string>();
        foreach (var rule in playbook.Rules)
        {
            var t = rule.FirstTime;
            if (!double.IsFinite(t.Median))
            {
                never.Add(rule.Name);
                continue;
            }
            if (++fired > MaxRules)
            {
                continue;
            }
            var color = ChartStyle.Rule(drawn++);
            if (t.P95 > t.P05)
            {
                // A filled band, not a span or a rectangle: their outlines make the SVG export print a warning.
                ChartStyle.Band(plot, [Hours(t.P05), Hours(t.P95)], [0, 0], [105, 105], color.WithAlpha(0.7));
            }
            var line = plot.Add.VerticalLine(Hours(t.Median));
            line.Color = color;
            line.LineWidth = 2;
            line.LinePattern = LinePattern.Solid; // a dashed vertical line makes the SVG export print a warning
            line.Text = rule.Name;
            line.LabelOppositeAxis = true;
            line.LabelFontName = ChartFonts.Family;
            line.LabelFontSize = 11;
            line.LegendText = string.Create(Inv,
                $"{rule.Name}: {ConsoleReport.Clock(s.ClockStartSeconds + t.Median, days)} (90 %: {ConsoleReport.Clock(s.ClockStartSeconds + t.P05, days)}-{ConsoleReport.Clock(s.ClockStartSeconds + t.P95, days)}), fired in {rule.FiredShare.Estimate * 100:0.#} % of replications");
        }
        plot.Axes.SetLimitsY(0, 105);
        ChartStyle.Legend(plot);
        var caption = "The playbook over the run: the service level per interval against the target, each rule's first firing at its median over the replications where it fired (dashed, named) with its 90 % range shaded";
        if (fired > MaxRules)
        {
            caption += string.Create(Inv, $"; the first {MaxRules} of the {fired} rules that fired");
        }
        if (never.Count > 0)
        {
            caption += never.Count <= MaxRules ? "; never fired: " + string.Join(", ", never) : string.Create(Inv, $"; {never.Count} rules never fired");
        }
        return new Chart(PlaybookName, caption, plot);
    }

    private static Chart Queue(Series d)
    {
        var plot = NewIntervalPlot(d, "Queue length per interval", "calls waiting (most at once)");
        var mean = d.Mean(KpiCatalog.MaxQueueLength);
        var (low, high) = d.Band(KpiCatalog.MaxQueueLength);
        ChartStyle.Band(plot, d.Middles, low, high, ChartStyle.Orange);
        ChartStyle.Line(plot, d.Middles, mean, ChartStyle.Orange, "max queue, mean of each replication's max (95 % confidence band)", d.Markers);
        FromZero(plot, Max(mean, high));
        ChartStyle.Legend(plot);
        return new Chart("queue", "Queue length per interval: the most calls waiting at once in a replication, mean over replications, with its 95 % confidence band", plot);
    }

    private static Chart Waits(Series d)
    {
        var plot = NewIntervalPlot(d, "Waits per interval", "seconds");
        var p90 = d.Mean(KpiCatalog.P90Wait);
        var (low, high) = d.Band(KpiCatalog.P90Wait);
        var mean = d.Mean(KpiCatalog.MeanWait);
        var asa = d.Mean(KpiCatalog.AverageSpeedOfAnswer);
        ChartStyle.Band(plot, d.Middles, low, high, ChartStyle.Purple);
        ChartStyle.Line(plot, d.Middles, p90, ChartStyle.Purple, "90th percentile wait (95 % confidence band)", d.Markers);
        var p95 = d.Mean(KpiCatalog.P95Wait);
        var p50 = d.Mean(KpiCatalog.P50Wait);
        ChartStyle.Line(plot, d.Middles, p95, ChartStyle.Red, "95th percentile wait", d.Markers);
        ChartStyle.Line(plot, d.Middles, p50, ChartStyle.Orange, "median wait", d.Markers);
        ChartStyle.Line(plot, d.Middles, mean, ChartStyle.Blue, "mean wait (all calls)", d.Markers);
        ChartStyle.Line(plot, d.Middles, asa, ChartStyle.Green, "average speed of answer", d.Markers);
        FromZero(plot, Max(p90, high, mean, asa, p95));
        ChartStyle.Legend(plot);
        return new Chart("waits", "Waits per interval: median, 90th (with its 95 % confidence band) and 95th percentiles of the wait of queued calls, mean wait and average speed of answer", plot);
    }

    private static Chart Staffing(RunReport report, Series d)
    {
        var s = report.Run.Scenario;
        var shown = Math.Min(s.Groups.Count, MaxGroups);
        var groupsNote = shown < s.Groups.Count ? string.Create(Inv, $" - the first {shown} of {s.Groups.Count} groups") : "";
        var plot = ChartStyle.NewPlot("Operators on duty per interval", "time of day" + (d.Days ? " (d1 = first day)" : "") + d.ByPoint + groupsNote, "operators");
        ChartStyle.ClockAxis(plot, d.FromHours, d.ToHours, d.Days);
        // Steps over each point: the points' starts, then the end of the horizon.
        var edges = Enumerable.Range(0, d.Count + 1).Select(p => (s.ClockStartSeconds + Math.Min(s.IntervalCount, p * d.Per) * s.IntervalSeconds) / 3600).ToArray();
        var top = 0.0;
        void Step(IReadOnlyList<double> perInterval, Color color, string label, LinePattern pattern, float width)
        {
            var values = d.Points(perInterval);
            double[] ys = [.. values, values.Length > 0 ? values[^1] : 0];
            var line = plot.Add.Scatter(edges, ys, color);
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.MarkerSize = 0;
            line.LineWidth = width;
            line.LinePattern = pattern;
            line.LegendText = label;
            top = Math.Max(top, ys.Max());
        }
        // By the plan: the staffing, or the mean on duty of a group with shifts, breaks, shrinkage or activation.
        var total = new double[s.IntervalCount];
        for (var g = 0; g < s.Groups.Count; g++)
        {
            // One group's plan at a time: many groups over a long horizon are never all held at once.
            var onDuty = Model.Components.OperatorSchedule.MeanOnDutyPerInterval(s.Groups[g], s);
            for (var k = 0; k < total.Length; k++)
            {
                total[k] += onDuty[k];
            }
            if (g < shown)
            {
                Step(onDuty, ChartStyle.Series(g), s.Groups[g].Name, LinePattern.Solid, 2);
            }
        }
        if (s.Groups.Count > 1)
        {
            Step(total, Colors.Black, "all groups", LinePattern.Solid, 1.5f);
        }
        if (report.StaffingNeeded is { } plan)
        {
            foreach (var need in plan.Needs)
            {
                var g = need.Group is null ? -1 : s.Groups.ToList().FindIndex(x => x.Name == need.Group);
                Step([.. need.OperatorsPerInterval.Select(v => (double)v)], g >= 0 ? ChartStyle.Series(g) : Colors.Black, "needed: " + (need.Group ?? "all groups"), LinePattern.Dashed, 2);
            }
        }
        FromZero(plot, top);
        ChartStyle.Legend(plot);
        var caption = report.StaffingNeeded is null ? "Operators on duty per group" : "Operators on duty per group, and the staffing needed (dashed)";
        return new Chart("staffing", caption, plot);
    }
}
