using System.Globalization;
using ScottPlot;

namespace CrisisSim.Reporting;

/// <summary>A chart ready to be saved as PNG or SVG; each image is drawn once, when first asked for.</summary>
public sealed partial class Chart
{
    public const int DefaultWidth = 900;
    public const int DefaultHeight = 420;

    private readonly Plot _plot;
    private byte[]? _png;
    private string? _svg;

    internal Chart(string name, string title, Plot plot, int width = DefaultWidth, int height = DefaultHeight)
    {
        Name = name;
        Title = title;
        _plot = plot;
        Width = width;
        Height = height;
    }

    /// <summary>The file name without extension (<c>charts/NAME.png</c>, <c>charts/NAME.svg</c>).</summary>
    public string Name { get; }

    /// <summary>What the chart shows, one line (its caption in the report).</summary>
    public string Title { get; }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Draws the images of several charts at once, one chart per core (each chart is its own plot).</summary>
    public static void Draw(IReadOnlyList<Chart> charts, bool png, bool svg) =>
        Parallel.ForEach(charts, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, chart =>
        {
            if (png)
            {
                chart.Png();
            }
            if (svg)
            {
                chart.Svg();
            }
        });

    public byte[] Png() => _png ??= _plot.GetImageBytes(Width, Height, ImageFormat.Png);

    /// <summary>The chart as an SVG document (UTF-8 text, <c>\n</c> line ends).</summary>
    public string Svg() => _svg ??= Deterministic(_plot.GetSvgXml(Width, Height).ReplaceLineEndings("\n"));

    /// <summary>Numbers the clip paths from 1 in each document: the graphics library numbers them across the process,
    /// so the same chart would otherwise differ from one run to the next.</summary>
    private static string Deterministic(string svg)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        return ClipId().Replace(svg, m =>
        {
            if (!ids.TryGetValue(m.Value, out var id))
            {
                id = "cl_" + (ids.Count + 1).ToString(CultureInfo.InvariantCulture);
                ids[m.Value] = id;
            }
            return id;
        });
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\bcl_[0-9a-f]+\b")]
    private static partial System.Text.RegularExpressions.Regex ClipId();
}

/// <summary>Building blocks shared by the charts: fonts, colors, clock-time axes, lines that skip undefined values.</summary>
internal static class ChartStyle
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static readonly Color Blue = Color.FromHex("#1f77b4");
    public static readonly Color Orange = Color.FromHex("#ff7f0e");
    public static readonly Color Green = Color.FromHex("#2ca02c");
    public static readonly Color Red = Color.FromHex("#d62728");
    public static readonly Color Purple = Color.FromHex("#9467bd");
    public static readonly Color Gray = Color.FromHex("#7f7f7f");

    /// <summary>A color per series (groups, call types), cycling.</summary>
    public static Color Series(int i) => Colors.Category10[i % Colors.Category10.Length];

    private static readonly Color[] RuleColors = [.. Colors.Category10.Where(c => c != Blue && c != Red)];

    /// <summary>A color per playbook rule, cycling: neither the service level's blue nor the target's red.</summary>
    public static Color Rule(int i) => RuleColors[i % RuleColors.Length];

    /// <summary>A new plot with the registered fonts, a title, axis labels and invariant-culture tick labels.</summary>
    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        ChartFonts.Register();
        var plot = new Plot();
        plot.Font.Set(ChartFonts.Family);
        plot.Title(title, 16);
        plot.XLabel(xLabel, 13);
        plot.YLabel(yLabel, 13);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = Number };
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = Number };
        return plot;
    }

    public static string Number(double v) => Math.Abs(v) < 1e-9 ? "0" : v.ToString("0.###", Inv);

    /// <summary>Ticks at clock times (hours since midnight of the first day) over [from, to]: a round step giving at
    /// most about ten labels, labelled <c>HH:MM</c>, or <c>dN HH:MM</c> when the range spans days.</summary>
    public static void ClockAxis(Plot plot, double fromHours, double toHours, bool days)
    {
        double[] steps = [0.25, 0.5, 1, 2, 3, 4, 6, 12, 24, 48, 72, 168, 336, 720, 1440, 2880, 8760];
        var span = Math.Max(toHours - fromHours, 1e-9);
        var step = steps.FirstOrDefault(s => span / s <= 10, steps[^1]);
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (var t = Math.Ceiling(fromHours / step - 1e-9) * step; t <= toHours + 1e-9; t += step)
        {
            ticks.AddMajor(t, ClockLabel(t, days));
        }
        plot.Axes.Bottom.TickGenerator = ticks;
        // A little room at both ends, so that the first and last labels are not cut.
        plot.Axes.SetLimitsX(fromHours - span * 0.015, toHours + span * 0.015);
    }

    public static string ClockLabel(double hours, bool days)
    {
        var minutes = (long)Math.Round(hours * 60);
        var clock = string.Create(Inv, $"{minutes % 1440 / 60:00}:{minutes % 60:00}");
        return days ? string.Create(Inv, $"d{minutes / 1440 + 1} {clock}") : clock;
    }

    /// <summary>A line through the finite points only, broken where a value is undefined; one legend entry.</summary>
    public static void Line(Plot plot, double[] xs, double[] ys, Color color, string label, bool markers, LinePattern? pattern = null, float width = 2)
    {
        var first = true;
        foreach (var (from, to) in Runs(ys))
        {
            var line = plot.Add.Scatter(xs[from..to], ys[from..to], color);
            line.LineWidth = width;
            line.MarkerSize = markers ? 5 : 0;
            line.LinePattern = pattern ?? LinePattern.Solid;
            if (first)
            {
                line.LegendText = label;
                first = false;
            }
        }
    }

    /// <summary>A shaded band between two series (a confidence interval), where both are finite.</summary>
    public static void Band(Plot plot, double[] xs, double[] low, double[] high, Color color)
    {
        var both = new double[xs.Length];
        for (var i = 0; i < both.Length; i++)
        {
            both[i] = double.IsFinite(low[i]) && double.IsFinite(high[i]) ? 0 : double.NaN;
        }
        foreach (var (from, to) in Runs(both))
        {
            var band = plot.Add.FillY(xs[from..to], low[from..to], high[from..to]);
            band.FillColor = color.WithAlpha(0.22);
            band.LineWidth = 0;
        }
    }

    /// <summary>Index ranges [from, to) of consecutive finite values.</summary>
    private static IEnumerable<(int From, int To)> Runs(double[] values)
    {
        var i = 0;
        while (i < values.Length)
        {
            while (i < values.Length && !double.IsFinite(values[i]))
            {
                i++;
            }
            var from = i;
            while (i < values.Length && double.IsFinite(values[i]))
            {
                i++;
            }
            if (i > from)
            {
                yield return (from, i);
            }
        }
    }

    public static void Legend(Plot plot)
    {
        plot.ShowLegend(Edge.Bottom);
        plot.Legend.FontName = ChartFonts.Family;
        plot.Legend.FontSize = 12;
    }
}
