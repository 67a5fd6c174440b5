using CrisisSim.Analytics;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Engine;

/// <summary>A KPI over replications: the mean of the replications where it is defined and the half-width of its
/// 95 % Student-t confidence interval (NaN with fewer than two values).</summary>
public readonly record struct Estimate(double Mean, double HalfWidth, int Count)
{
    public static Estimate From(in RunningMoments moments)
    {
        var ci = ConfidenceInterval.FromMoments(moments);
        return new Estimate(ci.Mean, ci.HalfWidth, ci.Count);
    }
}

/// <summary>Every KPI estimated over replications, in <see cref="KpiValues.Names"/> order, then occupancy per group
/// (empty for the KPIs of one call type), operator hours and cost per group and in total.</summary>
public sealed record KpiEstimates(IReadOnlyList<Estimate> Scalars, IReadOnlyList<Estimate> OccupancyByGroup)
{
    /// <summary>On-duty operator hours per group (empty for the KPIs of one call type).</summary>
    public IReadOnlyList<Estimate> OperatorHoursByGroup { get; init; } = [];

    /// <summary>Operator hours x cost per hour, per group (empty for the KPIs of one call type).</summary>
    public IReadOnlyList<Estimate> CostByGroup { get; init; } = [];

    /// <summary>Operator hours over all groups (undefined for the KPIs of one call type).</summary>
    public Estimate OperatorHours { get; init; } = new(double.NaN, double.NaN, 0);

    /// <summary>Cost over all groups (undefined for the KPIs of one call type).</summary>
    public Estimate Cost { get; init; } = new(double.NaN, double.NaN, 0);

    public Estimate this[string name] => Scalars[Array.IndexOf(KpiValues.Names, name)];

    /// <summary>The estimates of a row written by <see cref="KpiValues.WriteTo"/>: the scalars, then the groups' part.</summary>
    internal static KpiEstimates FromRow(ReadOnlySpan<RunningMoments> row, int groups)
    {
        var names = KpiValues.Names.Length;
        var scalars = new Estimate[names];
        for (var i = 0; i < names; i++)
        {
            scalars[i] = Estimate.From(row[i]);
        }
        if (groups == 0)
        {
            return new KpiEstimates(scalars, []);
        }
        var occupancy = new Estimate[groups];
        var hours = new Estimate[groups];
        var cost = new Estimate[groups];
        for (var g = 0; g < groups; g++)
        {
            occupancy[g] = Estimate.From(row[names + g]);
            hours[g] = Estimate.From(row[names + groups + g]);
            cost[g] = Estimate.From(row[names + 2 * groups + g]);
        }
        return new KpiEstimates(scalars, occupancy)
        {
            OperatorHoursByGroup = hours,
            CostByGroup = cost,
            OperatorHours = Estimate.From(row[names + 3 * groups]),
            Cost = Estimate.From(row[names + 3 * groups + 1]),
        };
    }

    public static KpiEstimates Aggregate(IReadOnlyList<KpiValues> replications)
    {
        var moments = new KpiMoments(replications.Count == 0 ? 0 : replications[0].OccupancyByGroup.Count);
        foreach (var r in replications)
        {
            moments.Add(r);
        }
        return moments.ToEstimates();
    }
}

/// <summary>Running moments of every KPI of one scope (overall, a call type or an interval) over replications.</summary>
internal sealed class KpiMoments(int groups)
{
    private readonly RunningMoments[] _row = new RunningMoments[KpiValues.Names.Length + KpiValues.GroupWidth(groups)];

    public void Add(KpiValues values)
    {
        var row = new double[_row.Length];
        values.WriteTo(row);
        Add(row);
    }

    /// <summary>Adds a row written by <see cref="KpiValues.WriteTo"/>: the scalars, then the groups' part.</summary>
    public void Add(ReadOnlySpan<double> row)
    {
        if (row.Length != _row.Length)
        {
            throw new ArgumentException($"A KPI row has {_row.Length} values, not {row.Length}", nameof(row));
        }
        for (var i = 0; i < _row.Length; i++)
        {
            _row[i].Add(row[i]);
        }
    }

