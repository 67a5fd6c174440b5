using CrisisSim.Analytics;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Engine;

/// <summary>How the playbook's rules fired over a run's replications (<see cref="RunResult.Playbook"/>).</summary>
/// <param name="EvaluateEverySeconds">The evaluation period: every firing time is a multiple of it.</param>
/// <param name="Rules">One summary per rule, in the playbook's order.</param>
public sealed record PlaybookSummary(double EvaluateEverySeconds, IReadOnlyList<PlaybookRuleSummary> Rules);

/// <summary>One rule over a run's replications.</summary>
/// <param name="Rule">The rule's index in the playbook.</param>
/// <param name="FiredReplications">Replications in which the rule fired at least once.</param>
/// <param name="FiredShare">Those replications over all, with its Wilson 95 % interval.</param>
/// <param name="FiringsPerReplication">Firings over all replications ÷ replications (NaN without replications).</param>
/// <param name="FirstTime">Over the replications where it fired, when it first fired (seconds from the start of the run).</param>
/// <param name="FirstEffectTime">Over the same replications, when the actions of that first firing took effect.</param>
public sealed record PlaybookRuleSummary(
    int Rule,
    string Name,
    int FiredReplications,
    ProportionInterval FiredShare,
    double FiringsPerReplication,
    TimeQuantiles FirstTime,
    TimeQuantiles FirstEffectTime);

/// <summary>The median and the 5 % and 95 % quantiles of instants over replications (NaN without any). A p-quantile is the
/// earliest instant by which at least p of the replications had come to it (the inverse of the empirical distribution),
/// so it is always one of the instants seen: an evaluation instant for a firing.</summary>
public readonly record struct TimeQuantiles(double Median, double P05, double P95)
{
    public static TimeQuantiles None { get; } = new(double.NaN, double.NaN, double.NaN);

    /// <summary>The quantiles of instants given as (instant, replications) in increasing order of instant.</summary>
    public static TimeQuantiles Of(SortedDictionary<double, int> counts)
    {
        long total = 0;
        foreach (var c in counts.Values)
        {
            total += c;
        }
        return total == 0 ? None : new TimeQuantiles(Quantile(counts, total, 0.5), Quantile(counts, total, 0.05), Quantile(counts, total, 0.95));
    }

    private static double Quantile(SortedDictionary<double, int> counts, long total, double p)
    {
        // The rank of the p-quantile among the sorted instants (1-based); the tolerance keeps p x total = 1.0000000001 at 1.
        var rank = Math.Max(1, (long)Math.Ceiling(p * total - 1e-9));
        long seen = 0;
        foreach (var (instant, count) in counts)
        {
            seen += count;
            if (seen >= rank)
            {
                return instant;
            }
        }
        return double.NaN;
    }
}

/// <summary>Folds each replication's firings into per-rule counts. Firing instants are evaluation instants, so memory
/// follows the distinct instants at which rules first fired (at most the evaluations of a run), not the replications.</summary>
internal sealed class PlaybookAccumulator(PlaybookSpec playbook)
{
    private readonly RuleCounts[] _rules = [.. playbook.Rules.Select(_ => new RuleCounts())];
    private int _replications;

    public void Add(int replication, IReadOnlyList<PlaybookFiring>? firings)
    {
        _replications++;
        if (firings is null || firings.Count == 0)
        {
            return;
        }
        Span<int> first = _rules.Length <= 128 ? stackalloc int[_rules.Length] : new int[_rules.Length];
        first.Fill(-1);
        for (var i = 0; i < firings.Count; i++)
        {
            var f = firings[i];
            if ((uint)f.Rule >= (uint)_rules.Length)
            {
                throw new ArgumentException($"Replication {replication} has a firing of rule {f.Rule}; the playbook has {_rules.Length} rule(s)", nameof(firings));
            }
            _rules[f.Rule].Firings++;
            if (first[f.Rule] < 0 || f.Time < firings[first[f.Rule]].Time)
            {
                first[f.Rule] = i;
            }
        }
        for (var r = 0; r < _rules.Length; r++)
        {
            if (first[r] >= 0)
            {
                var f = firings[first[r]];
                var counts = _rules[r];
                counts.FiredReplications++;
                Increment(counts.FirstTimes, f.Time);
                Increment(counts.FirstEffectTimes, f.EffectTime);
            }
        }
    }

    /// <summary>Instants held over all rules (first firings and their effects): what the memory follows.</summary>
    internal int DistinctInstants => _rules.Sum(r => r.FirstTimes.Count + r.FirstEffectTimes.Count);

    private static void Increment(SortedDictionary<double, int> counts, double instant) =>
        counts[instant] = counts.TryGetValue(instant, out var c) ? c + 1 : 1;

    public PlaybookSummary Finish() => new(
        playbook.EvaluateEverySeconds,
        [.. _rules.Select((c, r) => new PlaybookRuleSummary(
            r,
            playbook.Rules[r].Name,
            c.FiredReplications,
            ProportionInterval.Wilson(c.FiredReplications, _replications),
            _replications == 0 ? double.NaN : (double)c.Firings / _replications,
            TimeQuantiles.Of(c.FirstTimes),
            TimeQuantiles.Of(c.FirstEffectTimes)))]);

    private sealed class RuleCounts
    {
        public int FiredReplications { get; set; }
        public long Firings { get; set; }
        public SortedDictionary<double, int> FirstTimes { get; } = [];
        public SortedDictionary<double, int> FirstEffectTimes { get; } = [];
    }
}
