using System.Globalization;
using CrisisSim.Analytics;
using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Planning;

/// <summary>What an interval must achieve: a service level (share of offered calls answered within the threshold) of
/// at least <paramref name="ServiceLevel"/>, and optionally an abandonment rate and an average speed of answer at most
/// the limits. Each is judged on its mean over replications; an interval where no call arrives meets every target.</summary>
public sealed record ServiceTargets(double ServiceLevel, double ThresholdSeconds, double? MaxAbandonment = null, double? MaxAsaSeconds = null)
{
    /// <summary>The scenario's own target (<c>serviceLevel.threshold</c> and <c>target</c>).</summary>
    public static ServiceTargets Of(ScenarioDefinition scenario) => new(scenario.ServiceLevel.Target, scenario.ServiceLevel.ThresholdSeconds);

    public bool Meets(IntervalPerformance p) => Misses(p) is null;

    /// <summary>Which target the interval misses ("service level 71.2 % < 80 %"), or null when it meets them all.</summary>
    public string? Misses(IntervalPerformance p)
    {
        if (!(p.Offered > 0) || double.IsNaN(p.ServiceLevel.Mean))
        {
            return null;
        }
        var misses = new List<string>();
        if (p.ServiceLevel.Mean < ServiceLevel - 1e-12)
        {
            misses.Add(Inv($"service level {p.ServiceLevel.Mean * 100:0.0} % < {ServiceLevel * 100:0.##} %"));
        }
        if (MaxAbandonment is { } ab && p.Abandonment.Mean > ab + 1e-12)
        {
            misses.Add(Inv($"abandonment {p.Abandonment.Mean * 100:0.0} % > {ab * 100:0.##} %"));
        }
        if (MaxAsaSeconds is { } asa && (double.IsNaN(p.Asa.Mean) ? p.ServiceLevel.Mean < 1 : p.Asa.Mean > asa + 1e-9))
        {
            misses.Add(double.IsNaN(p.Asa.Mean) ? "no call answered" : Inv($"ASA {p.Asa.Mean:0.0} s > {asa:0.##} s"));
        }
        return misses.Count == 0 ? null : string.Join(", ", misses);
    }

    /// <summary>The smallest slack over the targets, each as a fraction: service level minus its target, the
    /// abandonment limit minus the abandonment rate, and the ASA limit minus the ASA over the limit (within [-1, 1]); 1
    /// for an interval without calls. Grows with the operators; at least 0 where the interval meets the targets.</summary>
    public double Margin(IntervalPerformance p)
    {
        if (!(p.Offered > 0) || double.IsNaN(p.ServiceLevel.Mean))
        {
            return 1;
        }
        var margin = p.ServiceLevel.Mean - ServiceLevel;
        if (MaxAbandonment is { } ab)
        {
            margin = Math.Min(margin, double.IsNaN(p.Abandonment.Mean) ? 0 : ab - p.Abandonment.Mean);
        }
        if (MaxAsaSeconds is { } asa)
        {
            margin = Math.Min(margin, double.IsNaN(p.Asa.Mean) ? -1 : Math.Clamp((asa - p.Asa.Mean) / Math.Max(asa, 1), -1, 1));
        }
        return margin;
    }

    /// <summary>The measure that sets <see cref="Margin"/> and the half-width of its confidence interval on the margin's
    /// scale (0 for an interval without calls: nothing to estimate).</summary>
    internal (IntervalQueue.Measure Measure, double HalfWidth) Binding(IntervalPerformance p)
    {
        if (!(p.Offered > 0) || double.IsNaN(p.ServiceLevel.Mean))
        {
            return (IntervalQueue.Measure.ServiceLevel, 0);
        }
        var (measure, margin, halfWidth) = (IntervalQueue.Measure.ServiceLevel, p.ServiceLevel.Mean - ServiceLevel, p.ServiceLevel.HalfWidth);
        if (MaxAbandonment is { } ab && !double.IsNaN(p.Abandonment.Mean) && ab - p.Abandonment.Mean < margin)
        {
            (measure, margin, halfWidth) = (IntervalQueue.Measure.Abandonment, ab - p.Abandonment.Mean, p.Abandonment.HalfWidth);
        }
        if (MaxAsaSeconds is { } asa && !double.IsNaN(p.Asa.Mean) && Math.Clamp((asa - p.Asa.Mean) / Math.Max(asa, 1), -1, 1) < margin)
        {
            (measure, halfWidth) = (IntervalQueue.Measure.Asa, p.Asa.HalfWidth / Math.Max(asa, 1));
        }
        return (measure, halfWidth);
    }

