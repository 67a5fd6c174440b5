using System.Globalization;
using System.Text.RegularExpressions;
using CrisisSim.Engine;
using CrisisSim.Model.Recording;

namespace CrisisSim.Cli.Commands;

/// <summary>One <c>--threshold</c> of <c>crisissim load</c>: <c>METRIC OP VALUE</c>, OP one of <c>&lt; &lt;= &gt; &gt;=</c>.
/// METRIC: a latency (<c>p99</c>, <c>p99.9</c>, <c>max</c>, <c>mean</c>, of the routing decision; or of a kind:
/// <c>next_call.p99</c>, <c>setup.p50</c>, <c>all.max</c>) with a value in ms, s or us (ms when none); <c>late</c> (the late
/// share, <c>0.1%</c> or <c>0.001</c>); <c>errors</c> or <c>timeouts</c> (counts); the routing service's request latency
/// (<c>service_p99</c>, <c>service_max</c>, <c>service_mean</c>, a duration) and failures (<c>service_errors</c>: HTTP
/// errors and invalid answers, <c>service_timeouts</c>, <c>fallbacks</c>: a share of the decisions asked with <c>%</c>, a
/// count without); or any KPI of the run (<c>service_level&gt;75%</c>, <c>asa&lt;30s</c>, <c>abandonment_rate&lt;5%</c>),
/// over the whole run.</summary>
internal sealed partial record LoadThreshold(string Text, string Metric, LatencyKind? Kind, string Statistic, string Op, double Value)
{
    /// <summary>Most <c>--threshold</c> options on one command line.</summary>
    public const int MaxCount = 50;

    /// <summary>Prefix of the routing service's latencies: <c>service_p99</c>, <c>service_max</c>, <c>service_mean</c>.</summary>
    public const string ServicePrefix = "service_";

    /// <summary>The routing service's failures (and the fallbacks), a count or a share of the decisions asked.</summary>
    public static IReadOnlyList<string> ServiceCounts { get; } = ["service_errors", "service_timeouts", "fallbacks"];

    /// <summary>For a count of the routing service, whether the value is a share of the decisions asked (written with %).</summary>
    public bool Share { get; init; }

    /// <summary>Whether it reads what the scenario's routing service did.</summary>
    public bool IsService => ServiceCounts.Contains(Metric) || Kind is null && Statistic.Length > 0;

    [GeneratedRegex(@"^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(<=|>=|<|>)\s*([^\s].*?)\s*$")]
    private static partial Regex Expression();

    [GeneratedRegex(@"^p(\d{1,2}(?:\.\d{1,3})?|100)$")]
    private static partial Regex PercentileName();

    /// <summary>Whether it can be judged before the run ends (latencies, late share, errors), for <c>--abort-on-fail</c>.</summary>
    public bool IsLatency => Kind is not null || IsService || Metric is "late" or "errors" or "timeouts";

    /// <summary>The percentile it reads (NaN for other statistics).</summary>
    public double Percentile => Statistic.StartsWith('p') ? double.Parse(Statistic.AsSpan(1), CultureInfo.InvariantCulture) : double.NaN;

