using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Engine;

/// <summary>The KPIs of one replication over a set of intervals (and optionally one call type): one value per
/// <see cref="KpiCatalog"/> definition, then the groups' KPIs (see <see cref="WriteTo"/>).</summary>
/// <remarks>The definitions are the model's (<see cref="KpiCatalog"/>); occupancy = busy operator time / on-duty operator
/// time; operator hours = on-duty operator time in hours; cost = operator hours x the group's cost per hour; max queue =
/// most calls waiting at once.</remarks>
public sealed class KpiValues
{
    private readonly double[] _scalars;

    public KpiValues(double[] scalars, IReadOnlyList<double> occupancyByGroup, IReadOnlyList<double>? operatorHoursByGroup = null, IReadOnlyList<double>? costByGroup = null)
    {
        if (scalars.Length != Names.Length)
        {
            throw new ArgumentException($"{Names.Length} KPIs expected, not {scalars.Length}", nameof(scalars));
        }
        _scalars = scalars;
        OccupancyByGroup = occupancyByGroup;
        OperatorHoursByGroup = operatorHoursByGroup ?? [.. occupancyByGroup.Select(_ => 0.0)];
        CostByGroup = costByGroup ?? [.. occupancyByGroup.Select(_ => 0.0)];
        if (OperatorHoursByGroup.Count != occupancyByGroup.Count || CostByGroup.Count != occupancyByGroup.Count)
        {
            throw new ArgumentException("One operator-hours and one cost value per group expected");
        }
    }

    /// <summary>Scalar KPI names in output order (the groups' KPIs come after, see <see cref="WriteTo"/>).</summary>
    public static string[] Names => KpiCatalog.Names;

    /// <summary>Width of the groups' part of a row: occupancy, operator hours and cost per group, then total operator
    /// hours and total cost; 0 without groups (the KPIs of one call type).</summary>
    public static int GroupWidth(int groups) => groups == 0 ? 0 : 3 * groups + 2;

    public IReadOnlyList<double> OccupancyByGroup { get; }

    /// <summary>On-duty operator time of each group, in hours.</summary>
    public IReadOnlyList<double> OperatorHoursByGroup { get; }

    /// <summary>Operator hours x the group's cost per hour.</summary>
    public IReadOnlyList<double> CostByGroup { get; }

    public double OperatorHours => OperatorHoursByGroup.Sum();

    public double Cost => CostByGroup.Sum();

    public double this[string name] => _scalars[Array.IndexOf(Names, name)];

    public double this[int kpi] => _scalars[kpi];

    public double Offered => _scalars[KpiCatalog.Offered];
    public double Answered => _scalars[KpiCatalog.Answered];
    public double Abandoned => _scalars[KpiCatalog.Abandoned];
    public double Unserved => _scalars[KpiCatalog.Unserved];
    public double ServiceLevel => _scalars[KpiCatalog.ServiceLevel];
    public double AverageSpeedOfAnswer => _scalars[KpiCatalog.AverageSpeedOfAnswer];
    public double MeanWait => _scalars[KpiCatalog.MeanWait];
    public double P90Wait => _scalars[KpiCatalog.P90Wait];
    public double AbandonmentRate => _scalars[KpiCatalog.AbandonmentRate];
    public double AverageHandleTime => _scalars[KpiCatalog.AverageHandleTime];
    public double MaxQueueLength => _scalars[KpiCatalog.MaxQueueLength];

    public double[] Scalars() => [.. _scalars];

    /// <summary>The scalars, then (with groups) occupancy per group, operator hours per group, cost per group, total
    /// operator hours and total cost, into <paramref name="row"/> (Names + <see cref="GroupWidth"/> long).</summary>
    public void WriteTo(Span<double> row)
    {
        _scalars.CopyTo(row);
        var groups = OccupancyByGroup.Count;
        if (groups == 0)
        {
            return;
        }
        var at = _scalars.Length;
        for (var g = 0; g < groups; g++)
        {
            row[at + g] = OccupancyByGroup[g];
            row[at + groups + g] = OperatorHoursByGroup[g];
            row[at + 2 * groups + g] = CostByGroup[g];
        }
        row[at + 3 * groups] = OperatorHours;
        row[at + 3 * groups + 1] = Cost;
    }