    public KpiEstimates ToEstimates() => KpiEstimates.FromRow(_row, groups);
}

public sealed record IntervalEstimates(int Index, double StartSeconds, double EndSeconds, KpiEstimates Kpis);

/// <summary>A finished run: the KPI estimates over its replications, overall (after the warm-up), per call type and
/// per interval (and per interval for each call type, see <see cref="IntervalsByCallType"/>).</summary>
/// <param name="Replications">The replications' records, in order, only when the run was asked to keep them (tests,
/// tools); empty otherwise, so that memory does not grow with the number of replications.</param>
public sealed record RunResult(
    ScenarioDefinition Scenario,
    long Seed,
    int ReplicationCount,
    long Events,
    KpiEstimates Overall,
    IReadOnlyList<KpiEstimates> OverallByCallType,
    IReadOnlyList<IntervalEstimates> Intervals,
    IReadOnlyList<ReplicationResult> Replications)
{
    /// <summary>For each call type, its KPIs in every interval (no occupancy: it belongs to the groups). Empty with a
    /// single call type (the intervals are its own) and beyond <see cref="RunLimits.MaxCallTypeIntervalCells"/>.</summary>
    public IReadOnlyList<IReadOnlyList<IntervalEstimates>> IntervalsByCallType { get; init; } = [];

    /// <summary>How the playbook's rules fired over the replications; null when the scenario has no playbook.</summary>
    public PlaybookSummary? Playbook { get; init; }

    /// <summary>Analyzes replications already in memory (0, 1, 2 … in order) and keeps them in the result.</summary>
    public static RunResult Analyze(ScenarioDefinition scenario, long seed, IReadOnlyList<ReplicationResult> replications)
    {
        var accumulator = new RunAccumulator(scenario, seed, keepReplications: true);
        foreach (var r in replications)
        {
            accumulator.Add(r);
        }
        return accumulator.Finish();
    }
}

/// <summary>Folds replications into KPI estimates as they finish, in replication order (so the floating-point sums,
/// and so every output byte, do not depend on the order in which they ran). Holds one set of running moments per KPI,
/// call type and interval: memory does not grow with the number of replications.</summary>
public sealed class RunAccumulator
{
    private readonly ScenarioDefinition _scenario;
    private readonly long _seed;
    private readonly KpiMoments _overall;
    private readonly KpiMoments[] _byCallType;
    private readonly int _width;
    private readonly RunningMoments[] _intervals;
    private readonly RunningMoments[]? _typeIntervals;
    private readonly List<ReplicationResult>? _kept;
    private readonly PlaybookAccumulator? _playbook;
    private long _events;
    private int _count;

    public RunAccumulator(ScenarioDefinition scenario, long seed, bool keepReplications = false)
    {
        _scenario = scenario;
        _seed = seed;
        var groups = scenario.Groups.Count;
        _overall = new KpiMoments(groups);
        _byCallType = [.. scenario.CallTypes.Select(_ => new KpiMoments(0))];
        _width = IntervalRowWidth(scenario);
        _intervals = new RunningMoments[scenario.IntervalCount * _width];
        _typeIntervals = RunLimits.KeepsCallTypeIntervals(scenario)
            ? new RunningMoments[scenario.IntervalCount * scenario.CallTypes.Count * KpiValues.Names.Length]
            : null;
        _kept = keepReplications ? [] : null;
        _playbook = scenario.Playbook is { } playbook ? new PlaybookAccumulator(playbook) : null;
    }

    public bool KeepsReplications => _kept is not null;

    /// <summary>Replications folded in so far.</summary>
    public int Count => _count;

    /// <summary>Folds in the next replication; replications must come in order 0, 1, 2 ….</summary>
    public void Add(ReplicationResult replication) => Add(Measure(_scenario, replication, _kept is not null));

