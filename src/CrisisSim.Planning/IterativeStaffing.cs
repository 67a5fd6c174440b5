using CrisisSim.Model.Recording;
using CrisisSim.Engine;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Planning;

/// <summary>Where the staffing algorithm stands, for progress displays.</summary>
public readonly record struct StaffingProgress(int Iteration, int MaxIterations, long ReplicationsDone, long Replications, int IntervalsMissed);

/// <summary>One iteration of the staffing algorithm: the operator-hours on duty of the staffed groups, how many intervals
/// missed the targets and how many the iteration then changed.</summary>
public sealed record StaffingIteration(int Iteration, double AgentHours, int IntervalsMissed, int IntervalsChanged);

/// <summary>The staffing found, and what it achieves.</summary>
/// <param name="Staffing">Operators per staffed group (in <see cref="StaffingProblem.StaffedGroups"/> order), per
/// interval.</param>
/// <param name="Scenario">The scenario with that staffing.</param>
/// <param name="Run">The simulation of <see cref="Scenario"/> (the last iteration's, with the same seed and
/// replications).</param>
/// <param name="Performance">Per interval, over the judged call types together.</param>
/// <param name="Misses">Per interval, the targets missed, by call type when several are judged (null: met).</param>
/// <param name="Reasons">Per interval that misses, why it cannot do better (null where it meets, or where only the
/// iterations ran out).</param>
/// <param name="ErlangStart">The first estimate: operators per interval of the staffed groups together.</param>
/// <param name="Converged">Whether the iterations reached a staffing they no longer changed.</param>
public sealed record StaffingResult(
    StaffingProblem Problem,
    IReadOnlyList<int[]> Staffing,
    ScenarioDefinition Scenario,
    RunResult Run,
    IReadOnlyList<IntervalPerformance> Performance,
    IReadOnlyList<string?> Misses,
    IReadOnlyList<string?> Reasons,
    IReadOnlyList<int> ErlangStart,
    IReadOnlyList<StaffingIteration> Iterations,
    bool Converged,
    int Replications,
    long Seed)
{
    /// <summary>Per judged call type (in <see cref="StaffingProblem.JudgedCallTypes"/> order), per interval; empty when
    /// a single call type is judged (its performance is <see cref="Performance"/>).</summary>
    public IReadOnlyList<IReadOnlyList<IntervalPerformance>> PerformanceByCallType { get; init; } = [];

    public int IntervalsMissed => Misses.Count(m => m is not null);

    /// <summary>Operators of the staffed groups together, per interval.</summary>
    public int Total(int k) => Staffing.Sum(g => g[k]);

    /// <summary>Operator-hours scheduled in one staffed group: its staffing times the intervals' length.</summary>
    public double ScheduledHours(int staffedIndex) => Staffing[staffedIndex].Sum(x => (double)x) * Problem.Scenario.IntervalSeconds / 3600;

    /// <summary>Operator-hours on duty in one staffed group by its plan, after shrinkage and activation (see
    /// <see cref="GroupTerms.OnDutyHours"/>): what its cost is paid on.</summary>
    public double AgentHours(int staffedIndex) => GroupTerms.OnDutyHours(Scenario, Scenario.Groups[Problem.StaffedGroups[staffedIndex]]);

    public double Cost(int staffedIndex) => AgentHours(staffedIndex) * GroupTerms.CostPerHour(Problem.Scenario.Groups[Problem.StaffedGroups[staffedIndex]]);
}

