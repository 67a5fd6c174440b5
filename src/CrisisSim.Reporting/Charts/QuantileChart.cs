using ScottPlot;

namespace CrisisSim.Reporting;

/// <summary>A Q-Q chart: the observed quantiles of a sample against those of the distribution fitted to it, with the
/// diagonal where a perfect fit would lie.</summary>
public static class QuantileChart
{
    public static Chart Create(string name, string title, IReadOnlyList<(double Fitted, double Observed)> pairs, string unit)
    {
        var plot = ChartStyle.NewPlot(title, $"fitted quantile ({unit})", $"observed quantile ({unit})");
        double[] xs = [.. pairs.Select(p => p.Fitted)];
        double[] ys = [.. pairs.Select(p => p.Observed)];
        var top = pairs.Count == 0 ? 1 : Math.Max(xs.Max(), ys.Max());
        ChartStyle.Line(plot, [0, top], [0, top], ChartStyle.Gray, "a perfect fit", markers: false, LinePattern.Dashed);
        var points = plot.Add.ScatterPoints(xs, ys, ChartStyle.Blue);
        points.MarkerSize = 5;
        points.LegendText = "quantiles (1 % steps at most)";
        ChartStyle.Legend(plot);
        return new Chart(name, title, plot);
    }
}
