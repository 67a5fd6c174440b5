using System.Globalization;
using System.Text;
using CrisisSim.Engine;

namespace CrisisSim.Reporting.Planning;

/// <summary>One interval of the day in a replay: what the log shows (means over its days) beside what the scenario
/// gives (mean and 95 % half-width over replications).</summary>
public sealed record ReplayRow(
    int Index,
    double StartSeconds,
    double ObservedOffered,
    double ObservedAnswered,
    double ObservedAbandonmentRate,
    double ObservedMeanWait,
    double ObservedBusy,
    Estimate Offered,
    Estimate Answered,
    Estimate AbandonmentRate,
    Estimate MeanWait,
    double Busy);

/// <summary>What a replay replayed, as its console line and its page's title state it.</summary>
/// <param name="Scenario">The scenario's name.</param>
/// <param name="RecordedDays">Trace-driven: the days of the log whose recorded calls were replayed; null: model-driven
/// (the scenario's arrival process).</param>
/// <param name="WhatIf">The <c>--set</c> settings, <c>KEY=VALUE</c>.</param>
/// <param name="Days">The days of the log observed.</param>
/// <param name="TraceFile">The log's file name.</param>
public sealed record ReplayTitle(
    string Scenario, int? RecordedDays, IReadOnlyList<string> WhatIf, int Replications, long Seed, int Days, string TraceFile,
    long CallsRead, long Malformed)
{
    /// <summary>The line the console prints above the table.</summary>
    public string Line => string.Create(CultureInfo.InvariantCulture,
        $"{Scenario}{(RecordedDays is { } days ? string.Create(CultureInfo.InvariantCulture, $" (the recorded calls of {days} days)") : "")}{(WhatIf.Count > 0 ? " with " + string.Join(", ", WhatIf) : "")}: {Replications} replications, seed {Seed}, against {Days} days of {TraceFile} ({CallsRead:N0} calls read, {Malformed:N0} rows that could not be read)");
}

/// <summary>The replay's table, <c>replay.csv</c> and <c>report.html</c>.</summary>
public static class ReplayReport
{
    /// <summary>The columns of <c>replay.csv</c> (documented in the README, Replaying a call log).</summary>
    public static readonly string[] Columns =
    [
        "interval", "start", "observed_offered", "simulated_offered", "simulated_offered_ci95",
        "observed_answered", "simulated_answered", "simulated_answered_ci95",
        "observed_abandonment_rate", "simulated_abandonment_rate", "simulated_abandonment_rate_ci95",
        "observed_mean_wait", "simulated_mean_wait", "simulated_mean_wait_ci95",
        "observed_busy", "simulated_busy",
    ];

    /// <summary>The simulated side of one interval: offered, answered, abandonment rate, mean wait of the answered,
    /// and operators busy (each group's occupancy times its operators on duty, from the means).</summary>
    public static (Estimate Offered, Estimate Answered, Estimate AbandonmentRate, Estimate MeanWait, double Busy) Simulated(KpiEstimates simulated, double intervalSeconds)
    {
        var busy = 0.0;
        for (var g = 0; g < simulated.OccupancyByGroup.Count && g < simulated.OperatorHoursByGroup.Count; g++)
        {
            var occupancy = simulated.OccupancyByGroup[g].Mean;
            busy += (double.IsNaN(occupancy) ? 0 : occupancy) * simulated.OperatorHoursByGroup[g].Mean / (intervalSeconds / 3600);
        }
        return (simulated["offered"], simulated["answered"], simulated["abandonment_rate"], simulated["asa"], busy);
    }

    /// <summary>The mean of several days' estimates (one replay per recorded day): the mean of their means, and the
    /// half-width of that mean if the days are independent, sqrt(sum of squared half-widths) / days; NaN ones left out.</summary>
    public static Estimate MeanOverDays(IEnumerable<Estimate> days)
    {
        var valid = days.Where(d => !double.IsNaN(d.Mean)).ToArray();
        if (valid.Length == 0)
        {
            return new Estimate(double.NaN, double.NaN, 0);
        }
        var halfWidth = valid.Any(d => double.IsNaN(d.HalfWidth)) ? double.NaN : Math.Sqrt(valid.Sum(d => d.HalfWidth * d.HalfWidth)) / valid.Length;
        return new Estimate(valid.Average(d => d.Mean), halfWidth, valid.Sum(d => d.Count));
    }

