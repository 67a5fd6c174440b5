using System.Globalization;
using ScottPlot;

namespace CrisisSim.Reporting;

/// <summary>One curve of a sizing chart: a value for each count of committed seats, for one choice of the other terms
/// (on-demand seats, activation delay …), and optionally the ends of each value's confidence interval, drawn as a
/// band.</summary>
public sealed record RiskSeries(string Label, IReadOnlyList<double> Seats, IReadOnlyList<double> Values,
    IReadOnlyList<double>? Low = null, IReadOnlyList<double>? High = null);

/// <summary>Contract sizing charts: the probability of meeting the SLA against the committed seats, with the risk level
/// asked for, and the expected total cost against the committed seats, each with its confidence band.</summary>
public static class RiskChart
{
    /// <param name="probability">Each series' probability (0 to 1) of meeting the SLA every day.</param>
    /// <param name="risk">The level asked for (0 to 1), drawn dashed.</param>
    /// <param name="confidence">The level of the series' bands, named in the legend.</param>
    public static Chart Probability(IReadOnlyList<RiskSeries> probability, double risk, double confidence = 0.95)
    {
        var plot = ChartStyle.NewPlot("Probability of meeting the SLA every day", "committed seats", "probability (%)");
        Draw(plot, probability, 100, confidence);
        var xs = probability.SelectMany(s => s.Seats).ToArray();
        if (xs.Length > 0)
        {
            ChartStyle.Line(plot, [xs.Min(), xs.Max()], [100 * risk, 100 * risk], ChartStyle.Red,
                string.Create(CultureInfo.InvariantCulture, $"risk level {100 * risk:0.##} %"), markers: false, LinePattern.Dashed);
        }
        ChartStyle.Legend(plot);
        return new Chart("size-risk", string.Create(CultureInfo.InvariantCulture, $"Probability of meeting the SLA every day against the committed seats, with its {100 * confidence:0.##} % confidence band"), plot);
    }

    /// <param name="cost">Each series' expected total cost (seats, activation fees and penalties).</param>
    public static Chart Cost(IReadOnlyList<RiskSeries> cost, double confidence = 0.95)
    {
        var plot = ChartStyle.NewPlot("Expected total cost", "committed seats", "expected cost");
        Draw(plot, cost, 1, confidence);
        ChartStyle.Legend(plot);
        return new Chart("size-cost", string.Create(CultureInfo.InvariantCulture,
            $"Expected total cost (seats, activation fees, penalties) against the committed seats, with its {100 * confidence:0.##} % confidence band"), plot);
    }

    private static void Draw(Plot plot, IReadOnlyList<RiskSeries> series, double scale, double confidence)
    {
        var banded = false;
        for (var i = 0; i < series.Count; i++)
        {
            var s = series[i];
            var order = Enumerable.Range(0, s.Seats.Count).OrderBy(k => s.Seats[k]).ToArray();
            double[] xs = [.. order.Select(k => s.Seats[k])];
            if (s.Low is { } low && s.High is { } high)
            {
                ChartStyle.Band(plot, xs, [.. order.Select(k => low[k] * scale)], [.. order.Select(k => high[k] * scale)], ChartStyle.Series(i));
                banded = true;
            }
            ChartStyle.Line(plot, xs, [.. order.Select(k => s.Values[k] * scale)], ChartStyle.Series(i), s.Label, markers: true);
        }
        if (banded)
        {
            // The band's level once, in the title, rather than on every curve's legend entry.
            plot.Title(plot.Axes.Title.Label.Text + string.Create(CultureInfo.InvariantCulture, $" (shaded: {100 * confidence:0.##} % confidence band)"));
        }
    }
}
