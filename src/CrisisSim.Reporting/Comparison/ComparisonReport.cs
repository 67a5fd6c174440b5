using System.Globalization;
using CrisisSim.Model.Recording;

namespace CrisisSim.Reporting;

/// <summary>What <c>crisissim compare</c> prints: the KPIs of run B against run A with the significance of each
/// difference, and the verdict of each threshold.</summary>
public static class ComparisonReport
{
    /// <summary>KPIs shown per interval with <c>--intervals</c>, besides those named by a threshold.</summary>
    private static readonly string[] IntervalKpis = ["offered", "service_level", "asa", "abandonment_rate"];

    /// <summary>The runs compared, then each overall KPI (A, B, B - A with its 95 % interval, p), and with
    /// <paramref name="showIntervals"/> the main KPIs, and those named by an <c>intervals.</c> threshold, interval by
    /// interval.</summary>
    public static void Write(RunComparison c, IReadOnlyList<ComparisonThreshold> thresholds, bool showIntervals, double alpha, TextWriter output)
    {
        output.WriteLine($"A: {c.A.Folder} ({c.A.Scenario}, seed {c.A.Seed}, {c.A.Replications} replications)");
        output.WriteLine($"B: {c.B.Folder} ({c.B.Scenario}, seed {c.B.Seed}, {c.B.Replications} replications)");
        if (c.A.Scenario != c.B.Scenario)
        {
            output.WriteLine($"note: the runs are of different scenarios ({c.A.Scenario}, {c.B.Scenario})");
        }
        output.WriteLine(c.Paired
            ? $"Overall KPIs compared replication by replication (same seed, {c.A.Replications} replications: paired t-test); the rest by Welch's t-test."
            : "KPIs compared by Welch's t-test (not paired: " + (c.A.Seed != c.B.Seed || c.A.Replications != c.B.Replications ? "different seeds or replications" : "replications.csv missing") + ").");
        output.WriteLine($"'*' marks a difference significant at {Pct(alpha)} (p < {alpha.ToString(CultureInfo.InvariantCulture)}).");
        output.WriteLine();
        output.WriteLine($"  {"overall KPI",-28} {"A",14} {"B",14} {"B - A (95 % CI)",26} {"p",8}");
        foreach (var row in c.Rows.Where(r => r.Scope.Kind == "overall" && Shown(r)))
        {
            output.WriteLine(Line(row.Kpi, row, alpha));
        }
        var named = thresholds.Where(t => t.Scope == "intervals").Select(t => t.Kpi);
        if (showIntervals)
        {
            foreach (var kpi in IntervalKpis.Concat(named).Distinct())
            {
                var rows = c.Rows.Where(r => r.Scope.Kind == "interval" && r.Kpi == kpi).ToList();
                if (rows.Count == 0)
                {
                    continue;
                }
                output.WriteLine();
                output.WriteLine($"  {kpi + " by interval",-28} {"A",14} {"B",14} {"B - A (95 % CI)",26} {"p",8}");
                foreach (var row in rows)
                {
                    output.WriteLine(Line("interval " + row.Scope.Interval.ToString(CultureInfo.InvariantCulture), row, alpha));
                }
            }
        }
    }

    /// <summary>Each threshold's verdict (<c>holds</c> or <c>CROSSED</c>) with the change, or the intervals that cross it;
    /// nothing without thresholds.</summary>
    public static void WriteThresholds(
        RunComparison c, IReadOnlyList<(ComparisonThreshold Threshold, IReadOnlyList<KpiComparison> Breaches)> results, bool significantOnly, double alpha, TextWriter output)
    {
        if (results.Count == 0)
        {
            return;
        }
        output.WriteLine();
        output.WriteLine($"Thresholds (change B - A{(significantOnly ? $", crossed only when significant at {Pct(alpha)}" : "")}):");
        foreach (var (t, breaches) in results)
        {
            var rows = t.Select(c).ToList();
            var verdict = breaches.Count == 0 ? "holds" : "CROSSED";
            var detail = rows.Count == 1
                ? $"change {Change(t, rows[0])}"
                : breaches.Count == 0 ? $"{rows.Count} intervals" : $"in {breaches.Count} of {rows.Count} intervals: " + string.Join(", ", breaches.Take(8).Select(r => $"{r.Scope.Interval} ({Change(t, r)})")) + (breaches.Count > 8 ? " …" : "");
            output.WriteLine($"  {verdict,-8} {t.Text,-36} {detail}");
        }
    }

    /// <summary>A KPI is shown unless it is zero or undefined in both runs (a mechanism neither scenario uses).</summary>
    private static bool Shown(KpiComparison r) => IsSet(r.A.Mean) || IsSet(r.B.Mean);

    private static bool IsSet(double v) => double.IsFinite(v) && v != 0;

    private static string Line(string label, KpiComparison r, double alpha)
    {
        var format = RunComparison.FormatOf(r.Kpi);
        var delta = Value(r.Difference.Delta, format, difference: true, signed: true);
        var ci = double.IsFinite(r.Difference.HalfWidth) ? " ± " + Value(r.Difference.HalfWidth, format, difference: true, signed: false) : "";
        var p = double.IsNaN(r.Difference.PValue) ? "" : r.Difference.PValue < 0.0001 ? "<0.0001" : r.Difference.PValue.ToString("0.0000", CultureInfo.InvariantCulture);
        var mark = r.Difference.IsSignificant(alpha) ? " *" : "";
        return $"  {label,-28} {Value(r.A.Mean, format, false, false),14} {Value(r.B.Mean, format, false, false),14} {delta + ci,26} {p,8}{mark}";
    }

    /// <summary>A KPI value as read: ratios in % (a difference of ratios in percentage points), seconds, counts.</summary>
    private static string Value(double v, KpiFormat format, bool difference, bool signed)
    {
        if (double.IsNaN(v))
        {
            return "-";
        }
        var sign = signed && v >= 0 ? "+" : "";
        return format switch
        {
            KpiFormat.Ratio => sign + (100 * v).ToString("0.00", CultureInfo.InvariantCulture) + (difference ? " pp" : " %"),
            KpiFormat.Seconds => sign + v.ToString("0.0", CultureInfo.InvariantCulture) + " s",
            _ => sign + v.ToString("0.0", CultureInfo.InvariantCulture),
        };
    }

    private static string Change(ComparisonThreshold t, KpiComparison r)
    {
        var change = t.ChangeOf(r);
        if (double.IsNaN(change))
        {
            return "undefined";
        }
        var unit = t.Unit switch { "pp" => " pp", "%" => " %", "s" => " s", _ => "" };
        return (change >= 0 ? "+" : "") + change.ToString("0.###", CultureInfo.InvariantCulture) + unit;
    }

    private static string Pct(double alpha) => (100 * alpha).ToString("0.##", CultureInfo.InvariantCulture) + " %";
}