    public static void WriteCsv(IReadOnlyList<ReplayRow> rows, string path)
    {
        using var writer = new StreamWriter(path, false, new System.Text.UTF8Encoding(false));
        Csv.Row(writer, Columns);
        foreach (var r in rows)
        {
            Csv.Row(writer,
            [
                Csv.Int(r.Index), Clock(r.StartSeconds),
                Csv.Number(r.ObservedOffered), Csv.Number(r.Offered.Mean), Csv.Number(r.Offered.HalfWidth),
                Csv.Number(r.ObservedAnswered), Csv.Number(r.Answered.Mean), Csv.Number(r.Answered.HalfWidth),
                Csv.Number(r.ObservedAbandonmentRate), Csv.Number(r.AbandonmentRate.Mean), Csv.Number(r.AbandonmentRate.HalfWidth),
                Csv.Number(r.ObservedMeanWait), Csv.Number(r.MeanWait.Mean), Csv.Number(r.MeanWait.HalfWidth),
                Csv.Number(r.ObservedBusy), Csv.Number(r.Busy),
            ]);
        }
    }

    public static void WriteTable(IReadOnlyList<ReplayRow> rows, TextWriter writer)
    {
        var table = new ConsoleTable(
            new ConsoleColumn("from", ColumnAlign.Left), new("offered obs"), new("sim"), new("abandon % obs"), new("sim"),
            new("wait (s) obs"), new("sim"), new("busy obs"), new("sim")) { Border = ConsoleBorder.Simple };
        foreach (var r in rows)
        {
            table.AddRow(Cells(r).Select(c => (ConsoleCell)c));
        }
        table.WritePlain(writer);
    }

    /// <summary>The sentence after the table: the largest abandonment gap from 09:00 to 18:00.</summary>
    public static string GapSentence(IReadOnlyList<ReplayRow> rows) => string.Create(CultureInfo.InvariantCulture,
        $"Largest abandonment gap from 09:00 to 18:00: {MaxAbandonmentGap(rows, 9 * 3600, 18 * 3600):F1} points (observed means over the days; simulated means over replications).");

    /// <summary>Writes <c>report.html</c>: the page of <see cref="RenderHtml"/>.</summary>
    public static void WriteHtml(ReplayTitle title, IReadOnlyList<ReplayRow> rows, Func<IReadOnlyList<Chart>> charts, ExportTarget target)
    {
        using var writer = target.CreateText(HtmlReport.FileName);
        writer.Write(RenderHtml(title, rows, charts));
    }

