using CrisisSim.Model.Scenario;

namespace CrisisSim.Engine;

/// <summary>A KPI over replications: the mean of the replications where it is defined and the half-width of its
/// 95 % Student-t confidence interval (NaN with fewer than two values).</summary>
public readonly record struct Estimate(double Mean, double HalfWidth, int Count);

/// <summary>Every KPI estimated over replications, in <see cref="KpiValues.Names"/> order, then occupancy per group.</summary>
public sealed record KpiEstimates(IReadOnlyList<Estimate> Scalars, IReadOnlyList<Estimate> OccupancyByGroup)
{
    public Estimate this[string name] => Scalars[Array.IndexOf(KpiValues.Names, name)];

    public static KpiEstimates Aggregate(IReadOnlyList<KpiValues> replications, Func<ReadOnlySpan<double>, Estimate> estimate)
    {
        var names = KpiValues.Names.Length;
        var groups = replications.Count == 0 ? 0 : replications[0].OccupancyByGroup.Count;
        var scalars = replications.Select(r => r.Scalars()).ToArray();
        var values = new double[replications.Count];
        var result = new Estimate[names];
        for (var i = 0; i < names; i++)
        {
            for (var r = 0; r < replications.Count; r++)
            {
                values[r] = scalars[r][i];
            }
            result[i] = estimate(values);
        }
        var occupancy = new Estimate[groups];
        for (var g = 0; g < groups; g++)
        {
            for (var r = 0; r < replications.Count; r++)
            {
                values[r] = replications[r].OccupancyByGroup[g];
            }
            occupancy[g] = estimate(values);
        }
        return new KpiEstimates(result, occupancy);
    }
}

public sealed record IntervalEstimates(int Index, double StartSeconds, double EndSeconds, KpiEstimates Kpis);

/// <summary>A finished run: the replications' records and the KPI estimates drawn from them.</summary>
public sealed record RunResult(
    ScenarioDefinition Scenario,
    long Seed,
    IReadOnlyList<ReplicationResult> Replications,
    KpiEstimates Overall,
    IReadOnlyList<KpiEstimates> OverallByCallType,
    IReadOnlyList<IntervalEstimates> Intervals)
{
    public long Events => Replications.Sum(r => r.Events);

    public static RunResult Analyze(ScenarioDefinition scenario, long seed, IReadOnlyList<ReplicationResult> replications)
    {
        var first = KpiValues.FirstCountedInterval(scenario);
        var last = scenario.IntervalCount - 1;
        var overall = KpiEstimates.Aggregate([.. replications.Select(r => KpiValues.From(r.Records, first, last))], Statistics.Estimate);
        var byType = Enumerable.Range(0, scenario.CallTypes.Count)
            .Select(t => KpiEstimates.Aggregate([.. replications.Select(r => KpiValues.From(r.Records, first, last, t))], Statistics.Estimate))
            .ToArray();
        var intervals = Enumerable.Range(0, scenario.IntervalCount)
            .Select(k => new IntervalEstimates(
                k,
                k * scenario.IntervalSeconds,
                (k + 1) * scenario.IntervalSeconds,
                KpiEstimates.Aggregate([.. replications.Select(r => KpiValues.From(r.Records, k, k))], Statistics.Estimate)))
            .ToArray();
        return new RunResult(scenario, seed, replications, overall, byType, intervals);
    }
}