    /// <summary>A replication's KPIs, ready to fold in: the work of <see cref="Add(ReplicationResult)"/> that does not
    /// depend on the order, so hosts can do it on the thread that ran the replication and drop its records.</summary>
    public static ReplicationKpis Measure(ScenarioDefinition scenario, ReplicationResult replication, bool returnRecords)
    {
        var records = replication.Records;
        var first = KpiValues.FirstCountedInterval(scenario);
        var last = scenario.IntervalCount - 1;
        return new ReplicationKpis(
            replication.Replication,
            replication.Events,
            Row(KpiValues.From(records, first, last, costPerHour: CostPerHour(scenario))),
            [.. Enumerable.Range(0, scenario.CallTypes.Count).Select(t => Row(KpiValues.From(records, first, last, t)))],
            IntervalRows(scenario, records),
            returnRecords ? replication : null,
            RunLimits.KeepsCallTypeIntervals(scenario) ? CallTypeIntervalRows(scenario, records) : null,
            records.PlaybookFirings.Count > 0 ? [.. records.PlaybookFirings] : null);
    }

    /// <summary>Every interval's KPIs for each call type, one flat array: for interval k and call type t, the row of
    /// <see cref="KpiValues.Names"/> at (k x call types + t) x names.</summary>
    private static double[] CallTypeIntervalRows(ScenarioDefinition scenario, CrisisSim.Model.Recording.Recorder records)
    {
        var names = KpiValues.Names.Length;
        var types = scenario.CallTypes.Count;
        var rows = new double[scenario.IntervalCount * types * names];
        for (var k = 0; k < scenario.IntervalCount; k++)
        {
            for (var t = 0; t < types; t++)
            {
                KpiValues.From(records, k, k, t).WriteTo(rows.AsSpan((k * types + t) * names, names));
            }
        }
        return rows;
    }

    private static double[] CostPerHour(ScenarioDefinition scenario) => [.. scenario.Groups.Select(g => g.CostPerHour)];

    private static double[] Row(KpiValues values)
    {
        var row = new double[KpiValues.Names.Length + KpiValues.GroupWidth(values.OccupancyByGroup.Count)];
        values.WriteTo(row);
        return row;
    }

    /// <summary>Width of a row of <see cref="ReplicationKpis.Intervals"/>: the scalars, then the groups' part when the run
    /// keeps the groups' KPIs per interval (<see cref="RunLimits.KeepsGroupIntervals"/>).</summary>
    public static int IntervalRowWidth(ScenarioDefinition scenario) =>
        KpiValues.Names.Length + KpiValues.GroupWidth(RunLimits.GroupsPerInterval(scenario));

    /// <summary>Every interval's KPIs as one flat array, a row of <see cref="KpiValues.Names"/> then occupancy per
    /// group for each interval (up to <see cref="RunLimits.MaxGroupIntervalCells"/>): a few bytes per value, however
    /// many intervals.</summary>
    private static double[] IntervalRows(ScenarioDefinition scenario, CrisisSim.Model.Recording.Recorder records)
    {
        var width = IntervalRowWidth(scenario);
        var withGroups = RunLimits.KeepsGroupIntervals(scenario);
        var rows = new double[scenario.IntervalCount * width];
        var costPerHour = CostPerHour(scenario);
        for (var k = 0; k < scenario.IntervalCount; k++)
        {
            KpiValues.From(records, k, k, costPerHour: costPerHour, withGroups: withGroups).WriteTo(rows.AsSpan(k * width, width));
        }
        return rows;
    }