    /// <summary>"service level >= 80 % within 60 s, abandonment <= 5 %, ASA <= 30 s".</summary>
    public string Describe()
    {
        var text = Inv($"service level >= {ServiceLevel * 100:0.##} % within {Seconds(ThresholdSeconds)}");
        if (MaxAbandonment is { } ab)
        {
            text += Inv($", abandonment <= {ab * 100:0.##} %");
        }
        if (MaxAsaSeconds is { } asa)
        {
            text += Inv($", ASA <= {Seconds(asa)}");
        }
        return text;
    }

    internal static string Seconds(double s) =>
        s >= 3600 && s % 3600 == 0 ? Inv($"{s / 3600} h") : s >= 60 && s % 60 == 0 ? Inv($"{s / 60} min") : Inv($"{s} s");

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>An interval's service level, abandonment rate and ASA (mean and 95 % half-width over replications), and its
/// mean offered calls, over the call types a target applies to.</summary>
public readonly record struct IntervalPerformance(Estimate ServiceLevel, Estimate Abandonment, Estimate Asa, double Offered);

/// <summary>Per replication, interval and call type (or over call types together), the counts the targets are judged
/// on: offered, answered within the threshold, abandoned, answered, and the summed wait of answered calls.</summary>
public sealed class TargetCounts
{
    public const int Width = 5;
    private const int Offered = 0, Within = 1, Abandoned = 2, Answered = 3, WaitSum = 4;

    private readonly double[] _values;

    private TargetCounts(int intervals, int types)
    {
        Intervals = intervals;
        Types = types;
        _values = new double[intervals * types * Width];
    }

    public int Intervals { get; }

    /// <summary>Call types held (1 when the counts are over call types together).</summary>
    public int Types { get; }

    private Span<double> Cell(int k, int type) => _values.AsSpan((k * Types + type) * Width, Width);

    /// <summary>Offered calls of interval <paramref name="k"/>, every call type held together.</summary>
    public double OfferedIn(int k) => Sum(k, Offered);

    /// <summary>Calls of interval <paramref name="k"/> answered within the threshold, every call type held together.</summary>
    public double WithinIn(int k) => Sum(k, Within);

    private double Sum(int k, int column)
    {
        double sum = 0;
        for (var t = 0; t < Types; t++)
        {
            sum += Cell(k, t)[column];
        }
        return sum;
    }

    /// <summary>From a replication's KPI rows: every call type together.</summary>
    public static TargetCounts FromRows(ScenarioDefinition scenario, ReplicationKpis kpis)
    {
        var width = RunAccumulator.IntervalRowWidth(scenario);
        var counts = new TargetCounts(scenario.IntervalCount, 1);
        for (var k = 0; k < scenario.IntervalCount; k++)
        {
            Fill(counts.Cell(k, 0), kpis.Intervals.AsSpan(k * width, width));
        }
        return counts;
    }

    /// <summary>From a replication's KPI rows of each call type and interval
    /// (<see cref="ReplicationKpis.IntervalsByCallType"/>), for the call types <paramref name="callTypes"/> one by one.</summary>
    public static TargetCounts FromCallTypeRows(ScenarioDefinition scenario, ReplicationKpis kpis, IReadOnlyList<int> callTypes)
    {
        var rows = kpis.IntervalsByCallType ?? throw new ArgumentException("The replication has no per-call-type interval rows", nameof(kpis));
        var names = KpiValues.Names.Length;
        var types = scenario.CallTypes.Count;
        var counts = new TargetCounts(scenario.IntervalCount, callTypes.Count);
        for (var k = 0; k < scenario.IntervalCount; k++)
        {
            for (var i = 0; i < callTypes.Count; i++)
            {
                Fill(counts.Cell(k, i), rows.AsSpan((k * types + callTypes[i]) * names, names));
            }
        }
        return counts;
    }

