using System.Globalization;
using System.Text.RegularExpressions;
using CrisisSim.Analytics;
using CrisisSim.Engine;
using CrisisSim.Model.Scenario;
using CrisisSim.Scenarios;

namespace CrisisSim.Planning;

/// <summary>One scenario of a sizing ensemble: a file, and settings applied to it (a point of a sweep of surge
/// magnitude or shape); every member weighs the same.</summary>
public sealed record SizingMember(string Path, string YamlText, IReadOnlyList<ScenarioSetting> Settings)
{
    public string Label => Settings.Count == 0
        ? System.IO.Path.GetFileName(Path)
        : System.IO.Path.GetFileName(Path) + " " + string.Join(" ", Settings.Select(s => s.ToString()));
}

/// <summary>What to size: the ensemble, the committed seats (a key of the scenario and its values), optionally the
/// on-demand seats and other terms to choose (such as the on-demand seats' activation delay), the money terms and the
/// risk level.</summary>
/// <param name="Choices">More keys whose values are options of the contract (not uncertainties): every combination
/// with the seats is an option; among options of equal cost, the values listed first are preferred.</param>
/// <param name="Confidence">Confidence level of every interval and of the recommendation: an option reaches the risk
/// level when the lower end of its interval does.</param>
public sealed record SizingRequest(
    IReadOnlyList<SizingMember> Members,
    SweepAxis Committed,
    SweepAxis? OnDemand,
    ContractTerms Terms,
    double Risk,
    IReadOnlyList<SweepAxis>? Choices = null,
    double Confidence = ConfidenceInterval.DefaultLevel)
{
    /// <summary>Every option: committed seats varying slowest, then on-demand seats, then the choices in order.</summary>
    public SweepGrid Options { get; } = new([Committed, .. OnDemand is null ? Array.Empty<SweepAxis>() : [OnDemand], .. Choices ?? []]);

    /// <summary>Index of the first choice axis in <see cref="Options"/>.</summary>
    internal int FirstChoice => OnDemand is null ? 1 : 2;

    /// <summary>The group a seats key belongs to: <c>groups.NAME.…</c>.</summary>
    public static string GroupOf(SweepAxis axis, string option)
    {
        var m = Regex.Match(axis.Key, @"^groups\.([^.]+)\.", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        if (!m.Success)
        {
            throw new PlanningException($"{option} {axis.Key}: the key must be a group's (groups.NAME.…, such as groups.{(option == "--seats" ? "agents.staffing" : "provider.activation.max")})");
        }
        return m.Groups[1].Value;
    }

    /// <summary>The seat counts of an axis: whole numbers from 0.</summary>
    public static int[] Seats(SweepAxis axis, string option) =>
        [.. axis.Values.Select(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= ScenarioLimits.MaxOperatorsOnDuty
            ? n
            : throw new PlanningException($"{option} {axis.Key}: '{SweepAxis.Shorten(v)}' is not a number of seats (a whole number from 0 to {ScenarioLimits.MaxOperatorsOnDuty:N0})"))];
}

/// <summary>A sizing option (committed and on-demand seats) and what it gives over the ensemble. Probabilities are over
/// the ensemble's members (equal weights) and their replications; each carries its Wilson interval over those outcomes
/// (conservative for an ensemble: the members are fixed, only the replications are random).</summary>
/// <param name="PAllDays">Probability that every day meets the SLA (a day's service level: its calls together).</param>
/// <param name="PDays">Probability that day d (1, 2 …) meets it, over the members whose horizon has that day.</param>
/// <param name="PIntervals">Probability that each interval meets it; null when the members' intervals differ.</param>
/// <param name="MeanServiceLevel">Mean overall service level (after the warm-up).</param>
/// <param name="CommittedCost">Committed seats x hours of the horizon x cost per hour (mean over members).</param>
/// <param name="OnDemandAgentHours">On-demand operator-hours on duty (mean over members).</param>
/// <param name="ExpectedPenalty">Penalties per interval and per day missed, expected.</param>
/// <param name="AllDays">The interval of <paramref name="PAllDays"/>.</param>
/// <param name="Days">The interval of each of <paramref name="PDays"/>.</param>
/// <param name="Intervals">The interval of each of <paramref name="PIntervals"/>; null when <paramref name="PIntervals"/> is.</param>
/// <param name="PenaltyHalfWidth">Confidence half-width of <paramref name="ExpectedPenalty"/> (replications within each
/// member); the only Monte Carlo term of the expected total, so its half-width too.</param>
public sealed record SizingOption(
    int Committed,
    int OnDemand,
    IReadOnlyList<string> Choices,
    double PAllDays,
    IReadOnlyList<double> PDays,
    IReadOnlyList<double>? PIntervals,
    double MeanServiceLevel,
    double ExpectedIntervalsBelow,
    double ExpectedDaysBelow,
    double CommittedCost,
    double OnDemandAgentHours,
    double OnDemandCost,
    double ActivationFee,
    double ExpectedPenalty,
    ProportionInterval AllDays,
    IReadOnlyList<ProportionInterval> Days,
    IReadOnlyList<ProportionInterval>? Intervals,
    double PenaltyHalfWidth)
{
    public double ExpectedTotal => CommittedCost + OnDemandCost + ActivationFee + ExpectedPenalty;

    /// <summary>Confidence half-width of <see cref="ExpectedTotal"/>: seats and fees follow from the plan, only the
    /// penalties are estimated.</summary>
    public double ExpectedTotalHalfWidth => PenaltyHalfWidth;

    /// <summary>The lowest probability over the counted intervals (NaN without per-interval probabilities).</summary>
    public double MinPInterval => PIntervals?.Where(p => !double.IsNaN(p)).DefaultIfEmpty(double.NaN).Min() ?? double.NaN;

    /// <summary>The interval of the counted interval with the lowest probability (its lowest lower end on ties).</summary>
    public ProportionInterval MinPIntervalCi => Intervals?.Where(p => !double.IsNaN(p.Estimate)).OrderBy(p => p.Estimate).ThenBy(p => p.Lower)
        .DefaultIfEmpty(new ProportionInterval(double.NaN, double.NaN, double.NaN, 0, AllDays.Level)).First() ?? new ProportionInterval(double.NaN, double.NaN, double.NaN, 0, AllDays.Level);
}

/// <summary>The options in order (committed seats varying slowest) and the one recommended.</summary>
/// <param name="Recommended">Index of the cheapest option (expected total cost) whose probability of meeting the SLA
/// every day reaches the risk level with the request's confidence (the lower end of its interval does; ties: fewer
/// committed, then fewer on-demand seats); null when none does.</param>
/// <param name="Closest">Without a recommendation, the option that comes closest: the highest lower end, then the
/// highest estimate, then the lowest expected cost; null with one.</param>
public sealed record SizingResult(SizingRequest Request, IReadOnlyList<SizingOption> Options, int? Recommended, int Replications, long Seed, int IntervalCount, double IntervalSeconds, double ClockStartSeconds, int? Closest = null)
{
    /// <summary>Whether option <paramref name="o"/> reaches the risk level with the chosen confidence.</summary>
    public bool MeetsRisk(SizingOption o) => Sizing.MeetsRisk(o, Request.Risk);

    /// <summary>Options whose estimate reaches the risk level but whose interval does not: more replications would tell.</summary>
    public int Undecided => Options.Count(o => o.PAllDays + 1e-12 >= Request.Risk && !MeetsRisk(o));
}

/// <summary>Contract sizing over a scenario ensemble: for each option of committed and on-demand seats, every member is
/// simulated with the same seed and replications (common random numbers across options), and each replication counts as
/// one equally likely outcome of its member. An interval meets the SLA when its service level (the member's
/// <c>serviceLevel.threshold</c>) reaches the member's <c>serviceLevel.target</c> (an interval without calls meets it); a
/// day meets it when the calls arriving that day, after the warm-up, together do.</summary>
public static class Sizing
{
    public static int OptionCount(SizingRequest request) => request.Options.Count;

    /// <summary>The settings of option <paramref name="option"/> on member <paramref name="member"/>.</summary>
    public static IReadOnlyList<ScenarioSetting> Settings(SizingRequest request, int option, int member) =>
        [.. request.Members[member].Settings, .. request.Options.Point(option)];

    /// <summary>Loads every scenario of the plan once, so that a bad value stops the sizing before any simulation.</summary>
    public static void Validate(SizingRequest request)
    {
        for (var o = 0; o < OptionCount(request); o++)
        {
            for (var m = 0; m < request.Members.Count; m++)
            {
                var member = request.Members[m];
                var s = ScenarioSettings.Parse(member.YamlText, member.Path, Settings(request, o, m));
                foreach (var axis in new[] { request.Committed, request.OnDemand })
                {
                    if (axis is not null && s.Groups.All(g => g.Name != SizingRequest.GroupOf(axis, "")))
                    {
                        throw new PlanningException($"{member.Path}: no group named {SizingRequest.GroupOf(axis, "")}");
                    }
                }
            }
        }
    }

    public static async Task<SizingResult> RunAsync(SizingRequest request, IReplicationHost host, long seed, int replications, IProgress<PlanProgress>? progress, CancellationToken cancellationToken)
    {
        var members = request.Members.Count;
        var options = OptionCount(request);
        var committedSeats = SizingRequest.Seats(request.Committed, "--seats");
        var onDemandSeats = request.OnDemand is { } od ? SizingRequest.Seats(od, "--on-demand") : [0];
        var committedGroup = SizingRequest.GroupOf(request.Committed, "--seats");
        var onDemandGroup = request.OnDemand is { } a ? SizingRequest.GroupOf(a, "--on-demand") : null;
        var points = new List<PlanPoint>(options * members);
        for (var o = 0; o < options; o++)
        {
            for (var m = 0; m < members; m++)
            {
                var (option, member) = (o, m);
                points.Add(new PlanPoint(() => ScenarioSettings.Parse(request.Members[member].YamlText, request.Members[member].Path, Settings(request, option, member))));
            }
        }
        var aggregates = Enumerable.Range(0, options).Select(_ => new OptionAggregate()).ToArray();
        int? intervals = null;
        double? intervalSeconds = null;
        double clockStart = 0;
        var sameGrid = true;
        await ReplicationPipeline.RunPointsAsync(host, points, seed, replications, done =>
        {
            var o = done.Index / members;
            var s = done.Run.Scenario;
            if (intervals is null)
            {
                (intervals, intervalSeconds, clockStart) = (s.IntervalCount, s.IntervalSeconds, s.ClockStartSeconds);
            }
            else if (intervals != s.IntervalCount || intervalSeconds != s.IntervalSeconds)
            {
                sameGrid = false;
            }
            var committedRate = request.Terms.CommittedCostPerHour ?? GroupCost(s, committedGroup);
            var onDemandRate = onDemandGroup is null ? 0 : request.Terms.OnDemandCostPerHour ?? GroupCost(s, onDemandGroup);
            var onDemandHours = onDemandGroup is null ? 0 : s.Groups.Where(g => g.Name == onDemandGroup).Sum(g => GroupTerms.OnDutyHours(s, g));
            var (committed, seats, _) = Describe(request, o, committedSeats, onDemandSeats);
            aggregates[o].Add(s, done, committed * s.HorizonSeconds / 3600 * committedRate,
                onDemandHours, onDemandHours * onDemandRate, seats > 0 ? request.Terms.ActivationFee : 0, request.Terms, 1.0 / members);
        }, progress, cancellationToken);

        var results = new SizingOption[options];
        for (var o = 0; o < options; o++)
        {
            var (committed, seats, choices) = Describe(request, o, committedSeats, onDemandSeats);
            results[o] = aggregates[o].Finish(committed, seats, choices, sameGrid, request.Confidence);
        }
        int? best = null;
        for (var o = 0; o < options; o++)
        {
            if (!MeetsRisk(results[o], request.Risk))
            {
                continue;
            }
            // Ties: fewer committed, then fewer on-demand seats, then the choices listed first (the earlier option).
            if (best is not { } b || results[o].ExpectedTotal < results[b].ExpectedTotal - 1e-9
                || Math.Abs(results[o].ExpectedTotal - results[b].ExpectedTotal) <= 1e-9
                   && (results[o].Committed, results[o].OnDemand).CompareTo((results[b].Committed, results[b].OnDemand)) < 0)
            {
                best = o;
            }
        }
        int? closest = null;
        if (best is null && options > 0)
        {
            closest = Enumerable.Range(0, options)
                .OrderByDescending(o => double.IsNaN(results[o].AllDays.Lower) ? -1 : results[o].AllDays.Lower)
                .ThenByDescending(o => double.IsNaN(results[o].PAllDays) ? -1 : results[o].PAllDays)
                .ThenBy(o => results[o].ExpectedTotal)
                .First();
        }
        return new SizingResult(request, results, best, replications, seed, intervals ?? 0, intervalSeconds ?? 0, clockStart, closest);
    }

    /// <summary>Whether the lower end of the option's interval on meeting the SLA every day reaches <paramref name="risk"/>.</summary>
    public static bool MeetsRisk(SizingOption option, double risk) => option.AllDays.Lower + 1e-12 >= risk;

    /// <summary>Committed seats, on-demand seats and the other choices' values of option <paramref name="o"/>.</summary>
    private static (int Committed, int OnDemand, string[] Choices) Describe(SizingRequest request, int o, int[] committedSeats, int[] onDemandSeats)
    {
        var indices = request.Options.Indices(o);
        return (committedSeats[indices[0]], request.OnDemand is null ? 0 : onDemandSeats[indices[1]],
            [.. request.Options.Axes.Skip(request.FirstChoice).Select((a, i) => a.Values[indices[request.FirstChoice + i]])]);
    }

    private static double GroupCost(ScenarioDefinition s, string group) =>
        s.Groups.Where(g => g.Name == group).Select(GroupTerms.CostPerHour).DefaultIfEmpty(0).First();

    /// <summary>Weighted outcomes of one option over the members and their replications.</summary>
    private sealed class OptionAggregate
    {
        private double _allDays, _weight, _weightSquares, _serviceLevel, _serviceLevelWeight, _intervalsBelow, _daysBelow;
        private double _committedCost, _onDemandHours, _onDemandCost, _fee, _penalty;
        private readonly List<double> _dayMet = [], _dayWeight = [], _dayWeightSquares = [];
        private double[]? _intervalMet;
        private double[]? _intervalWeight;
        private double[]? _intervalWeightSquares;
        private StratifiedMean _penaltyByMember;

        public void Add(ScenarioDefinition s, PointResult done, double committedCost, double onDemandHours, double onDemandCost, double fee, ContractTerms terms, double memberWeight)
        {
            var target = s.ServiceLevel.Target;
            var first = KpiValues.FirstCountedInterval(s);
            var grid = ArrivalGrid.Of(s);
            var days = grid.DayOf(first * s.IntervalSeconds);
            var lastDay = grid.DayOf((s.IntervalCount - 1) * s.IntervalSeconds);
            _intervalMet ??= new double[s.IntervalCount];
            _intervalWeight ??= new double[s.IntervalCount];
            _intervalWeightSquares ??= new double[s.IntervalCount];
            var w = memberWeight / done.Replications.Count;
            var penalties = new RunningMoments();
            foreach (var kpis in done.Replications)
            {
                var counts = TargetCounts.FromRows(s, kpis);
                var dayOffered = new double[lastDay - days + 1];
                var dayWithin = new double[dayOffered.Length];
                double below = 0;
                for (var k = first; k < s.IntervalCount; k++)
                {
                    var offered = counts.OfferedIn(k);
                    var met = !(offered > 0) || counts.WithinIn(k) / offered >= target - 1e-12;
                    if (!met)
                    {
                        below++;
                    }
                    if (k < _intervalMet.Length)
                    {
                        _intervalMet[k] += met ? w : 0;
                        _intervalWeight[k] += w;
                        _intervalWeightSquares![k] += w * w;
                    }
                    var d = grid.DayOf(k * s.IntervalSeconds) - days;
                    dayOffered[d] += offered;
                    dayWithin[d] += counts.WithinIn(k);
                }
                var allDays = true;
                double daysBelow = 0;
                for (var d = 0; d < dayOffered.Length; d++)
                {
                    var met = !(dayOffered[d] > 0) || dayWithin[d] / dayOffered[d] >= target - 1e-12;
                    allDays &= met;
                    daysBelow += met ? 0 : 1;
                    while (_dayMet.Count <= d)
                    {
                        _dayMet.Add(0);
                        _dayWeight.Add(0);
                        _dayWeightSquares.Add(0);
                    }
                    _dayMet[d] += met ? w : 0;
                    _dayWeight[d] += w;
                    _dayWeightSquares[d] += w * w;
                }
                _allDays += allDays ? w : 0;
                _weight += w;
                _weightSquares += w * w;
                _intervalsBelow += w * below;
                _daysBelow += w * daysBelow;
                var penalty = below * terms.PenaltyPerInterval + daysBelow * terms.PenaltyPerDay;
                _penalty += w * penalty;
                penalties.Add(penalty);
            }
            _penaltyByMember.Add(memberWeight, penalties);
            var sl = done.Run.Overall.Scalars[Model.Recording.KpiCatalog.ServiceLevel].Mean;
            if (!double.IsNaN(sl))
            {
                _serviceLevel += memberWeight * sl;
                _serviceLevelWeight += memberWeight;
            }
            _committedCost += memberWeight * committedCost;
            _onDemandHours += memberWeight * onDemandHours;
            _onDemandCost += memberWeight * onDemandCost;
            _fee += memberWeight * fee;
        }

        public SizingOption Finish(int committed, int onDemand, IReadOnlyList<string> choices, bool sameGrid, double confidence)
        {
            double Norm(double v) => _weight > 0 ? v / _weight : double.NaN;
            // Weighted outcomes count as their effective number (Kish): the number of outcomes when members have equal
            // replications (rounded so that sums of 1/n weights give that whole number).
            ProportionInterval Interval(double met, double weight, double squares)
            {
                var count = weight > 0 ? Math.Round(weight * weight / squares, 6) : 0;
                return ProportionInterval.Wilson(weight > 0 ? met / weight * count : 0, count, confidence);
            }
            return new SizingOption(
                committed,
                onDemand,
                choices,
                Norm(_allDays),
                [.. _dayMet.Select((m, d) => _dayWeight[d] > 0 ? m / _dayWeight[d] : double.NaN)],
                sameGrid && _intervalMet is not null ? [.. _intervalMet.Select((m, k) => _intervalWeight![k] > 0 ? m / _intervalWeight[k] : double.NaN)] : null,
                _serviceLevelWeight > 0 ? _serviceLevel / _serviceLevelWeight : double.NaN,
                Norm(_intervalsBelow),
                Norm(_daysBelow),
                _committedCost,
                _onDemandHours,
                _onDemandCost,
                _fee,
                Norm(_penalty),
                Interval(_allDays, _weight, _weightSquares),
                [.. _dayMet.Select((m, d) => Interval(m, _dayWeight[d], _dayWeightSquares[d]))],
                sameGrid && _intervalMet is not null ? [.. _intervalMet.Select((m, k) => Interval(m, _intervalWeight![k], _intervalWeightSquares![k]))] : null,
                _penaltyByMember.HalfWidth(confidence));
        }
    }
}