    /// <summary>Folds in the next replication's KPIs; replications must come in order 0, 1, 2 ….</summary>
    public void Add(ReplicationKpis replication)
    {
        if (replication.Replication != _count)
        {
            throw new InvalidOperationException($"Replication {replication.Replication} came when replication {_count} was expected");
        }
        _overall.Add(replication.Overall);
        for (var t = 0; t < _byCallType.Length; t++)
        {
            _byCallType[t].Add(replication.ByCallType[t]);
        }
        var rows = replication.Intervals;
        if (rows.Length != _intervals.Length)
        {
            throw new ArgumentException("The replication's interval rows do not match the scenario", nameof(replication));
        }
        for (var i = 0; i < rows.Length; i++)
        {
            _intervals[i].Add(rows[i]);
        }
        if (_typeIntervals is not null)
        {
            var typeRows = replication.IntervalsByCallType;
            if (typeRows is null || typeRows.Length != _typeIntervals.Length)
            {
                throw new ArgumentException("The replication's per-call-type interval rows do not match the scenario", nameof(replication));
            }
            for (var i = 0; i < typeRows.Length; i++)
            {
                _typeIntervals[i].Add(typeRows[i]);
            }
        }
        _playbook?.Add(replication.Replication, replication.PlaybookFirings);
        _events += replication.Events;
        _count++;
        if (_kept is not null)
        {
            _kept.Add(replication.Records ?? throw new InvalidOperationException("The run keeps replications, but this one was measured without its records"));
        }
    }

    private KpiEstimates IntervalEstimatesOf(int interval) =>
        KpiEstimates.FromRow(_intervals.AsSpan(interval * _width, _width), RunLimits.GroupsPerInterval(_scenario));

    private KpiEstimates CallTypeIntervalEstimatesOf(int interval, int callType)
    {
        var names = KpiValues.Names.Length;
        var row = _typeIntervals.AsSpan((interval * _scenario.CallTypes.Count + callType) * names, names);
        var scalars = new Estimate[names];
        for (var i = 0; i < names; i++)
        {
            scalars[i] = Estimate.From(row[i]);
        }
        return new KpiEstimates(scalars, []);
    }

    public RunResult Finish()
    {
        var width = _scenario.IntervalSeconds;
        IReadOnlyList<IReadOnlyList<IntervalEstimates>> byType = _typeIntervals is null
            ? []
            : [.. Enumerable.Range(0, _scenario.CallTypes.Count).Select(t =>
                (IReadOnlyList<IntervalEstimates>)new IntervalList(_scenario.IntervalCount, k => new IntervalEstimates(k, k * width, (k + 1) * width, CallTypeIntervalEstimatesOf(k, t))))];
        return new RunResult(
            _scenario,
            _seed,
            _count,
            _events,
            _overall.ToEstimates(),
            [.. _byCallType.Select(m => m.ToEstimates())],
            new IntervalList(_scenario.IntervalCount, k => new IntervalEstimates(k, k * width, (k + 1) * width, IntervalEstimatesOf(k))),
            _kept is null ? [] : [.. _kept])
        {
            IntervalsByCallType = byType,
            Playbook = _playbook?.Finish(),
        };
    }
}

/// <summary>One replication's KPIs as rows of <see cref="KpiValues.WriteTo"/> (overall and per interval: the scalars,
/// then occupancy per group; per call type: the scalars), and its records when they are kept. Small enough to carry
/// from wherever the replication ran.</summary>
/// <param name="Intervals">One row per interval, in one flat array.</param>
/// <param name="IntervalsByCallType">One row of scalars per interval and call type, in one flat array (interval-major),
/// when the scenario keeps them (<see cref="RunLimits.KeepsCallTypeIntervals"/>); null otherwise.</param>
/// <param name="PlaybookFirings">The playbook's firings in the replication, in the order they happened; null when none
/// fired (or the scenario has no playbook).</param>
public sealed record ReplicationKpis(
    int Replication,
    long Events,
    double[] Overall,
    double[][] ByCallType,
    double[] Intervals,
    ReplicationResult? Records,
    double[]? IntervalsByCallType = null,
    PlaybookFiring[]? PlaybookFirings = null);

/// <summary>The estimates of every interval, made when read from the running moments: a run over many intervals
/// holds a few numbers per interval, not an object graph.</summary>
internal sealed class IntervalList(int count, Func<int, IntervalEstimates> make) : IReadOnlyList<IntervalEstimates>
{
    public int Count => count;

    public IntervalEstimates this[int index] => (uint)index < (uint)count ? make(index) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<IntervalEstimates> GetEnumerator()
    {
        for (var k = 0; k < count; k++)
        {
            yield return make(k);
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