    /// <summary>From a replication's records, for the call types <paramref name="callTypes"/> one by one.</summary>
    public static TargetCounts FromRecords(ScenarioDefinition scenario, Recorder records, IReadOnlyList<int> callTypes)
    {
        var counts = new TargetCounts(scenario.IntervalCount, callTypes.Count);
        for (var k = 0; k < scenario.IntervalCount; k++)
        {
            for (var i = 0; i < callTypes.Count; i++)
            {
                var c = records.Calls(k, callTypes[i]);
                var v = counts.Cell(k, i);
                v[Offered] = c[CallCounter.Offered];
                v[Within] = c[CallCounter.AnsweredWithinThreshold];
                v[Abandoned] = c[CallCounter.Abandoned];
                v[Answered] = c[CallCounter.Answered];
                v[WaitSum] = c[CallCounter.AnsweredWaitSum];
            }
        }
        return counts;
    }

    /// <summary>The counts of a KPI row (<see cref="KpiValues.Names"/> order) back from its ratios.</summary>
    private static void Fill(Span<double> v, ReadOnlySpan<double> row)
    {
        var offered = row[KpiCatalog.Offered];
        var answered = row[KpiCatalog.Answered];
        v[Offered] = offered;
        v[Within] = offered > 0 ? row[KpiCatalog.ServiceLevel] * offered : 0;
        v[Abandoned] = row[KpiCatalog.Abandoned];
        v[Answered] = answered;
        v[WaitSum] = answered > 0 ? row[KpiCatalog.AverageSpeedOfAnswer] * answered : 0;
    }

    /// <summary>Each interval's performance over <paramref name="replications"/>, for the call type held at
    /// <paramref name="type"/> (-1: every call type held, together): the KPIs of each replication (as the model's KPI
    /// catalog defines them), then their mean and 95 % half-width.</summary>
    public static IntervalPerformance[] Performance(IReadOnlyList<TargetCounts> replications, int intervals, int type = -1) =>
        Performance(replications, intervals, type, ConfidenceInterval.DefaultLevel);

    /// <summary>As <see cref="Performance(IReadOnlyList{TargetCounts}, int, int)"/>, with confidence intervals at
    /// <paramref name="confidence"/>.</summary>
    public static IntervalPerformance[] Performance(IReadOnlyList<TargetCounts> replications, int intervals, int type, double confidence)
    {
        var result = new IntervalPerformance[intervals];
        Span<double> v = stackalloc double[Width];
        for (var k = 0; k < intervals; k++)
        {
            RunningMoments sl = default, ab = default, asa = default, offered = default;
            foreach (var r in replications)
            {
                v.Clear();
                for (var t = type < 0 ? 0 : type; t < (type < 0 ? r.Types : type + 1); t++)
                {
                    var cell = r.Cell(k, t);
                    for (var c = 0; c < Width; c++)
                    {
                        v[c] += cell[c];
                    }
                }
                offered.Add(v[Offered]);
                sl.Add(Ratio(v[Within], v[Offered]));
                ab.Add(Ratio(v[Abandoned], v[Offered]));
                asa.Add(Ratio(v[WaitSum], v[Answered]));
            }
            result[k] = new IntervalPerformance(At(sl, confidence), At(ab, confidence), At(asa, confidence), offered.Count == 0 ? 0 : offered.Mean);
        }
        return result;
    }

    private static Estimate At(in RunningMoments moments, double confidence)
    {
        var ci = ConfidenceInterval.FromMoments(moments, confidence);
        return new Estimate(ci.Mean, ci.HalfWidth, ci.Count);
    }

    private static double Ratio(double a, double b) => b > 0 ? a / b : double.NaN;
}