    /// <summary>KPIs over intervals [first, last] for every call type (callType = -1) or one call type.
    /// Occupancy, operator hours, cost and queue length are by clock time; occupancy is NaN where no operator was on
    /// duty; the groups' KPIs are left out (empty lists) for one call type. <paramref name="costPerHour"/>: by group
    /// (null: 0). <paramref name="withGroups"/> false leaves the groups' KPIs out for all call types too.</summary>
    public static KpiValues From(Recorder r, int firstInterval, int lastInterval, int callType = -1, IReadOnlyList<double>? costPerHour = null, bool withGroups = true)
    {
        var c = CallCounters.Sum();
        var waits = new WaitMerge();
        var maxQueue = 0;
        // Occupancy is a property of the groups, not of a call type: computed only for all call types.
        var groups = callType >= 0 || !withGroups ? 0 : r.GroupCount;
        var busy = new double[groups];
        var staffed = new double[groups];
        // Without rows per call type, the intervals hold every call type (the one call type, if it is alone).
        var byInterval = r.KeepsCallTypeIntervals || callType < 0 || r.CallTypeCount == 1;
        if (!byInterval)
        {
            // Then a call type's records are its totals over the reporting window.
            if (firstInterval != r.FirstCountedInterval || lastInterval != r.IntervalCount - 1)
            {
                throw new ArgumentException(
                    $"The records hold call type {callType} over intervals {r.FirstCountedInterval}-{r.IntervalCount - 1} only, not {firstInterval}-{lastInterval}", nameof(callType));
            }
            c.Add(r.CallTypeTotals(callType));
            waits.Add(r.CallTypeWaits(callType));
        }
        for (var k = firstInterval; k <= lastInterval; k++)
        {
            if (r.KeepsCallTypeIntervals)
            {
                for (var t = callType >= 0 ? callType : 0; t < (callType >= 0 ? callType + 1 : r.CallTypeCount); t++)
                {
                    c.Add(r.Calls(k, t));
                    waits.Add(r.Waits(k, t));
                }
            }
            else if (byInterval)
            {
                c.Add(r.IntervalCalls(k));
                waits.Add(r.IntervalWaits(k));
            }
            maxQueue = Math.Max(maxQueue, r.MaxQueueLength(k));
            for (var g = 0; g < groups; g++)
            {
                busy[g] += r.BusySeconds(k, g);
                staffed[g] += r.StaffedSeconds(k, g);
            }
        }
        var (p50, p90, p95) = waits.TakeQuantiles();
        var inputs = new KpiInputs(c.ToArray(), p90, maxQueue) { P50Wait = p50, P95Wait = p95 };
        var definitions = KpiCatalog.All;
        var scalars = new double[definitions.Count];
        for (var i = 0; i < scalars.Length; i++)
        {
            scalars[i] = definitions[i].Compute(inputs);
        }
        return new KpiValues(
            scalars,
            [.. busy.Select((b, g) => staffed[g] > 0 ? b / staffed[g] : double.NaN)],
            [.. staffed.Select(s => s / 3600)],
            [.. staffed.Select((s, g) => s / 3600 * (costPerHour is null ? 0 : costPerHour[g]))]);
    }

    /// <summary>The wait quantile over several histograms: read from the one histogram when there is only one, otherwise
    /// from a per-thread dense buffer that is cleared after use (no allocation per interval).</summary>
    private ref struct WaitMerge
    {
        [ThreadStatic]
        private static long[]? _scratch;

        private WaitHistogram? _single;
        private long[]? _dense;
        private long _count;

        public void Add(WaitHistogram? h)
        {
            if (h is null || h.Count == 0)
            {
                return;
            }
            if (_single is null && _dense is null)
            {
                _single = h;
                return;
            }
            if (_dense is null)
            {
                _dense = _scratch ??= new long[WaitHistogram.BinCount];
                _single!.AddTo(_dense);
                _count = _single.Count;
                _single = null;
            }
            h.AddTo(_dense);
            _count += h.Count;
        }

        /// <summary>The median, 90th and 95th percentiles of what was added; clears the shared buffer, so call it once.</summary>
        public (double P50, double P90, double P95) TakeQuantiles()
        {
            var q = (Of(0.5), Of(0.9), Of(0.95));
            if (_dense is not null)
            {
                Array.Clear(_dense);
            }
            return q;
        }

        private readonly double Of(double p) =>
            _dense is null ? _single?.Quantile(p) ?? double.NaN : WaitHistogram.QuantileOf<long>(_dense, p, _count);
    }

    /// <summary>The first interval counted in overall KPIs: the warm-up rounded up to whole intervals.</summary>
    public static int FirstCountedInterval(ScenarioDefinition scenario) =>
        Recorder.FirstCountedIntervalOf(scenario.IntervalCount, scenario.IntervalSeconds, scenario.WarmupSeconds);
}
