using System.Globalization;
using ScottPlot;

namespace CrisisSim.Reporting;

/// <summary>One curve of a sizing chart: a value for each count of committed seats, for one choice of the other terms
/// (on-demand seats, activation delay …).</summary>
public sealed record RiskSeries(string Label, IReadOnlyList<double> Seats, IReadOnlyList<double> Values);

/// <summary>Contract sizing charts: the probability of meeting the SLA against the committed seats, with the risk level
/// asked for, and the expected total cost against the committed seats.</summary>
public static class RiskChart
{
    /// <param name="probability">Each series' probability (0 to 1) of meeting the SLA every day.</param>
    /// <param name="risk">The level asked for (0 to 1), drawn dashed.</param>
    public static Chart Probability(IReadOnlyList<RiskSeries> probability, double risk)
    {
        var plot = ChartStyle.NewPlot("Probability of meeting the SLA every day", "committed seats", "probability (%)");
        Draw(plot, probability, 100);
        var xs = probability.SelectMany(s => s.Seats).ToArray();
        if (xs.Length > 0)
        {
            ChartStyle.Line(plot, [xs.Min(), xs.Max()], [100 * risk, 100 * risk], ChartStyle.Red,
                string.Create(CultureInfo.InvariantCulture, $"risk level {100 * risk:0.##} %"), markers: false, LinePattern.Dashed);
        }
        ChartStyle.Legend(plot);
        return new Chart("size-risk", "Probability of meeting the SLA every day against the committed seats", plot);
    }

    /// <param name="cost">Each series' expected total cost (seats, activation fees and penalties).</param>
    public static Chart Cost(IReadOnlyList<RiskSeries> cost)
    {
        var plot = ChartStyle.NewPlot("Expected total cost", "committed seats", "expected cost");
        Draw(plot, cost, 1);
        ChartStyle.Legend(plot);
        return new Chart("size-cost", "Expected total cost (seats, activation fees, penalties) against the committed seats", plot);
    }

    private static void Draw(Plot plot, IReadOnlyList<RiskSeries> series, double scale)
    {
        for (var i = 0; i < series.Count; i++)
        {
            var s = series[i];
            var order = Enumerable.Range(0, s.Seats.Count).OrderBy(k => s.Seats[k]).ToArray();
            ChartStyle.Line(plot, [.. order.Select(k => s.Seats[k])], [.. order.Select(k => s.Values[k] * scale)], ChartStyle.Series(i), s.Label, markers: true);
        }
    }
}