    public static LoadThreshold? Parse(string text, out string error)
    {
        error = "";
        var match = Expression().Match(text);
        if (!match.Success)
        {
            error = $"--threshold '{text}': write METRIC OP VALUE, e.g. \"p99<50ms\", \"late<0.1%\", \"service_level>75%\" (OP: <, <=, >, >=).";
            return null;
        }
        var metric = match.Groups[1].Value;
        var op = match.Groups[2].Value;
        var valueText = match.Groups[3].Value;
        if (Array.IndexOf(KpiCatalog.Names, metric) >= 0)
        {
            var kpi = KpiCatalog.All.First(k => k.Name == metric);
            if (!TryValue(valueText, kpi.Format == KpiFormat.Ratio, kpi.Format == KpiFormat.Seconds ? Unit.Seconds : Unit.None, out var kpiValue))
            {
                error = $"--threshold '{text}': '{valueText}' is not a value for {metric} ({Expected(kpi.Format)}).";
                return null;
            }
            return new LoadThreshold(text, metric, null, "", op, kpiValue);
        }
        if (metric is "late")
        {
            if (!TryValue(valueText, ratio: true, Unit.None, out var share) || share > 1)
            {
                error = $"--threshold '{text}': the late share is a percentage from 0% to 100% or a fraction from 0 to 1 (got '{valueText}').";
                return null;
            }
            return new LoadThreshold(text, metric, null, "", op, share);
        }
        if (metric is "errors" or "timeouts")
        {
            if (!TryValue(valueText, ratio: false, Unit.None, out var count))
            {
                error = $"--threshold '{text}': {metric} is a count (got '{valueText}').";
                return null;
            }
            return new LoadThreshold(text, metric, null, "", op, count);
        }
        if (ServiceCounts.Contains(metric))
        {
            var share = valueText.EndsWith('%');
            if (!TryValue(valueText, ratio: share, Unit.None, out var v) || share && v > 1)
            {
                error = $"--threshold '{text}': {metric} is a share of the decisions asked of the routing service, from 0% to 100%, or a count without % (got '{valueText}').";
                return null;
            }
            return new LoadThreshold(text, metric, null, "", op, v) { Share = share };
        }
        if (metric.StartsWith(ServicePrefix, StringComparison.Ordinal))
        {
            var serviceStatistic = metric[ServicePrefix.Length..];
            if (!IsStatistic(serviceStatistic))
            {
                error = $"--threshold '{text}': no metric '{metric}'. The routing service's: service_p50 … service_p99.9, service_max, service_mean (latency of its requests); {string.Join(", ", ServiceCounts)} (a share with %, or a count).";
                return null;
            }
            if (!TryValue(valueText, ratio: false, Unit.Milliseconds, out var serviceMs))
            {
                error = $"--threshold '{text}': a latency is a duration in ms, s or us (got '{valueText}').";
                return null;
            }
            return new LoadThreshold(text, metric, null, serviceStatistic, op, serviceMs);
        }
        var dot = metric.IndexOf('.', StringComparison.Ordinal);
        var kindName = "route";
        var statistic = metric;
        if (dot > 0 && LatencyKinds.Parse(metric[..dot]) is not null)
        {
            kindName = metric[..dot];
            statistic = metric[(dot + 1)..];
        }
        if (!IsStatistic(statistic))
        {
            error = $"--threshold '{text}': no metric '{metric}'. Latencies: p50 … p99.9, max, mean (of the routing decision, or KIND.p99 with KIND one of {string.Join(", ", LatencyKinds.Names)}); late; errors; timeouts; the routing service's service_p99, service_max, service_mean, {string.Join(", ", ServiceCounts)}; or a KPI: {string.Join(", ", KpiCatalog.Names)}.";
            return null;
        }
        if (!TryValue(valueText, ratio: false, Unit.Milliseconds, out var ms))
        {
            error = $"--threshold '{text}': a latency is a duration in ms, s or us (got '{valueText}').";
            return null;
        }
        return new LoadThreshold(text, metric, LatencyKinds.Parse(kindName), statistic, op, ms);
    }

    /// <summary>Whether <paramref name="statistic"/> is one a latency has: <c>max</c>, <c>mean</c> or a percentile above 0
    /// and at most 100.</summary>
    private static bool IsStatistic(string statistic) =>
        statistic is "max" or "mean"
        || PercentileName().IsMatch(statistic) && double.Parse(statistic.AsSpan(1), CultureInfo.InvariantCulture) is > 0 and <= 100;

    private static string Expected(KpiFormat format) => format switch
    {
        KpiFormat.Ratio => "a percentage like 75% or a fraction like 0.75",
        KpiFormat.Seconds => "seconds, like 30s or 2m",
        _ => "a number",
    };

