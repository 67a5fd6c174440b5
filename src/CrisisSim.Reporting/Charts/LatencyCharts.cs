using CrisisSim.Engine;

namespace CrisisSim.Reporting;

/// <summary>The charts of a live run (<c>crisissim load</c>): the routing decision's percentiles window by window
/// (<c>charts/latency.png</c>) and how far the driver lagged behind the scaled clock (<c>charts/lag.png</c>).</summary>
public static class LatencyCharts
{
    public static IReadOnlyList<string> Names { get; } = ["latency", "lag"];

    public static IReadOnlyList<Chart> Of(LatencyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var windows = report.Windows;
        double[] ends = [.. windows.Select(w => w.EndSeconds)];
        var latency = ChartStyle.NewPlot("Routing decision latency per window", "wall-clock seconds since the start", "milliseconds");
        var colors = new[] { ChartStyle.Green, ChartStyle.Blue, ChartStyle.Orange, ChartStyle.Red, ChartStyle.Purple };
        var top = 0.0;
        for (var i = 0; i < report.Percentiles.Count; i++)
        {
            double[] values = [.. windows.Select(w => w.Kinds[(int)LatencyKind.Route].Percentiles[i])];
            top = Math.Max(top, values.Where(double.IsFinite).DefaultIfEmpty(0).Max());
            ChartStyle.Line(latency, ends, values, colors[i % colors.Length], "p" + ChartStyle.Number(report.Percentiles[i]), windows.Count < 60);
        }
        latency.Axes.SetLimitsY(0, top > 0 ? top * 1.08 : 1);
        ChartStyle.Legend(latency);

        var lag = ChartStyle.NewPlot("Lag behind the scaled clock per window", "wall-clock seconds since the start", "milliseconds");
        double[] lags = [.. windows.Select(w => w.MaxLagMs)];
        ChartStyle.Line(lag, ends, lags, ChartStyle.Red, "largest delay between an intended time and its dispatch", windows.Count < 60);
        var lateAfter = report.Facts.LateAfterMs;
        if (windows.Count > 0)
        {
            ChartStyle.Line(lag, [0, ends[^1]], [lateAfter, lateAfter], ChartStyle.Gray, "late after", markers: false, ScottPlot.LinePattern.Dashed);
        }
        lag.Axes.SetLimitsY(0, Math.Max(lags.Where(double.IsFinite).DefaultIfEmpty(0).Max(), lateAfter) * 1.08);
        ChartStyle.Legend(lag);
        return
        [
            new Chart("latency", "Routing decision latency per window of the wall clock, from each call's intended time", latency),
            new Chart("lag", "How far the driver was behind the scaled clock per window, against the late tolerance", lag),
        ];
    }
}
