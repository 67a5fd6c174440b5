using System.Globalization;
using System.Text;

namespace CrisisSim.Traces;

/// <summary>What <c>crisissim fit</c> estimates from a call log, and on which days and calls.</summary>
/// <param name="Days">The days of the week fitted together (one day type).</param>
/// <param name="IntervalMinutes">Interval length: 15, 30 or 60 minutes, a whole day of intervals from midnight.</param>
/// <param name="CallTypes">The call types fitted as arrivals (others are counted and left out); empty: every type.</param>
public sealed record FitOptions(IReadOnlySet<DayOfWeek> Days, int IntervalMinutes, IReadOnlyList<string> CallTypes);

/// <summary>A lognormal fitted by maximum likelihood to positive durations, with a Kolmogorov-Smirnov check.</summary>
/// <param name="QuantilePairs">For a Q-Q chart: up to 200 quantiles of the talk times (the Kolmogorov-Smirnov sample)
/// beside the fitted lognormal's quantiles at the same probabilities, in seconds.</param>
public sealed record LognormalFit(long N, long Zeros, double Mu, double Sigma, double KsStatistic, double KsPValue, IReadOnlyList<(double Fitted, double Observed)> QuantilePairs)
{
    public double Mean => Math.Exp(Mu + Sigma * Sigma / 2);

    public double Sd => Mean * Math.Sqrt(Math.Exp(Sigma * Sigma) - 1);
}

/// <summary>Patience from queued calls as right-censored data: an abandoned call's wait is its patience, an answered
/// call's wait a lower bound. Exponential by maximum likelihood (abandons over time queued), and the Kaplan-Meier curve.</summary>
public sealed record PatienceFit(long Queued, long Abandoned, double ExposureSeconds, double? KaplanMeierMedian, IReadOnlyList<(int Seconds, double Survival)> KaplanMeier)
{
    /// <summary>The exponential mean, or null when nobody abandoned.</summary>
    public double? ExponentialMean => Abandoned > 0 ? ExposureSeconds / Abandoned : null;

    /// <summary>The 95 % interval of the exponential mean (chi-square: 2·exposure / χ²(2d)).</summary>
    public (double Low, double High)? ExponentialMeanInterval =>
        Abandoned > 0
            ? (2 * ExposureSeconds / MathNet.Numerics.Distributions.ChiSquared.InvCDF(2 * Abandoned, 0.975),
               2 * ExposureSeconds / MathNet.Numerics.Distributions.ChiSquared.InvCDF(2 * Abandoned, 0.025))
            : null;
}

/// <summary>The fit of one call type.</summary>
public sealed record CallTypeFit(
    string Name,
    double[] CallsPerInterval,
    long Calls,
    double PriorityShare,
    LognormalFit? HandleTime,
    PatienceFit Patience,
    double MeanMessageSeconds,
    double EndedInMessageShare);

/// <summary>The fitted day type: every call type, the operators on duty, the busyness.</summary>
public sealed record FitResult(
    FitOptions Options,
    IReadOnlyList<DateTime> Dates,
    IReadOnlyList<CallTypeFit> CallTypes,
    double[] OperatorsOnDuty,
    double? BusynessAlpha,
    double DailyMean,
    double DailyVariance,
    IReadOnlyDictionary<string, long> LeftOut);

/// <summary>Estimates a scenario from a call log, in one pass: memory follows days × intervals × call types and the
/// distinct durations, never the number of calls.</summary>
public static class TraceFit
{
    public const int MaxCallTypes = 100;
    public const int MaxDays = 3660;

    /// <summary>Handle times kept per call type for the Kolmogorov-Smirnov check (a deterministic reservoir beyond).</summary>
    public const int KsSample = 50_000;

