using System.Globalization;
using System.Text;

namespace CrisisSim.Traces;

/// <summary>Writes a fit as a scenario file the other commands take, each value with a comment saying what it came
/// from.</summary>
public static class FittedScenario
{
    public static string Write(FitResult fit, string name, string source)
    {
        var o = fit.Options;
        var perDay = fit.OperatorsOnDuty.Length;
        var s = new StringBuilder();
        void Line(string text) => s.Append(text).Append('\n');
        string N(double x, int decimals = 2) => Math.Round(x, decimals).ToString("0.######", CultureInfo.InvariantCulture);
        var days = string.Join(", ", o.Days.OrderBy(d => ((int)d + 6) % 7 == 6 ? -1 : (int)d).Select(d => d.ToString()[..3]));
        Line($"# Fitted by crisissim fit from {source}");
        Line($"# Day type: {days}; {fit.Dates.Count} days with calls ({(fit.Dates.Count > 0 ? fit.Dates[0].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " to " + fit.Dates[^1].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "none")}); days absent from the log are not counted as days without calls.");
        Line($"# Arrivals: the mean count per {o.IntervalMinutes}-minute interval over those days, per call type (phantom calls left out).");
        if (fit.LeftOut.Count > 0)
        {
            Line("# Left out of the arrivals: " + string.Join(", ", fit.LeftOut.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:N0}"))) + " (call types not fitted; --types chooses).");
        }
        Line("# Times are the log's local clock: a day is midnight to midnight, with no daylight-saving correction.");
        Line($"name: {name}");
        Line($"description: Fitted from {source.Replace(':', ' ')} ({days}).");
        Line("start: \"00:00\"");
        Line($"interval: {o.IntervalMinutes}m");
        Line($"intervals: {perDay}");
        Line("drain: 30m");
        Line("# Not in the data: a service-level target to judge the day by (80 % within 60 s).");
        Line("serviceLevel:");
        Line("  threshold: 60s");
        Line("  target: 0.8");
        Line("routing: fifo");
        if (fit.BusynessAlpha is { } alpha)
        {
            Line(string.Create(CultureInfo.InvariantCulture, $"# Daily totals: mean {fit.DailyMean:F1}, variance {fit.DailyVariance:F1} over {fit.Dates.Count} days; a Poisson count would have variance = mean,"));
            Line("# so the excess is a gamma busyness factor per day: alpha = mean^2 / (variance - mean), by the method of moments.");
            Line("busyness:");
            Line($"  alpha: {N(alpha, 1)}");
            Line("  per: day");
        }
        else
        {
            Line(string.Create(CultureInfo.InvariantCulture, $"# Daily totals: mean {fit.DailyMean:F1}, variance {fit.DailyVariance:F1} over {fit.Dates.Count} days: no over-dispersion to fit (or too few days)."));
        }
        Line("callTypes:");
        foreach (var t in fit.CallTypes)
        {
            Line($"  - name: {t.Name}");
            Line(string.Create(CultureInfo.InvariantCulture, $"    # {t.Calls:N0} calls; {t.PriorityShare:P1} from priority customers (not modelled: every call of the type is served in arrival order)."));
            Line("    arrivals:");
            Line("      callsPerInterval: [" + string.Join(", ", t.CallsPerInterval.Select(x => N(x))) + "]");
            if (fit.BusynessAlpha is not null)
            {
                Line("      busyness: true");
            }
            if (t.Patience.ExponentialMean is { } patience && t.Patience.ExponentialMeanInterval is var (low, high))
            {
                Line(string.Create(CultureInfo.InvariantCulture, $"    # Patience: {t.Patience.Abandoned:N0} abandons among {t.Patience.Queued:N0} queued calls, {t.Patience.ExposureSeconds:N0} s queued in all; answered calls' waits are censored."));
                Line(string.Create(CultureInfo.InvariantCulture, $"    # Exponential by maximum likelihood: mean {patience:F0} s (95 % interval {low:F0}-{high:F0} s); Kaplan-Meier median {(t.Patience.KaplanMeierMedian is { } m ? m.ToString("F0", CultureInfo.InvariantCulture) + " s" : "not reached (fewer than half abandon)")}."));
                Line($"    patience: {{ dist: exponential, mean: {N(patience, 1)}s }}");
            }
            else
            {
                Line("    # Patience: no queued caller abandoned; none set (callers wait as long as it takes).");
            }
            if (t.HandleTime is { } h)
            {
                Line(string.Create(CultureInfo.InvariantCulture, $"    # Handle time: lognormal by maximum likelihood on {h.N:N0} answered calls (mu {h.Mu:F3}, sigma {h.Sigma:F3} of log seconds; {h.Zeros:N0} of 0 s left out);"));
                Line(string.Create(CultureInfo.InvariantCulture, $"    # Kolmogorov-Smirnov D = {h.KsStatistic:F4}, p = {h.KsPValue:G3} on {Math.Min(h.N, TraceFit.KsSample):N0} of them{(h.KsPValue < 0.05 ? ": the lognormal is rejected at 5 %, use it as an approximation" : "")}."));
                Line($"    handleTime: {{ dist: lognormal, mean: {N(h.Mean, 1)}s, sd: {N(h.Sd, 1)}s }}");
            }
            if (t.MeanMessageSeconds > 0)
            {
                Line(string.Create(CultureInfo.InvariantCulture, $"    # Recorded message (VRU): mean {t.MeanMessageSeconds:F1} s over every call; {t.EndedInMessageShare:P1} of callers hung up in it without queueing."));
                Line($"    recordedMessage: {{ duration: {N(Math.Min(3600, t.MeanMessageSeconds), 1)}s, satisfies: {N(t.EndedInMessageShare, 4)} }}");
            }
        }
        Line("groups:");
        Line("  - name: agents");
        Line("    serves: [" + string.Join(", ", fit.CallTypes.Select(t => t.Name)) + "]");
        Line("    # On duty: the distinct operators whose talk overlapped each interval, averaged over the days and rounded up");
        Line("    # (an operator idle for a whole interval is not seen: a lower bound of the staffing).");
        Line("    staffing: [" + string.Join(", ", fit.OperatorsOnDuty.Select(x => ((int)Math.Ceiling(x - 1e-9)).ToString(CultureInfo.InvariantCulture))) + "]");
        return s.ToString();
    }
}
