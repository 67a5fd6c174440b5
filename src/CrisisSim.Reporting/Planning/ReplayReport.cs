using System.Globalization;
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

/// <summary>The replay's table and <c>replay.csv</c>.</summary>
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
            table.AddRow(
                Clock(r.StartSeconds),
                F(r.ObservedOffered, "F1"), F(r.Offered.Mean, "F1"),
                F(r.ObservedAbandonmentRate * 100, "F1"), WithHalfWidth(r.AbandonmentRate, 100),
                F(r.ObservedMeanWait, "F0"), WithHalfWidth(r.MeanWait, 1, "F0"),
                F(r.ObservedBusy, "F1"), F(r.Busy, "F1"));
        }
        table.WritePlain(writer);
    }

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
