using System.Globalization;
using System.Text.RegularExpressions;
using CrisisSim.Model.Recording;

namespace CrisisSim.Reporting;

/// <summary>A limit on how much a KPI may move from run A to run B, e.g. <c>service_level&gt;-2pp</c>: the change of the
/// service level must stay above −2 percentage points.</summary>
/// <remarks>Syntax: <c>[SCOPE.]KPI OP VALUE[UNIT]</c>.
/// <list type="bullet">
/// <item>SCOPE: none (the overall KPI, after the warm-up), <c>intervals</c> (every interval must hold it),
/// <c>callTypes.NAME</c> (the call type's overall KPI).</item>
/// <item>KPI: a name of <c>summary.json</c> (<c>service_level</c>, <c>asa</c> …, <c>operator_hours_total</c>,
/// <c>cost_total</c>, <c>on_duty_total</c>), or <c>occupancy.GROUP</c>, <c>operator_hours.GROUP</c>, <c>cost.GROUP</c>,
/// <c>on_duty.GROUP</c>.</item>
/// <item>OP: <c>&gt;</c>, <c>&gt;=</c>, <c>&lt;</c>, <c>&lt;=</c>; the change B − A must satisfy it.</item>
/// <item>UNIT: <c>pp</c> percentage points (ratio KPIs only: 2pp is 0.02), <c>%</c> relative to A's value
/// (change / |A| x 100), <c>s</c> seconds (time KPIs only), none: the KPI's own unit (a fraction for ratios, seconds,
/// calls).</item>
/// </list>
/// A threshold is crossed when the estimated change breaks it; with <c>significantOnly</c>, only when the change is
/// also statistically significant (p &lt; alpha).</remarks>
public sealed partial record ComparisonThreshold(string Text, string? Scope, string Kpi, string Operator, double Value, string Unit)
{
    [GeneratedRegex(@"^\s*(?<key>[A-Za-z0-9_.\-]+)\s*(?<op>>=|<=|>|<)\s*(?<value>[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?)\s*(?<unit>pp|%|s)?\s*$")]
    private static partial Regex Pattern();

    /// <summary>Parses a threshold, or throws <see cref="FormatException"/> with a message naming what is wrong.</summary>
    public static ComparisonThreshold Parse(string text)
    {
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            throw new FormatException($"threshold '{text}': expected [SCOPE.]KPI OP VALUE[UNIT], e.g. service_level>-2pp, intervals.abandonment_rate<3pp, asa<10%");
        }
        var key = match.Groups["key"].Value;
        string? scope = null;
        string kpi;
        if (key.StartsWith("intervals.", StringComparison.Ordinal))
        {
            scope = "intervals";
            kpi = key["intervals.".Length..];
        }
        else if (key.StartsWith("callTypes.", StringComparison.Ordinal))
        {
            var rest = key["callTypes.".Length..];
            var dot = rest.IndexOf('.');
            if (dot <= 0)
            {
                throw new FormatException($"threshold '{text}': callTypes.NAME.KPI expected");
            }
            scope = "callTypes." + rest[..dot];
            kpi = rest[(dot + 1)..];
        }
        else
        {
            kpi = key;
        }
        var known = kpi.StartsWith("occupancy.", StringComparison.Ordinal) || kpi.StartsWith("operator_hours.", StringComparison.Ordinal)
            || kpi.StartsWith("cost.", StringComparison.Ordinal) || kpi.StartsWith("on_duty.", StringComparison.Ordinal)
            || kpi is "operator_hours_total" or "cost_total" or "on_duty_total" || KpiCatalog.Names.Contains(kpi);
        if (!known)
        {
            throw new FormatException($"threshold '{text}': unknown KPI '{kpi}'; known: {string.Join(", ", KpiCatalog.Names)}, occupancy.GROUP, operator_hours.GROUP, cost.GROUP, on_duty.GROUP, operator_hours_total, cost_total, on_duty_total");
        }
        var unit = match.Groups["unit"].Value;
        var format = RunComparison.FormatOf(kpi);
        if (unit == "pp" && format != KpiFormat.Ratio)
        {
            throw new FormatException($"threshold '{text}': 'pp' (percentage points) applies to ratio KPIs only, and {kpi} is not one");
        }
        if (unit == "s" && format != KpiFormat.Seconds)
        {
            throw new FormatException($"threshold '{text}': 's' (seconds) applies to time KPIs only, and {kpi} is not one");
        }
        var value = double.Parse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        return new ComparisonThreshold(text.Trim(), scope, kpi, match.Groups["op"].Value, value, unit);
    }

    /// <summary>The change of one compared KPI in this threshold's unit.</summary>
    public double ChangeOf(KpiComparison row) => Unit switch
    {
        "pp" => 100 * row.Difference.Delta,
        "%" => row.RelativePercent,
        _ => row.Difference.Delta,
    };

    /// <summary>Whether a change holds the threshold (an undefined change holds it: nothing to compare).</summary>
    public bool Holds(double change) => double.IsNaN(change) || Operator switch
    {
        ">" => change > Value,
        ">=" => change >= Value,
        "<" => change < Value,
        _ => change <= Value,
    };

    /// <summary>The rows of a comparison this threshold applies to.</summary>
    public IEnumerable<KpiComparison> Select(RunComparison comparison) => comparison.Rows.Where(r => r.Kpi == Kpi && Scope switch
    {
        null => r.Scope.Kind == "overall",
        "intervals" => r.Scope.Kind == "interval",
        _ => r.Scope.Kind == "callType" && "callTypes." + r.Scope.CallType == Scope,
    });

    /// <summary>The rows that break the threshold.</summary>
    public IReadOnlyList<KpiComparison> Breaches(RunComparison comparison, bool significantOnly, double alpha) =>
        [.. Select(comparison).Where(r => !Holds(ChangeOf(r)) && (!significantOnly || r.Difference.IsSignificant(alpha)))];
}
