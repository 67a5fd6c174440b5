using System.Globalization;
using CrisisSim.Planning;

namespace CrisisSim.Reporting;

/// <summary>Writes the charts of a planning command under <c>charts/</c>.</summary>
public static class PlanningCharts
{
    /// <summary>Makes, draws and writes the charts as PNG and SVG; without the chart fonts (which making a chart already
    /// needs), says so on <paramref name="warnings"/> and goes on (the tables are the result, the charts a view of
    /// them).</summary>
    public static void Write(Func<IReadOnlyList<Chart>> make, ExportTarget target, TextWriter warnings)
    {
        try
        {
            var charts = make();
            if (charts.Count == 0)
            {
                return;
            }
            ChartFonts.Register();
            Chart.Draw(charts, png: true, svg: true);
            foreach (var chart in charts)
            {
                ChartFiles.Write(chart, target);
            }
        }
        catch (ChartFontsException ex)
        {
            warnings.WriteLine($"warning: no charts written: {ex.Message}");
        }
    }
}

/// <summary>The charts of a sweep over one parameter: service level (against the scenario's target), abandonment rate
/// and average speed of answer against the swept value, each with its 95 % confidence band.</summary>
/// <remarks>Drawn when the grid has a single <c>--set</c> key whose values are all numbers, or all durations (drawn
/// in hours); a grid over several keys, or over lists and maps, has its table only.</remarks>
public static class SweepCharts
{
    public static IReadOnlyList<string> Kpis { get; } = ["service_level", "abandonment_rate", "asa"];

    public static IReadOnlyList<Chart> Of(IReadOnlyList<SweepPoint> points, SweepGrid grid)
    {
        if (grid.Axes.Count != 1 || points.Count == 0)
        {
            return [];
        }
        var axis = grid.Axes[0];
        var numbers = axis.Values.Select(Number).ToArray();
        string label;
        double[] xs;
        if (numbers.All(n => n is not null))
        {
            label = axis.Key;
            xs = [.. numbers.Select(n => n!.Value)];
        }
        else
        {
            var hours = axis.Values.Select(Hours).ToArray();
            if (hours.Any(h => h is null))
            {
                return [];
            }
            label = axis.Key + " (h)";
            xs = [.. hours.Select(h => h!.Value)];
        }
        var table = new SweepTable(label, [.. points.Select(p => new SweepRow(xs[grid.Indices(p.Index)[0]], p.Overall))]);
        return [.. Kpis.Select(k => SweepChart.Create(table, k, k == "service_level" ? points[0].Target : null))];
    }

    private static double? Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;

    private static double? Hours(string text)
    {
        var t = text.Trim();
        if (t.Length < 2 || Number(t[..^1]) is not { } value)
        {
            return null;
        }
        return t[^1] switch
        {
            's' => value / 3600,
            'm' => value / 60,
            'h' => value,
            'd' => value * 24,
            _ => null,
        };
    }
}

/// <summary>The charts of a contract sizing: the probability of meeting the SLA every day (with its Wilson band), and the
/// expected total cost (± its half-width), against the committed seats; one curve per choice of the other terms
/// (on-demand seats, <c>--option</c> values).</summary>
public static class SizingCharts
{
    public static IReadOnlyList<Chart> Of(SizingResult result)
    {
        if (result.Options.Count == 0)
        {
            return [];
        }
        var series = result.Options
            .GroupBy(o => Label(o), StringComparer.Ordinal)
            .Select(g => (g.Key, Options: g.ToArray()))
            .ToArray();
        return
        [
            RiskChart.Probability([.. series.Select(s => new RiskSeries(s.Key, [.. s.Options.Select(o => (double)o.Committed)], [.. s.Options.Select(o => o.PAllDays)],
                [.. s.Options.Select(o => o.AllDays.Lower)], [.. s.Options.Select(o => o.AllDays.Upper)]))], result.Request.Risk, result.Request.Confidence),
            RiskChart.Cost([.. series.Select(s => new RiskSeries(s.Key, [.. s.Options.Select(o => (double)o.Committed)], [.. s.Options.Select(o => o.ExpectedTotal)],
                [.. s.Options.Select(o => o.ExpectedTotal - o.ExpectedTotalHalfWidth)], [.. s.Options.Select(o => o.ExpectedTotal + o.ExpectedTotalHalfWidth)]))], result.Request.Confidence),
        ];
    }

    private static string Label(SizingOption o)
    {
        var parts = new List<string>();
        if (o.OnDemand > 0)
        {
            parts.Add(o.OnDemand.ToString(CultureInfo.InvariantCulture) + " on demand");
        }
        parts.AddRange(o.Choices);
        return parts.Count == 0 ? "committed seats only" : string.Join(", ", parts);
    }
}