    public static FitResult Fit(IEnumerable<TraceRecord> records, FitOptions options)
    {
        var perDay = options.IntervalMinutes > 0 && 1440 % options.IntervalMinutes == 0 ? 1440 / options.IntervalMinutes
            : throw new ArgumentException("The interval must divide a day", nameof(options));
        var types = new Dictionary<string, TypeAccumulator>(StringComparer.Ordinal);
        foreach (var name in options.CallTypes)
        {
            types[name] = new TypeAccumulator(name);
        }
        var counts = new SortedDictionary<DateTime, Dictionary<string, long[]>>();
        var busy = new Dictionary<DateTime, HashSet<string>[]>();
        var leftOut = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var r in records)
        {
            var date = r.Arrival.Date;
            if (!options.Days.Contains(date.DayOfWeek))
            {
                continue;
            }
            if (r.Outcome == TraceOutcome.Phantom)
            {
                leftOut["phantom"] = leftOut.GetValueOrDefault("phantom") + 1;
                continue;
            }
            if (!types.TryGetValue(r.CallType, out var acc))
            {
                if (options.CallTypes.Count > 0)
                {
                    leftOut[r.CallType] = leftOut.GetValueOrDefault(r.CallType) + 1;
                    continue;
                }
                if (types.Count >= MaxCallTypes)
                {
                    throw new InvalidDataException($"more than {MaxCallTypes} call types; name the ones to fit with --types");
                }
                types[r.CallType] = acc = new TypeAccumulator(r.CallType);
            }
            if (!counts.TryGetValue(date, out var day))
            {
                if (counts.Count >= MaxDays)
                {
                    throw new InvalidDataException($"more than {MaxDays} days of the chosen day type");
                }
                counts[date] = day = new Dictionary<string, long[]>(StringComparer.Ordinal);
            }
            if (!day.TryGetValue(r.CallType, out var row))
            {
                day[r.CallType] = row = new long[perDay];
            }
            row[(int)(r.Arrival.TimeOfDay.TotalMinutes / options.IntervalMinutes)]++;
            acc.Add(r);
            if (r.Outcome == TraceOutcome.Answered && r.Operator.Length > 0)
            {
                MarkBusy(busy, r, options.IntervalMinutes, perDay);
            }
        }
        var dates = counts.Keys.ToArray();
        var fits = types.Values.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => t.Finish(counts, perDay)).ToArray();
        var operators = new double[perDay];
        foreach (var date in dates)
        {
            if (busy.TryGetValue(date, out var sets))
            {
                for (var k = 0; k < perDay; k++)
                {
                    operators[k] += sets[k]?.Count ?? 0;
                }
            }
        }
        for (var k = 0; k < perDay; k++)
        {
            operators[k] = dates.Length > 0 ? operators[k] / dates.Length : 0;
        }
        var daily = dates.Select(d => (double)counts[d].Values.Sum(v => v.Sum())).ToArray();
        var mean = daily.Length > 0 ? daily.Average() : 0;
        var variance = daily.Length > 1 ? daily.Sum(x => (x - mean) * (x - mean)) / (daily.Length - 1) : 0;
        // Poisson-gamma: Var = m + m²/alpha; over-dispersion only when the daily counts vary more than Poisson.
        double? alpha = daily.Length >= 3 && variance > mean && mean > 0 ? Math.Clamp(mean * mean / (variance - mean), 1, 1_000_000) : null;
        return new FitResult(options, dates, fits, operators, alpha, mean, variance, leftOut);
    }

    /// <summary>The operator is on duty in every interval its talk overlaps.</summary>
    private static void MarkBusy(Dictionary<DateTime, HashSet<string>[]> busy, TraceRecord r, int minutes, int perDay)
    {
        var start = r.ServiceStart;
        var end = start.AddSeconds(Math.Max(1, r.HandleSeconds));
        var date = r.Arrival.Date;
        if (!busy.TryGetValue(date, out var sets))
        {
            busy[date] = sets = new HashSet<string>[perDay];
        }
        var first = (int)((start - date).TotalMinutes / minutes);
        var last = (int)((end.AddTicks(-1) - date).TotalMinutes / minutes);
        for (var k = Math.Max(0, first); k <= Math.Min(perDay - 1, last); k++)
        {
            (sets[k] ??= new HashSet<string>(StringComparer.Ordinal)).Add(r.Operator);
        }
    }

    private sealed class TypeAccumulator(string name)
    {
        public string Name { get; } = name;

        private long _calls;
        private long _priority;
        private long _handled;
        private long _zeros;
        private double _sumLog;
        private double _sumLog2;
        private readonly List<double> _sample = [];
        private readonly Random _reservoir = new(1);
        private long _queued;
        private long _abandoned;
        private double _exposure;
        private readonly SortedDictionary<int, (long Events, long Censored)> _waits = [];
        private double _message;
        private long _endedInMessage;

        public void Add(TraceRecord r)
        {
            _calls++;
            _message += r.MessageSeconds;
            if (r.Priority > 0)
            {
                _priority++;
            }
            switch (r.Outcome)
            {
                case TraceOutcome.EndedInMessage:
                    _endedInMessage++;
                    break;
                case TraceOutcome.Abandoned:
                    Queued(r.QueueSeconds, abandoned: true);
                    break;
                case TraceOutcome.Answered:
                    if (r.QueueSeconds > 0)
                    {
                        Queued(r.QueueSeconds, abandoned: false);
                    }
                    if (r.HandleSeconds <= 0)
                    {
                        _zeros++;
                        break;
                    }
                    _handled++;
                    var log = Math.Log(r.HandleSeconds);
                    _sumLog += log;
                    _sumLog2 += log * log;
                    if (_sample.Count < KsSample)
                    {
                        _sample.Add(r.HandleSeconds);
                    }
                    else if (_reservoir.NextInt64(_handled) is var j && j < KsSample)
                    {
                        _sample[(int)j] = r.HandleSeconds;
                    }
                    break;
            }
        }

        private void Queued(int seconds, bool abandoned)
        {
            _queued++;
            _exposure += seconds;
            if (abandoned)
            {
                _abandoned++;
            }
            var (events, censored) = _waits.GetValueOrDefault(seconds);
            _waits[seconds] = abandoned ? (events + 1, censored) : (events, censored + 1);
        }

        public CallTypeFit Finish(SortedDictionary<DateTime, Dictionary<string, long[]>> counts, int perDay)
        {
            var rates = new double[perDay];
            foreach (var day in counts.Values)
            {
                if (day.TryGetValue(Name, out var row))
                {
                    for (var k = 0; k < perDay; k++)
                    {
                        rates[k] += row[k];
                    }
                }
            }
            for (var k = 0; k < perDay; k++)
            {
                rates[k] = counts.Count > 0 ? rates[k] / counts.Count : 0;
            }
            LognormalFit? handle = null;
            if (_handled >= 2)
            {
                var mu = _sumLog / _handled;
                var sigma = Math.Sqrt(Math.Max(0, _sumLog2 / _handled - mu * mu));
                var (d, p) = KolmogorovSmirnov(_sample, x => sigma > 0 ? MathNet.Numerics.Distributions.LogNormal.CDF(mu, sigma, x) : (x >= Math.Exp(mu) ? 1 : 0));
                handle = new LognormalFit(_handled, _zeros, mu, sigma, d, p, QuantilePairs(_sample, mu, sigma));
            }
            return new CallTypeFit(Name, rates, _calls, _calls > 0 ? (double)_priority / _calls : 0, handle, KaplanMeier(),
                _calls > 0 ? _message / _calls : 0, _calls > 0 ? (double)_endedInMessage / _calls : 0);
        }

        private static (double, double)[] QuantilePairs(List<double> sample, double mu, double sigma)
        {
            var sorted = sample.Order().ToArray();
            var points = Math.Min(200, sorted.Length);
            return [.. Enumerable.Range(0, points).Select(i =>
            {
                var p = (i + 0.5) / points;
                var observed = sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
                var fitted = sigma > 0 ? MathNet.Numerics.Distributions.LogNormal.InvCDF(mu, sigma, p) : Math.Exp(mu);
                return (fitted, observed);
            })];
        }

        private PatienceFit KaplanMeier()
        {
            var atRisk = _queued;
            var survival = 1.0;
            double? median = null;
            var curve = new List<(int, double)>();
            foreach (var (seconds, (events, censored)) in _waits)
            {
                if (events > 0 && atRisk > 0)
                {
                    survival *= 1 - (double)events / atRisk;
                    curve.Add((seconds, survival));
                    if (median is null && survival <= 0.5)
                    {
                        median = seconds;
                    }
                }
                atRisk -= events + censored;
            }
            return new PatienceFit(_queued, _abandoned, _exposure, median, curve);
        }
    }

    /// <summary>The Kolmogorov-Smirnov statistic of <paramref name="sample"/> against <paramref name="cdf"/> and its
    /// asymptotic p-value (Stephens' correction). Durations in whole seconds have ties, which make the test conservative.</summary>
    public static (double D, double P) KolmogorovSmirnov(IReadOnlyList<double> sample, Func<double, double> cdf)
    {
        var sorted = sample.Order().ToArray();
        var n = sorted.Length;
        if (n == 0)
        {
            return (0, 1);
        }
        var d = 0.0;
        for (var i = 0; i < n; i++)
        {
            var f = cdf(sorted[i]);
            d = Math.Max(d, Math.Max((i + 1.0) / n - f, f - (double)i / n));
        }
        var sqrtN = Math.Sqrt(n);
        var lambda = (sqrtN + 0.12 + 0.11 / sqrtN) * d;
        var p = 0.0;
        for (var k = 1; k <= 100; k++)
        {
            var term = 2 * Math.Pow(-1, k - 1) * Math.Exp(-2 * k * k * lambda * lambda);
            p += term;
            if (Math.Abs(term) < 1e-12)
            {
                break;
            }
        }
        return (d, Math.Clamp(p, 0, 1));
    }
}
