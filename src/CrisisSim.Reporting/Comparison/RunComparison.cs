using System.Globalization;
using CrisisSim.Analytics;
using CrisisSim.Engine;
using CrisisSim.Model.Recording;

namespace CrisisSim.Reporting;

/// <summary>Where a compared KPI was measured: overall (after the warm-up), for one call type, or in one interval.</summary>
public readonly record struct ComparisonScope(string Kind, string? CallType = null, int Interval = -1)
{
    public static ComparisonScope Overall { get; } = new("overall");

    public override string ToString() => Kind switch
    {
        "overall" => "overall",
        "callType" => "callTypes." + CallType,
        _ => "interval " + Interval.ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>One KPI of run B against run A: both estimates and the difference B − A with its significance.</summary>
public sealed record KpiComparison(ComparisonScope Scope, string Kpi, Estimate A, Estimate B, Difference Difference)
{
    /// <summary>The difference relative to A, in percent; NaN when A is 0 or undefined.</summary>
    public double RelativePercent => A.Mean != 0 && double.IsFinite(A.Mean) ? 100 * Difference.Delta / Math.Abs(A.Mean) : double.NaN;
}

/// <summary>Two runs compared KPI by KPI: overall, per call type and per interval. Overall KPIs are compared pairwise,
/// replication by replication, when both runs have the same seed and number of replications and kept
/// <c>replications.csv</c> (common random numbers make the test far sharper); every other KPI by Welch's test from the
/// runs' means, half-widths and counts.</summary>
public sealed class RunComparison
{
    private RunComparison(RunSummary a, RunSummary b, IReadOnlyList<KpiComparison> rows, bool paired)
    {
        A = a;
        B = b;
        Rows = rows;
        Paired = paired;
    }

    public RunSummary A { get; }
    public RunSummary B { get; }
    public IReadOnlyList<KpiComparison> Rows { get; }

    /// <summary>Whether the overall KPIs were compared replication by replication.</summary>
    public bool Paired { get; }

    public static RunComparison Compare(RunSummary a, RunSummary b)
    {
        var paired = a.Seed == b.Seed && a.Replications == b.Replications && a.ReplicationValues is not null && b.ReplicationValues is not null;
        var rows = new List<KpiComparison>();
        foreach (var (kpi, ea) in a.Overall)
        {
            if (!b.Overall.TryGetValue(kpi, out var eb))
            {
                continue;
            }
            var difference = paired && a.ReplicationValues!.TryGetValue(kpi, out var va) && b.ReplicationValues!.TryGetValue(kpi, out var vb)
                ? MeanDifference.Paired(va, vb)
                : Welch(ea, eb);
            rows.Add(new KpiComparison(ComparisonScope.Overall, kpi, ea, eb, difference));
        }
        foreach (var (type, kpisA) in a.CallTypes)
        {
            if (b.CallTypes.TryGetValue(type, out var kpisB))
            {
                AddUnpaired(rows, new ComparisonScope("callType", type), kpisA, kpisB);
            }
        }
        var intervals = Math.Min(a.Intervals.Count, b.Intervals.Count);
        for (var k = 0; k < intervals; k++)
        {
            AddUnpaired(rows, new ComparisonScope("interval", Interval: k), a.Intervals[k].Kpis, b.Intervals[k].Kpis);
        }
        return new RunComparison(a, b, rows, paired);
    }

    private static void AddUnpaired(List<KpiComparison> rows, ComparisonScope scope, IReadOnlyDictionary<string, Estimate> a, IReadOnlyDictionary<string, Estimate> b)
    {
        foreach (var (kpi, ea) in a)
        {
            if (b.TryGetValue(kpi, out var eb))
            {
                rows.Add(new KpiComparison(scope, kpi, ea, eb, Welch(ea, eb)));
            }
        }
    }

    private static Difference Welch(Estimate a, Estimate b) => MeanDifference.Welch(a.Mean, a.HalfWidth, a.Count, b.Mean, b.HalfWidth, b.Count);

    /// <summary>How a KPI's values read: a ratio (fractions, shown in %), seconds, or a count.</summary>
    public static KpiFormat FormatOf(string kpi) =>
        kpi.StartsWith("occupancy.", StringComparison.Ordinal) ? KpiFormat.Ratio
        : KpiCatalog.All.FirstOrDefault(d => d.Name == kpi)?.Format ?? KpiFormat.Count;
}