/// <summary>The minimum staffing per interval meeting service targets in every interval, by the Iterative Staffing
/// Algorithm (Feldman, Mandelbaum, Massey and Whitt, "Staffing of time-varying queues to achieve time-stable
/// performance", Management Science 54(2), 2008): start from a stationary estimate per interval, simulate the whole
/// horizon (so that the backlog one interval leaves to the next is in the measure), set each interval's staffing from
/// what the simulation shows, and repeat until the staffing no longer changes.</summary>
/// <remarks>
/// <para>Each iteration runs the same replications with the same seed (common random numbers), so two iterations
/// differ only by their staffing.</para>
/// <para>The staffing function of an interval: the interval's simulated service level, abandonment and ASA are each
/// turned into the load at which a stationary Erlang A queue with the same operators performs the same (the
/// equivalent load: it carries the time-varying effects: backlog, surges, every mechanism of the model); the interval
/// gets the operators that queue needs at that load to meet each target, the largest of the three.</para>
/// <para>To end at the minimum rather than near it, each interval keeps a bracket: the most operators with which it
/// was seen to miss the targets and the fewest with which it was seen to meet them, with its margin at each (the
/// smallest slack over the targets); the latest observation wins, since the other intervals change too. Without a
/// bracket, the interval moves to its estimate, by at most half its operators up (at least 2) and a tenth down (at
/// least 2), since a short-staffed interval leaves a backlog to the next ones. Within a bracket, it moves to where the
/// margin crosses zero by linear interpolation between the two ends (false position), or to the middle when the same end
/// moved twice in a row, and probes one operator below the meeting end when the interpolation lands on it. The staffing
/// is final when no interval changes: each interval then meets the targets (or is at the most operators it can have)
/// and missed them with one operator less. If the iterations run out first, the result is the staffing with the fewest
/// agent-hours among those that met every reachable target, or the last one.</para>
/// </remarks>
public static class IterativeStaffing
{
    public static async Task<StaffingResult> RunAsync(
        StaffingProblem problem,
        IReplicationHost host,
        int replications,
        long seed,
        int maxIterations,
        IProgress<StaffingProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIterations, 1);
        var count = problem.Scenario.IntervalCount;
        var start = problem.ErlangStart();
        var s = (int[])start.Clone();
        var brackets = Enumerable.Range(0, count).Select(_ => new Bracket()).ToArray();
        var history = new List<StaffingIteration>();
        Evaluation? best = null;
        Evaluation? last = null;
        var converged = false;
        var lastMissed = 0;
        for (var iteration = 1; iteration <= maxIterations; iteration++)
        {
            var evaluation = await EvaluateAsync(problem, host, s, replications, seed, iteration, maxIterations, lastMissed, progress, cancellationToken);
            last = evaluation;
            var missed = evaluation.Misses.Count(m => m is not null);
            lastMissed = missed;
            var feasible = Enumerable.Range(0, count).All(k => evaluation.Misses[k] is null || s[k] >= problem.Upper[k]);
            var hours = s.Sum(x => (double)x);
            if (feasible && (best is null || hours < best.Totals.Sum(x => (double)x)))
            {
                best = evaluation;
            }

            var next = new int[count];
            for (var k = 0; k < count; k++)
            {
                next[k] = Next(problem, evaluation, k, s[k], brackets[k]);
            }
            var changed = Enumerable.Range(0, count).Count(k => next[k] != s[k]);
            var onDuty = problem.StaffedGroups.Sum(g => GroupTerms.OnDutyHours(evaluation.Scenario, evaluation.Scenario.Groups[g]));
            history.Add(new StaffingIteration(iteration, onDuty, missed, changed));
            if (changed == 0)
            {
                converged = true;
                break;
            }
            s = next;
        }

