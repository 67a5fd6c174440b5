using System.Globalization;
using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using ScottPlot;

namespace CrisisSim.Reporting;

/// <summary>One row of a sweep: the value of the swept parameter and the KPIs of the run made with it.</summary>
public sealed record SweepRow(double Value, KpiEstimates Kpis);

/// <summary>The runs of a sweep, one row per value of <paramref name="Parameter"/>.</summary>
/// <param name="Parameter">What was swept, as shown on the x axis (for example "operators in backup").</param>
public sealed record SweepTable(string Parameter, IReadOnlyList<SweepRow> Rows);

/// <summary>A KPI against the swept parameter: the mean over replications at each value, its 95 % confidence band, and
/// the target when one is given.</summary>
public static class SweepChart
{
    /// <param name="kpi">A KPI name of <see cref="KpiValues.Names"/> (for example <c>service_level</c>).</param>
    /// <param name="target">A target in the KPI's own unit (a fraction for rates: 0.8), drawn as a dashed line.</param>
    public static Chart Create(SweepTable table, string kpi, double? target = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var index = Array.IndexOf(KpiValues.Names, kpi);
        if (index < 0)
        {
            throw new ArgumentException($"'{kpi}' is not a KPI; the KPIs are {string.Join(", ", KpiValues.Names)}", nameof(kpi));
        }
        var definition = KpiCatalog.All[index];
        var (scale, unit) = definition.Format switch
        {
            KpiFormat.Ratio => (100.0, "%"),
            KpiFormat.Seconds => (1.0, "s"),
            _ => (1.0, ""),
        };
        var label = definition.Label.Replace(" ({threshold})", "", StringComparison.Ordinal);
        var rows = table.Rows.OrderBy(r => r.Value).ToArray();
        double[] xs = [.. rows.Select(r => r.Value)];
        double[] mean = [.. rows.Select(r => r.Kpis.Scalars[index].Mean * scale)];
        double[] low = [.. rows.Select(r => (r.Kpis.Scalars[index].Mean - r.Kpis.Scalars[index].HalfWidth) * scale)];
        double[] high = [.. rows.Select(r => (r.Kpis.Scalars[index].Mean + r.Kpis.Scalars[index].HalfWidth) * scale)];
        var plot = ChartStyle.NewPlot($"{Capital(label)} against {table.Parameter}", table.Parameter, unit.Length > 0 ? $"{label} ({unit})" : label);
        ChartStyle.Band(plot, xs, low, high, ChartStyle.Blue);
        ChartStyle.Line(plot, xs, mean, ChartStyle.Blue, label + " (95 % confidence band)", markers: true);
        if (target is { } t && xs.Length > 0)
        {
            var y = t * scale;
            ChartStyle.Line(plot, [xs[0], xs[^1]], [y, y], ChartStyle.Red, string.Create(CultureInfo.InvariantCulture, $"target {y:0.##}{(unit.Length > 0 ? " " + unit : "")}"), markers: false, LinePattern.Dashed);
        }
        ChartStyle.Legend(plot);
        return new Chart("sweep-" + kpi.Replace('_', '-'), $"{Capital(label)} against {table.Parameter}, with its 95 % confidence band", plot);
    }

    private static string Capital(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