    private enum Unit
    {
        None,
        Seconds,
        Milliseconds,
    }

    /// <summary>A finite, non-negative value; a ratio may end with %, a duration with its unit (the result in seconds, or
    /// in milliseconds for a latency).</summary>
    private static bool TryValue(string text, bool ratio, Unit unit, out double value)
    {
        value = double.NaN;
        var scale = 1.0;
        var number = text;
        if (ratio && text.EndsWith('%'))
        {
            number = text[..^1];
            scale = 0.01;
        }
        else if (unit == Unit.Milliseconds)
        {
            (number, scale) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 1.0)
                : text.EndsWith("us", StringComparison.Ordinal) ? (text[..^2], 0.001)
                : text.EndsWith('s') ? (text[..^1], 1000.0)
                : (text, 1.0);
        }
        else if (unit == Unit.Seconds)
        {
            (number, scale) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
                : text.EndsWith('s') ? (text[..^1], 1.0)
                : text.EndsWith('m') ? (text[..^1], 60.0)
                : text.EndsWith('h') ? (text[..^1], 3600.0)
                : (text, 1.0);
        }
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) || !double.IsFinite(parsed) || parsed < 0)
        {
            return false;
        }
        value = parsed * scale;
        return true;
    }

    /// <summary>The measured value: from the latencies, or from the run's KPIs (null: not known yet, NaN: undefined).</summary>
    public double Measure(LatencyReport latency, RunResult? run)
    {
        if (Kind is { } kind)
        {
            var stats = latency[kind];
            return Statistic switch
            {
                "max" => stats.MaxMs,
                "mean" => stats.MeanMs,
                _ => stats.Percentiles[IndexOf(latency.Percentiles, Percentile)],
            };
        }
        if (IsService)
        {
            if (latency.Service is not { Counted: true } service)
            {
                return double.NaN;
            }
            var s = service.Overall;
            return Metric switch
            {
                "service_errors" => Share ? s.ErrorShare : s.Errors,
                "service_timeouts" => Share ? s.TimeoutShare : s.Timeouts,
                "fallbacks" => Share ? s.FallbackShare : s.Fallbacks,
                _ => Statistic switch
                {
                    "max" => s.MaxMs,
                    "mean" => s.MeanMs,
                    _ => s.Percentiles[IndexOf(latency.Percentiles, Percentile)],
                },
            };
        }
        return Metric switch
        {
            "late" => latency.LateShare,
            "errors" => latency.Facts.Errors,
            "timeouts" => latency.Facts.Timeouts,
            _ => run is null ? double.NaN : run.Overall[Metric].Mean,
        };
    }

    private static int IndexOf(IReadOnlyList<double> values, double value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] == value)
            {
                return i;
            }
        }
        throw new InvalidOperationException($"The percentile {value} was not measured");
    }

    /// <summary>Whether the measured value keeps to the threshold. An undefined value (no sample, an undefined KPI) does
    /// not: a threshold nobody could check has not passed.</summary>
    public bool Holds(double measured) => !double.IsNaN(measured) && Op switch
    {
        "<" => measured < Value,
        "<=" => measured <= Value,
        ">" => measured > Value,
        _ => measured >= Value,
    };

    /// <summary>The measured value as the threshold writes it (ms, a percentage, a count).</summary>
    public string Format(double measured)
    {
        if (double.IsNaN(measured))
        {
            return "undefined";
        }
        if (Kind is not null || IsService && !ServiceCounts.Contains(Metric))
        {
            return measured.ToString("0.###", CultureInfo.InvariantCulture) + " ms";
        }
        var ratio = Metric == "late" || Share || KpiCatalog.All.FirstOrDefault(k => k.Name == Metric)?.Format == KpiFormat.Ratio;
        return ratio ? (measured * 100).ToString("0.###", CultureInfo.InvariantCulture) + "%" : measured.ToString("0.###", CultureInfo.InvariantCulture);
    }
}