        var chosen = converged ? last! : best ?? last!;
        var reasons = new string?[count];
        for (var k = 0; k < count; k++)
        {
            if (chosen.Misses[k] is not null)
            {
                reasons[k] = chosen.Totals[k] >= problem.Upper[k]
                    ? problem.CapReason(k)
                    : converged ? null : "not met when the iterations ran out (raise --max-iterations)";
            }
        }
        return new StaffingResult(problem, chosen.Staffing, chosen.Scenario, chosen.Run, chosen.Performance, chosen.Misses, reasons,
            start, history, converged, replications, seed)
        {
            PerformanceByCallType = chosen.ByCallType,
        };
    }

    /// <summary>What is known of one interval: the most operators seen to miss (<see cref="Lo"/>, -1: none) and the
    /// fewest seen to meet (<see cref="Hi"/>, int.MaxValue: none), with the margin at each; which end moved last and how
    /// many times in a row.</summary>
    private sealed class Bracket
    {
        public int Lo = -1;
        public double MarginLo;
        public int Hi = int.MaxValue;
        public double MarginHi;
        public int LastSide;
        public int SameSide;

        public void Observe(int staffing, bool meets, double margin)
        {
            if (meets)
            {
                (Hi, MarginHi) = (staffing, margin);
                if (Lo >= staffing)
                {
                    Lo = -1;
                }
            }
            else
            {
                (Lo, MarginLo) = (staffing, margin);
                if (Hi <= staffing)
                {
                    Hi = int.MaxValue;
                }
            }
            var side = meets ? 1 : -1;
            SameSide = side == LastSide ? SameSide + 1 : 1;
            LastSide = side;
        }
    }

    /// <summary>The staffing of interval <paramref name="k"/> for the next iteration.</summary>
    private static int Next(StaffingProblem problem, Evaluation e, int k, int current, Bracket b)
    {
        var meets = e.Misses[k] is null;
        var upper = problem.Upper[k];
        b.Observe(current, meets, e.Margins[k]);
        if (!meets && current >= upper)
        {
            return upper;
        }
        if (b.Lo >= 0 && b.Hi != int.MaxValue)
        {
            if (b.Hi - b.Lo <= 1)
            {
                return b.Hi;
            }
            int next;
            if (b.SameSide >= 2 || !(b.MarginHi > b.MarginLo))
            {
                next = b.Lo + (b.Hi - b.Lo + 1) / 2;
            }
            else
            {
                var crossing = b.Lo + (b.Hi - b.Lo) * (-b.MarginLo) / (b.MarginHi - b.MarginLo);
                next = (int)Math.Ceiling(crossing - 1e-9);
            }
            // Strictly inside the bracket, or one below its meeting end to check that end is the least.
            return Math.Clamp(next, b.Lo + 1, b.Hi - 1);
        }
        var estimate = Estimate(problem, e, k, current, meets);
        if (meets)
        {
            if (current == 0)
            {
                return 0;
            }
            // The estimate sees no saving: check that one operator less misses.
            estimate = Math.Min(estimate, current - 1);
            return Math.Max(0, Math.Max(estimate, current - Math.Max(2, current / 10)));
        }
        estimate = Math.Max(estimate, current + 1);
        return Math.Min(upper, Math.Min(estimate, current + Math.Max(2, current / 2)));
    }

    /// <summary>The operators (staffed groups together) the interval needs by its equivalent load, or one step from
    /// the current staffing when the interval cannot be modelled.</summary>
    private static int Estimate(StaffingProblem problem, Evaluation e, int k, int current, bool meets)
    {
        var fallback = meets ? current - 1 : current + Math.Max(1, current / 10);
        // The call type with the least margin sets the estimate (all of them together when one is judged).
        var perf = e.ByCallType.Length == 0 ? e.Performance[k] : e.ByCallType[e.Binding[k]][k];
        if (problem.Queues[k] is not { } queue || !(perf.Offered > 0))
        {
            return meets && !(perf.Offered > 0) ? Math.Max(0, current - Math.Max(1, current / 4)) : fallback;
        }
        var agents = problem.Effective(e.Split[k], k);
        if (agents <= 0)
        {
            return fallback;
        }
        var targets = problem.Targets;
        const int ceiling = ScenarioLimits.MaxOperatorsOnDuty;
        var needed = Math.Max(0, queue.Required(targets, queue.EquivalentLoad(IntervalQueue.Measure.ServiceLevel, agents, perf.ServiceLevel.Mean), ceiling, IntervalQueue.Measure.ServiceLevel));
        if (targets.MaxAbandonment is not null && !double.IsNaN(perf.Abandonment.Mean))
        {
            needed = Math.Max(needed, queue.Required(targets, queue.EquivalentLoad(IntervalQueue.Measure.Abandonment, agents, perf.Abandonment.Mean), ceiling, IntervalQueue.Measure.Abandonment));
        }
        if (targets.MaxAsaSeconds is not null && !double.IsNaN(perf.Asa.Mean))
        {
            needed = Math.Max(needed, queue.Required(targets, queue.EquivalentLoad(IntervalQueue.Measure.Asa, agents, perf.Asa.Mean), ceiling, IntervalQueue.Measure.Asa));
        }
        // Back from operators available to operators of the staffed groups.
        var extra = (needed - problem.FixedEffective[k]) / (1 - problem.AverageShrinkage);
        return (int)Math.Min(int.MaxValue / 2, Math.Ceiling(Math.Max(0, extra) - 1e-9));
    }

    private sealed record Evaluation(
        int[] Totals,
        int[][] Staffing,
        int[][] Split,
        ScenarioDefinition Scenario,
        RunResult Run,
        IntervalPerformance[] Performance,
        IntervalPerformance[][] ByCallType,
        string?[] Misses,
        double[] Margins,
        int[] Binding);

    private static async Task<Evaluation> EvaluateAsync(
        StaffingProblem problem, IReplicationHost host, int[] totals, int replications, long seed, int iteration, int maxIterations, int lastMissed,
        IProgress<StaffingProgress>? progress, CancellationToken cancellationToken)
    {
        var staffing = problem.SplitAll(totals);
        var split = Enumerable.Range(0, totals.Length).Select(k => staffing.Select(g => g[k]).ToArray()).ToArray();
        var scenario = problem.WithStaffing(staffing);
        var counts = new TargetCounts[replications];
        RunResult? run = null;
        var planProgress = progress is null ? null : new Progress(p => progress.Report(new StaffingProgress(iteration, maxIterations, p.ReplicationsDone, p.Replications, lastMissed)));
        // One judged call type among all: the interval rows; several: each call type's interval rows when the run keeps
        // them, otherwise the replications' records.
        var judged = problem.JudgedCallTypes;
        var pooled = problem.AllCallTypes && judged.Count == 1;
        var byTypeRows = !pooled && RunLimits.KeepsCallTypeIntervals(scenario);
        await ReplicationPipeline.RunPointsAsync(host, [new PlanPoint(() => scenario, !pooled && !byTypeRows ? ReplicationOutput.Records : ReplicationOutput.Kpis)], seed, replications,
            point =>
            {
                run = point.Run;
                for (var r = 0; r < replications; r++)
                {
                    var kpis = point.Replications[r];
                    counts[r] = pooled ? TargetCounts.FromRows(scenario, kpis)
                        : byTypeRows ? TargetCounts.FromCallTypeRows(scenario, kpis, judged)
                        : TargetCounts.FromRecords(scenario, kpis.Records!.Records, judged);
                }
            },
            planProgress, cancellationToken);
        var count = totals.Length;
        var performance = TargetCounts.Performance(counts, count);
        var byType = judged.Count == 1 ? [] : judged.Select((_, i) => TargetCounts.Performance(counts, count, i)).ToArray();
        var misses = new string?[count];
        var margins = new double[count];
        var binding = new int[count];
        var targets = problem.Targets;
        for (var k = 0; k < count; k++)
        {
            if (byType.Length == 0)
            {
                misses[k] = targets.Misses(performance[k]);
                margins[k] = targets.Margin(performance[k]);
                continue;
            }
            var missed = new List<string>();
            margins[k] = double.PositiveInfinity;
            for (var i = 0; i < byType.Length; i++)
            {
                if (targets.Misses(byType[i][k]) is { } miss)
                {
                    missed.Add(scenario.CallTypes[judged[i]].Name + ": " + miss);
                }
                var margin = targets.Margin(byType[i][k]);
                if (margin < margins[k])
                {
                    (margins[k], binding[k]) = (margin, i);
                }
            }
            misses[k] = missed.Count == 0 ? null : string.Join("; ", missed);
        }
        return new Evaluation((int[])totals.Clone(), staffing, split, scenario, run!, performance, byType, misses, margins, binding);
    }

    /// <summary>Reports synchronously (System.Progress would post to a synchronization context).</summary>
    private sealed class Progress(Action<PlanProgress> report) : IProgress<PlanProgress>
    {
        public void Report(PlanProgress value) => report(value);
    }
}