    /// <summary>The replay as one self-contained page, built as <see cref="HtmlReport"/> builds a run's (same content
    /// security policy and style sheet, charts embedded as SVG <c>data:</c> URIs): what was replayed, the console's
    /// table with the largest abandonment gap, and the charts.</summary>
    public static string RenderHtml(ReplayTitle title, IReadOnlyList<ReplayRow> rows, Func<IReadOnlyList<Chart>> charts)
    {
        static string E(string text) => HtmlReport.E(text);
        var version = RunFacts.VersionOf(typeof(ReplayReport).Assembly);
        var h = new StringBuilder(64 * 1024);
        HtmlReport.Head(h, title.Scenario + " - CrisisSim replay", version);
        h.Append("<header>\n<h1>").Append(E(title.Scenario)).Append("</h1>\n<p class=\"lead\">").Append(E(title.RecordedDays is { } days
                ? string.Create(CultureInfo.InvariantCulture, $"Trace-driven replay: the recorded calls of each of {days} days of the log, day by day.")
                : "Model-driven replay: the scenario's arrival process."))
            .Append(' ').Append(E(title.WhatIf.Count > 0 ? "What if: " + string.Join(", ", title.WhatIf) + "." : "The scenario as written (no what-if setting)."))
            .Append("</p>\n<p class=\"meta\">").Append(E(title.Line)).Append("</p>\n</header>\n");

        h.Append("<section id=\"replay\">\n<h2>Simulated against observed</h2>\n");
        h.Append("<p>").Append(E($"Interval by interval of the day: observed figures are means over the {title.Days.ToString(CultureInfo.InvariantCulture)} days of {title.TraceFile}; simulated ones means over {title.Replications.ToString(CultureInfo.InvariantCulture)} replications, ± the half-width of their 95 % confidence interval."))
            .Append("</p>\n<table id=\"replay-table\">\n<tr>");
        foreach (var header in (string[])["from", "offered, observed", "offered, simulated", "abandonment %, observed", "abandonment %, simulated",
            "mean wait (s), observed", "mean wait (s), simulated", "operators busy, observed", "operators busy, simulated"])
        {
            h.Append("<th>").Append(E(header)).Append("</th>");
        }
        h.Append("</tr>\n");
        foreach (var r in rows)
        {
            var cells = Cells(r);
            h.Append("<tr><td>").Append(E(cells[0])).Append("</td>");
            foreach (var cell in cells.Skip(1))
            {
                h.Append("<td class=\"n\">").Append(E(cell)).Append("</td>");
            }
            h.Append("</tr>\n");
        }
        h.Append("</table>\n<p id=\"replay-gap\">").Append(E(GapSentence(rows))).Append("</p>\n</section>\n");

        h.Append("<section id=\"charts\">\n<h2>Charts</h2>\n");
        HtmlReport.Figures(h, charts);
        h.Append("</section>\n");

        h.Append("<footer>Written by CrisisSim ").Append(E(version))
            .Append(". The figures of every interval are in replay.csv beside this report.</footer>\n");
        h.Append("</body>\n</html>\n");
        return h.ToString().ReplaceLineEndings("\n");
    }

    /// <summary>One row of the table, as the console and the page show it.</summary>
    private static string[] Cells(ReplayRow r) =>
    [
        Clock(r.StartSeconds),
        F(r.ObservedOffered, "F1"), F(r.Offered.Mean, "F1"),
        F(r.ObservedAbandonmentRate * 100, "F1"), WithHalfWidth(r.AbandonmentRate, 100),
        F(r.ObservedMeanWait, "F0"), WithHalfWidth(r.MeanWait, 1, "F0"),
        F(r.ObservedBusy, "F1"), F(r.Busy, "F1"),
    ];

    /// <summary>The largest gap of abandonment, in points, over the intervals from <paramref name="from"/> to
    /// <paramref name="to"/> (seconds of the day) with calls on both sides.</summary>
    public static double MaxAbandonmentGap(IReadOnlyList<ReplayRow> rows, double from, double to) =>
        rows.Where(r => r.StartSeconds >= from && r.StartSeconds < to && !double.IsNaN(r.ObservedAbandonmentRate) && !double.IsNaN(r.AbandonmentRate.Mean))
            .Select(r => Math.Abs(r.ObservedAbandonmentRate - r.AbandonmentRate.Mean) * 100).DefaultIfEmpty(double.NaN).Max();

    private static string Clock(double seconds) =>
        TimeSpan.FromSeconds(seconds).ToString(@"hh\:mm", CultureInfo.InvariantCulture);

    private static string F(double value, string format) =>
        double.IsNaN(value) ? "-" : value.ToString(format, CultureInfo.InvariantCulture);

    private static string WithHalfWidth(Estimate e, double scale, string format = "F1") =>
        double.IsNaN(e.Mean) ? "-" : (e.Mean * scale).ToString(format, CultureInfo.InvariantCulture) + " ± " + (double.IsNaN(e.HalfWidth) ? "-" : (e.HalfWidth * scale).ToString(format, CultureInfo.InvariantCulture));
}
