using CrisisSim.Model.Recording;
using CrisisSim.Engine;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Planning;

/// <summary>Where the staffing algorithm stands, for progress displays.</summary>
public readonly record struct StaffingProgress(int Iteration, int MaxIterations, long ReplicationsDone, long Replications, int IntervalsMissed)
{
    /// <summary>The verification round under way (0: the search).</summary>
    public int VerificationRound { get; init; }
}

/// <summary>One iteration of the staffing algorithm: the operator-hours on duty of the staffed groups, how many intervals
/// missed the targets and how many the iteration then changed.</summary>
public sealed record StaffingIteration(int Iteration, double AgentHours, int IntervalsMissed, int IntervalsChanged)
{
    /// <summary>Replications the iteration needed (see <see cref="StaffingSettings.MaxReplications"/>).</summary>
    public int Replications { get; init; }
}

/// <summary>How <see cref="IterativeStaffing"/> runs: replications, seed, iterations, precision and verification.</summary>
/// <param name="Replications">Replications each evaluation of a staffing starts with.</param>
/// <param name="Seed">Root seed of the search.</param>
/// <param name="MaxIterations">Most iterations of the search.</param>
public sealed record StaffingSettings(int Replications, long Seed, int MaxIterations)
{
    /// <summary>Confidence level of every interval's confidence interval.</summary>
    public double Confidence { get; init; } = 0.95;

    /// <summary>Most replications of one evaluation: from <see cref="Replications"/>, the replications grow (those run
    /// are kept) until every interval's estimate is precise enough to tell its staffing from one operator less, or this
    /// many have run. Equal to <see cref="Replications"/>: a fixed count.</summary>
    public int MaxReplications { get; init; } = Replications;

    /// <summary>Most rounds of verification on <see cref="VerificationSeed"/> (0: the plan is not verified).</summary>
    public int VerificationRounds { get; init; }

    /// <summary>The seed of the verification: derived from <see cref="Seed"/>, never used by the search.</summary>
    public long VerificationSeed => VerificationSeedOf(Seed);

    public static long VerificationSeedOf(long seed) =>
        unchecked((long)CrisisSim.Model.Randomness.RandomStream.DeriveSeed(seed, 0, "staff-verification"));
}

/// <summary>How precise one interval's estimate is in an evaluation: the half-width of the confidence interval of the
/// measure with the least margin (on the margin's scale), the half-width that decides (the larger of the distance to the
/// target and half of what one operator changes: then the staffing is told from one operator less), and the
/// replications run.</summary>
public readonly record struct IntervalPrecision(double HalfWidth, double Needed, int Replications)
{
    public bool Reached => HalfWidth <= Needed;
}

/// <summary>One round of verification: the plan run on the verification seed, the intervals that missed there and how
/// many operators were then added.</summary>
public sealed record VerificationRound(int Round, int Replications, double AgentHours, int IntervalsMissed, int OperatorsAdded);

/// <summary>The verification of a plan on independent random numbers.</summary>
public sealed record StaffingVerification(long Seed, IReadOnlyList<VerificationRound> Rounds, int MaxRounds)
{
    /// <summary>Whether the last round met the targets wherever they can be met.</summary>
    public bool Passed { get; init; }
}

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

    /// <summary>Per interval, the precision of <see cref="Performance"/> (empty: not measured).</summary>
    public IReadOnlyList<IntervalPrecision> Precision { get; init; } = [];

    /// <summary>The verification on independent random numbers (null: not verified); when present,
    /// <see cref="Performance"/>, <see cref="Misses"/> and <see cref="Run"/> are its last round's.</summary>
    public StaffingVerification? Verification { get; init; }

    /// <summary>Confidence level of the confidence intervals.</summary>
    public double Confidence { get; init; } = 0.95;

    /// <summary>Intervals where the replications stopped at the cap before the estimate was precise enough.</summary>
    public int IntervalsImprecise => Precision.Count(p => !p.Reached);

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
/// differ only by their staffing. The search first converges with <see cref="StaffingSettings.Replications"/> per
/// iteration, then goes on with the precision rule until it converges again: an iteration starts with
/// <see cref="StaffingSettings.Replications"/> and adds
/// replications (keeping those run) until, in every interval, the confidence interval of the measure with the least
/// margin is no wider than the larger of that margin and half of what one operator changes there (by the stationary
/// queue at the equivalent load), or until <see cref="StaffingSettings.MaxReplications"/>.</para>
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
/// agent-hours among those that met every reachable target, or the last one. Without a bracket, the steps down grow
/// while an interval keeps meeting (a tenth, a fifth, then 40 % and at most half), so any start reaches the minimum in a
/// few iterations.</para>
/// <para>Verification: the plan is then run on <see cref="StaffingSettings.VerificationSeed"/> with the same precision
/// rule; where an interval's mean misses a target there, it gets the operators its equivalent load asks for (at least
/// one, at most a tenth more) and the plan is run again, for at most <see cref="StaffingSettings.VerificationRounds"/>
/// rounds. The result is the last plan verified, with its verified figures.</para>
/// </remarks>
public static class IterativeStaffing
{
    /// <summary>The least half-width an interval is asked for (a tenth of a point): below it, one operator changes
    /// too little to be worth telling apart.</summary>
    private const double FinestPrecision = 0.001;

