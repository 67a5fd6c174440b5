using CrisisSim.Reporting.Planning;
using ScottPlot;

namespace CrisisSim.Reporting;

/// <summary>The charts of a replay: abandonment and offered calls, the log's beside the simulation's (with its 95 %
/// band), interval by interval of the day.</summary>
public static class ReplayCharts
{
    public static IReadOnlyList<Chart> Of(IReadOnlyList<ReplayRow> rows, double intervalSeconds)
    {
        if (rows.Count == 0)
        {
            return [];
        }
        // Each interval drawn at its middle, in hours of the day.
        double[] xs = [.. rows.Select(r => (r.StartSeconds + intervalSeconds / 2) / 3600)];
        return
        [
            Compare("replay-abandonment", "Abandonment rate, observed and simulated", "abandonment rate (%)", xs,
                [.. rows.Select(r => r.ObservedAbandonmentRate * 100)], [.. rows.Select(r => r.AbandonmentRate.Mean * 100)],
                [.. rows.Select(r => r.AbandonmentRate.HalfWidth * 100)]),
            Compare("replay-offered", "Calls offered, observed and simulated", "calls per interval", xs,
                [.. rows.Select(r => r.ObservedOffered)], [.. rows.Select(r => r.Offered.Mean)], [.. rows.Select(r => r.Offered.HalfWidth)]),
            Compare("replay-wait", "Mean wait of answered calls, observed and simulated", "seconds", xs,
                [.. rows.Select(r => r.ObservedMeanWait)], [.. rows.Select(r => r.MeanWait.Mean)], [.. rows.Select(r => r.MeanWait.HalfWidth)]),
        ];
    }

    private static Chart Compare(string name, string title, string yLabel, double[] xs, double[] observed, double[] simulated, double[] halfWidth)
    {
        var plot = ChartStyle.NewPlot(title, "time of day", yLabel);
        double[] low = [.. simulated.Select((m, i) => double.IsNaN(halfWidth[i]) ? m : m - halfWidth[i])];
        double[] high = [.. simulated.Select((m, i) => double.IsNaN(halfWidth[i]) ? m : m + halfWidth[i])];
        ChartStyle.Band(plot, xs, low, high, ChartStyle.Blue);
        ChartStyle.Line(plot, xs, simulated, ChartStyle.Blue, "simulated (95 % band)", markers: true);
        ChartStyle.Line(plot, xs, observed, ChartStyle.Orange, "observed (mean over the log's days)", markers: true);
        ChartStyle.ClockAxis(plot, 0, 24, days: false);
        ChartStyle.Legend(plot);
        return new Chart(name, title + ", interval by interval of the day", plot);
    }
}