    /// <summary>The half-width asked for where the stationary queue cannot tell what one operator changes.</summary>
    private const double DefaultPrecision = 0.01;

    /// <summary>The search alone, with a fixed number of replications and no verification.</summary>
    public static Task<StaffingResult> RunAsync(
        StaffingProblem problem,
        IReplicationHost host,
        int replications,
        long seed,
        int maxIterations,
        IProgress<StaffingProgress>? progress,
        CancellationToken cancellationToken) =>
        RunAsync(problem, host, new StaffingSettings(replications, seed, maxIterations), progress, cancellationToken);

    public static async Task<StaffingResult> RunAsync(
        StaffingProblem problem,
        IReplicationHost host,
        StaffingSettings settings,
        IProgress<StaffingProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(settings);
        var maxIterations = settings.MaxIterations;
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIterations, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Replications, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.MaxReplications, settings.Replications);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.VerificationRounds);
        var seed = settings.Seed;
        var count = problem.Scenario.IntervalCount;
        var start = problem.ErlangStart();
        var s = (int[])start.Clone();
        var brackets = Enumerable.Range(0, count).Select(_ => new Bracket()).ToArray();
        var history = new List<StaffingIteration>();
        Evaluation? best = null;
        Evaluation? last = null;
        var converged = false;
        var lastMissed = 0;
        // The search first converges on the starting replications, then goes on with the precision rule: far from the
        // minimum, a rough estimate decides as well as a precise one.
        var refining = settings.MaxReplications == settings.Replications;
        var rough = settings with { MaxReplications = settings.Replications };
        var refined = refining;
        for (var iteration = 1; iteration <= maxIterations; iteration++)
        {
            var step = new StaffingProgress(iteration, maxIterations, 0, 0, lastMissed);
            var evaluation = await EvaluateAsync(problem, host, s, refining ? settings : rough, seed, step, progress, cancellationToken);
            evaluation = evaluation with { Rough = !refining };
            last = evaluation;
            var missed = evaluation.Misses.Count(m => m is not null);
            lastMissed = missed;
            var feasible = Enumerable.Range(0, count).All(k => evaluation.Misses[k] is null || s[k] >= problem.Upper[k]);
            var hours = s.Sum(x => (double)x);
            if (feasible && (best is null || hours < best.Totals.Sum(x => (double)x)))
            {
                best = evaluation;
            }

            if (refining && !refined)
            {
                refined = true;
                for (var k = 0; k < count; k++)
                {
                    // The rough search saw one operator less miss, but even the lower end of the precise margin is more
                    // than one operator is worth: look again below.
                    if (evaluation.Misses[k] is null && evaluation.Margins[k] - evaluation.Precision[k].HalfWidth >= evaluation.Effects[k])
                    {
                        brackets[k].Forget();
                    }
                }
            }
            var next = new int[count];
            for (var k = 0; k < count; k++)
            {
                next[k] = Next(problem, evaluation, k, s[k], brackets[k]);
            }
            var changed = Enumerable.Range(0, count).Count(k => next[k] != s[k]);
            var onDuty = problem.StaffedGroups.Sum(g => GroupTerms.OnDutyHours(evaluation.Scenario, evaluation.Scenario.Groups[g]));
            history.Add(new StaffingIteration(iteration, onDuty, missed, changed) { Replications = evaluation.Replications });
            if (changed == 0 && !refining)
            {
                refining = true;
                best = null;
                continue;
            }
            if (changed == 0)
            {
                converged = true;
                break;
            }
            s = next;
        }

        var chosen = converged ? last! : best ?? last!;
        if (converged && settings.MaxReplications > settings.Replications)
        {
            chosen = await LowerAloneAsync(problem, host, chosen, settings, maxIterations, progress, cancellationToken);
        }
        StaffingVerification? verification = null;
        if (settings.VerificationRounds > 0)
        {
            (chosen, verification) = await VerifyAsync(problem, host, chosen, settings, maxIterations, progress, cancellationToken);
        }
        var reasons = new string?[count];
        for (var k = 0; k < count; k++)
        {
            if (chosen.Misses[k] is not null)
            {
                reasons[k] = chosen.Totals[k] >= problem.Upper[k] ? problem.CapReason(k)
                    : verification is not null && converged ? string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"missed on the verification seed after {verification.Rounds.Count} round(s) (raise --verify-rounds)")
                    : converged ? null : "not met when the iterations ran out (raise --max-iterations)";
            }
        }
        return new StaffingResult(problem, chosen.Staffing, chosen.Scenario, chosen.Run, chosen.Performance, chosen.Misses, reasons,
            start, history, converged, settings.Replications, seed)
        {
            PerformanceByCallType = chosen.ByCallType,
            Precision = chosen.Rough || settings.MaxReplications == settings.Replications ? [] : chosen.Precision,
            Verification = verification,
            Confidence = settings.Confidence,
        };
    }

    /// <summary>Intervals apart from each other by <see cref="MinimalityStride"/> are lowered by one operator together;
    /// each keeps the lower staffing when it and the intervals its backlog reaches still meet the targets.</summary>
    private const int MinimalityStride = 3;

    /// <summary>Checks that each interval is minimal on its own, on the search's random numbers: the search lowers
    /// intervals together, so one can end an operator high when its neighbour's backlog made it miss.</summary>
    private static async Task<Evaluation> LowerAloneAsync(
        StaffingProblem problem, IReplicationHost host, Evaluation plan, StaffingSettings settings, int maxIterations,
        IProgress<StaffingProgress>? progress, CancellationToken cancellationToken)
    {
        var count = plan.Totals.Length;
        var s = (int[])plan.Totals.Clone();
        // The converged search's replications, all of them at once: the same random numbers as its last iteration.
        var same = settings with { Replications = plan.Replications, MaxReplications = plan.Replications };
        var step = new StaffingProgress(maxIterations, maxIterations, 0, 0, 0);
        var lowered = false;
        for (var phase = 0; phase < MinimalityStride; phase++)
        {
            // Where even the upper end of the margin is less than one operator is worth, one operator less misses.
            var candidates = Enumerable.Range(0, count).Where(k => k % MinimalityStride == phase && s[k] > 0 && plan.Misses[k] is null
                && !(plan.Margins[k] + plan.Precision[k].HalfWidth < plan.Effects[k])).ToList();
            if (candidates.Count == 0)
            {
                continue;
            }
            var trial = (int[])s.Clone();
            foreach (var k in candidates)
            {
                trial[k]--;
            }
            var e = await EvaluateAsync(problem, host, trial, same, settings.Seed, step, progress, cancellationToken);
            foreach (var k in candidates)
            {
                var reach = Math.Min(count, k + MinimalityStride);
                if (Enumerable.Range(k, reach - k).All(j => e.Misses[j] is null || plan.Misses[j] is not null))
                {
                    s[k]--;
                    lowered = true;
                }
            }
        }
        if (!lowered)
        {
            return plan;
        }
        var lower = await EvaluateAsync(problem, host, s, same, settings.Seed, step, progress, cancellationToken);
        // Lowered one by one, two intervals can still miss together: then the plan stays as the search left it.
        return Enumerable.Range(0, count).All(k => lower.Misses[k] is null || plan.Misses[k] is not null) ? lower : plan;
    }

    /// <summary>Runs <paramref name="plan"/> on the verification seed; where an interval misses there, adds operators
    /// and runs again, for at most <see cref="StaffingSettings.VerificationRounds"/> rounds.</summary>
    private static async Task<(Evaluation Verified, StaffingVerification Verification)> VerifyAsync(
        StaffingProblem problem, IReplicationHost host, Evaluation plan, StaffingSettings settings, int maxIterations,
        IProgress<StaffingProgress>? progress, CancellationToken cancellationToken)
    {
        var seed = settings.VerificationSeed;
        var rounds = new List<VerificationRound>();
        var s = (int[])plan.Totals.Clone();
        var count = s.Length;
        Evaluation verified;
        while (true)
        {
            var round = rounds.Count + 1;
            var step = new StaffingProgress(maxIterations, maxIterations, 0, 0, 0) { VerificationRound = round };
            verified = await EvaluateAsync(problem, host, s, settings, seed, step, progress, cancellationToken);
            var next = (int[])s.Clone();
            for (var k = 0; k < count; k++)
            {
                if (verified.Misses[k] is not null && s[k] < problem.Upper[k])
                {
                    // What the equivalent load asks for, at least one operator and at most a tenth more: the miss is small.
                    var estimate = Estimate(problem, verified, k, s[k], meets: false);
                    next[k] = Math.Min(problem.Upper[k], Math.Clamp(estimate, s[k] + 1, s[k] + Math.Max(1, s[k] / 10)));
                }
            }
            var added = Enumerable.Range(0, count).Sum(k => next[k] - s[k]);
            var onDuty = problem.StaffedGroups.Sum(g => GroupTerms.OnDutyHours(verified.Scenario, verified.Scenario.Groups[g]));
            var missed = verified.Misses.Count(m => m is not null);
            var final = added == 0 || round >= settings.VerificationRounds;
            rounds.Add(new VerificationRound(round, verified.Replications, onDuty, missed, final ? 0 : added));
            if (final)
            {
                return (verified, new StaffingVerification(seed, rounds, settings.VerificationRounds) { Passed = added == 0 });
            }
            s = next;
        }
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

        /// <summary>Forgets where the interval was seen to miss.</summary>
        public void Forget() => (Lo, LastSide, SameSide) = (-1, 0, 0);

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
            // A tenth down at first, twice as far each time the interval meets again, at most half: a backlog left to
            // the next intervals stays small, and a start far too high still reaches the minimum in a few iterations.
            var fraction = Math.Min(0.5, 0.1 * Math.Pow(2, Math.Min(b.SameSide, 4) - 1));
            var down = current - Math.Max(2, (int)(current * fraction));
            // Three meets in a row: the estimate keeps seeing no saving, so it no longer holds the step back.
            return Math.Max(0, b.SameSide >= 3 ? down : Math.Max(estimate, down));
        }
        var up = current + Math.Max(2, current / 2);
        // Three misses in a row: the estimate keeps asking too little, so the step is the largest allowed.
        estimate = b.SameSide >= 3 ? up : Math.Max(estimate, current + 1);
        return Math.Min(upper, Math.Min(estimate, up));
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
        int[] Binding,
        IntervalPrecision[] Precision,
        double[] Effects,
        int Replications)
    {
        /// <summary>Run with the starting replications only, before the precision rule applied.</summary>
        public bool Rough { get; init; }
    }

    /// <summary>Runs <paramref name="totals"/> on <paramref name="seed"/>: replications 0 … R−1 first, then more (those
    /// run kept) until every interval is precise enough or <see cref="StaffingSettings.MaxReplications"/> have run.</summary>
    private static async Task<Evaluation> EvaluateAsync(
        StaffingProblem problem, IReplicationHost host, int[] totals, StaffingSettings settings, long seed, StaffingProgress step,
        IProgress<StaffingProgress>? progress, CancellationToken cancellationToken)
    {
        var staffing = problem.SplitAll(totals);
        var split = Enumerable.Range(0, totals.Length).Select(k => staffing.Select(g => g[k]).ToArray()).ToArray();
        var scenario = problem.WithStaffing(staffing);
        var counts = new List<TargetCounts>();
        // One judged call type among all: the interval rows; several: each call type's interval rows when the run keeps
        // them, otherwise the replications' records.
        var judged = problem.JudgedCallTypes;
        var pooled = problem.AllCallTypes && judged.Count == 1;
        var byTypeRows = !pooled && RunLimits.KeepsCallTypeIntervals(scenario);
        var output = !pooled && !byTypeRows ? ReplicationOutput.Records : ReplicationOutput.Kpis;
        var accumulator = new RunAccumulator(scenario, seed);
        var count = totals.Length;
        var targets = problem.Targets;
        var first = 0;
        var replications = settings.Replications;
        while (true)
        {
            var before = first;
            var planProgress = progress is null ? null : new Progress(p => progress.Report(step with { ReplicationsDone = before + p.ReplicationsDone, Replications = before + p.Replications }));
            await ReplicationPipeline.RunPlanAsync(host, [new PlanPoint(() => scenario, output)], seed, first, replications - first,
                (_, _, kpis) =>
                {
                    counts.Add(pooled ? TargetCounts.FromRows(scenario, kpis)
                        : byTypeRows ? TargetCounts.FromCallTypeRows(scenario, kpis, judged)
                        : TargetCounts.FromRecords(scenario, kpis.Records!.Records, judged));
                    accumulator.Add(kpis with { Records = null });
                },
                planProgress, cancellationToken);

            var performance = TargetCounts.Performance(counts, count, -1, settings.Confidence);
            var byType = judged.Count == 1 ? [] : judged.Select((_, i) => TargetCounts.Performance(counts, count, i, settings.Confidence)).ToArray();
            var misses = new string?[count];
            var margins = new double[count];
            var binding = new int[count];
            var precision = new IntervalPrecision[count];
            var effects = new double[count];
            for (var k = 0; k < count; k++)
            {
                if (byType.Length == 0)
                {
                    misses[k] = targets.Misses(performance[k]);
                    margins[k] = targets.Margin(performance[k]);
                }
                else
                {
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
                var perf = byType.Length == 0 ? performance[k] : byType[binding[k]][k];
                (precision[k], effects[k]) = PrecisionOf(problem, perf, split[k], k, margins[k], replications);
            }
            if (replications >= settings.MaxReplications || precision.All(p => p.Reached))
            {
                return new Evaluation((int[])totals.Clone(), staffing, split, scenario, accumulator.Finish(), performance, byType, misses, margins, binding,
                    precision, effects, replications);
            }
            // The half-width shrinks as one over the square root of the replications: ask for what the least precise
            // interval needs, at most twice as many at once (the estimate of the spread is itself rough).
            var factor = precision.Where(p => !p.Reached).Max(p => double.IsNaN(p.HalfWidth) ? 4 : p.HalfWidth * p.HalfWidth / (p.Needed * p.Needed));
            first = replications;
            replications = (int)Math.Min(settings.MaxReplications, Math.Max(replications + 1, Math.Min(2L * replications, (long)Math.Ceiling(replications * factor))));
        }
    }

    /// <summary>The precision of one interval's estimate and the precision it needs, and what one operator less changes
    /// its margin by (NaN: unknown).</summary>
    private static (IntervalPrecision Precision, double Effect) PrecisionOf(StaffingProblem problem, IntervalPerformance perf, int[] split, int k, double margin, int replications)
    {
        var targets = problem.Targets;
        if (!(perf.Offered > 0) || double.IsNaN(perf.ServiceLevel.Mean))
        {
            return (new IntervalPrecision(0, 1, replications), double.NaN);
        }
        var (measure, halfWidth) = targets.Binding(perf);
        var effect = double.NaN;
        if (problem.Queues[k] is { } queue)
        {
            var observed = measure switch
            {
                IntervalQueue.Measure.ServiceLevel => perf.ServiceLevel.Mean,
                IntervalQueue.Measure.Abandonment => perf.Abandonment.Mean,
                _ => perf.Asa.Mean,
            };
            effect = queue.OneOperatorEffect(measure, problem.Effective(split, k), observed);
            if (measure == IntervalQueue.Measure.Asa)
            {
                effect /= Math.Max(targets.MaxAsaSeconds ?? 1, 1);
            }
        }
        var operatorPrecision = double.IsNaN(effect) ? DefaultPrecision : Math.Max(FinestPrecision, effect / 2);
        return (new IntervalPrecision(halfWidth, Math.Max(Math.Abs(margin), operatorPrecision), replications), effect);
    }

    /// <summary>Reports synchronously (System.Progress would post to a synchronization context).</summary>
    private sealed class Progress(Action<PlanProgress> report) : IProgress<PlanProgress>
    {
        public void Report(PlanProgress value) => report(value);
    }
}
