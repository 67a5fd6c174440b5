using CrisisSim.Model.Arrivals;

namespace CrisisSim.Model.Scenario;

/// <summary>The time grid an arrival process runs on: the scenario's intervals and the clock time at the start.</summary>
/// <param name="IntervalSeconds">Length of one interval.</param>
/// <param name="IntervalCount">Number of intervals; arrivals stop at the horizon.</param>
/// <param name="ClockStartSeconds">Time of day at the start of the run: places hour-of-day profiles and days.</param>
public readonly record struct ArrivalGrid(double IntervalSeconds, int IntervalCount, double ClockStartSeconds = 0)
{
    public const double Day = 86400;

    public double HorizonSeconds => IntervalSeconds * IntervalCount;

    public static ArrivalGrid Of(ScenarioDefinition s) => new(s.IntervalSeconds, s.IntervalCount, s.ClockStartSeconds);

    /// <summary>Day of the run (1 for the first) of run time <paramref name="t"/>: days change at midnight.</summary>
    public int DayOf(double t) => (int)Math.Floor((ClockStartSeconds + t) / Day) + 1;

    /// <summary>Run time at which day <paramref name="day"/> starts (0 for day 1).</summary>
    public double DayStart(int day) => Math.Max(0, (day - 1) * Day - ClockStartSeconds);

    /// <summary>Number of days the horizon touches.</summary>
    public int DayCount => HorizonSeconds <= 0 ? 0 : DayOf(Math.BitDecrement(HorizonSeconds));
}

/// <summary>How the calls of one call type arrive. Immutable parameters only: <see cref="CreateProcess"/> builds the
/// generator of one replication, which every host (inline engine, grains) runs unchanged.</summary>
/// <remarks>Adding a process: one spec record here, one generator in <c>Model/Arrivals</c>, its keys in the scenario
/// reader, its surrogate in <c>Grains.Abstractions</c> and its documentation (see scenarios/README.md).</remarks>
public abstract record ArrivalSpec
{
    /// <summary>The generator of one replication. It draws from the stream the caller source gives it; streams it
    /// needs besides (such as shared busyness factors) come from <paramref name="context"/>.</summary>
    public abstract ArrivalProcess CreateProcess(ArrivalContext context);

    /// <summary>Expected arrivals in run time [<paramref name="from"/>, <paramref name="to"/>), within the horizon.</summary>
    public abstract double ExpectedCalls(ArrivalGrid grid, double from, double to);

    public double ExpectedCalls(ArrivalGrid grid) => ExpectedCalls(grid, 0, grid.HorizonSeconds);

    /// <summary>Largest expected arrival rate over the horizon, in calls per second.</summary>
    public abstract double PeakRate(ArrivalGrid grid);

    /// <summary>A few words for listings, such as <c>poisson per interval</c>.</summary>
    public abstract string Describe();
}

/// <summary>An arrival process whose calls form a Poisson process of a rate that depends on time only (not on past
/// calls): it can be scaled by busyness or carry self-exciting waves.</summary>
public abstract record IntensitySpec : ArrivalSpec
{
    public abstract Intensity CreateIntensity(ArrivalContext context);

    public override ArrivalProcess CreateProcess(ArrivalContext context) => new ThinningProcess(CreateIntensity(context));
}

/// <summary>Poisson arrivals whose rate is constant within each interval (the default process).</summary>
/// <param name="CallsPerInterval">Expected arrivals in each interval; one value per interval.</param>
public sealed record PoissonArrivalSpec(IReadOnlyList<double> CallsPerInterval) : IntensitySpec
{
    public override ArrivalProcess CreateProcess(ArrivalContext context) =>
        new PiecewisePoissonProcess(CallsPerInterval, context.Grid.IntervalSeconds, context.Grid.IntervalCount);

    public override Intensity CreateIntensity(ArrivalContext context) => new StepIntensity(StepRate.PerInterval(CallsPerInterval, context.Grid));

    public override double ExpectedCalls(ArrivalGrid grid, double from, double to) => StepRate.PerIntervalIntegral(CallsPerInterval, grid, from, to);

    public override double PeakRate(ArrivalGrid grid) => StepRate.PerInterval(CallsPerInterval, grid).Max();

    public override string Describe() => "poisson per interval";
}

/// <summary>Poisson arrivals at rates read from a table (a CSV file): rate <c>CallsPerHour[i]</c> from
/// <c>StartSeconds[i]</c> to the next start, the last one up to the horizon; none before the first start.</summary>
/// <param name="Source">Where the table came from (the CSV file), for listings.</param>
public sealed record RateTableArrivalSpec(string Source, IReadOnlyList<double> StartSeconds, IReadOnlyList<double> CallsPerHour) : IntensitySpec
{
    public override Intensity CreateIntensity(ArrivalContext context) => new StepIntensity(Steps(context.Grid));

    public override double ExpectedCalls(ArrivalGrid grid, double from, double to) => Steps(grid).Integral(from, to);

    public override double PeakRate(ArrivalGrid grid) => Steps(grid).Max();

    public override string Describe() => "rate table " + Source;

    private StepRate Steps(ArrivalGrid grid) => StepRate.FromTable(StartSeconds, CallsPerHour, grid.HorizonSeconds);
}

/// <summary>A baseline rate with surges on top: rate(t) = baseline(t) x (1 + sum over surges of (multiplier - 1) x
/// shape(t)), each shape between 0 and 1. The rate is continuous in time; arrivals are generated exactly by thinning.</summary>
public sealed record SurgeArrivalSpec(BaselineSpec Baseline, IReadOnlyList<SurgeSpec> Surges) : IntensitySpec
{
    public override Intensity CreateIntensity(ArrivalContext context) => new SurgeIntensity(Baseline.Steps(context.Grid), Surges);

    /// <summary>Exact: the baseline is constant on its steps and every shape has a closed-form integral.</summary>
    public override double ExpectedCalls(ArrivalGrid grid, double from, double to) =>
        new SurgeIntensity(Baseline.Steps(grid), Surges).Integral(from, to);

    public override double PeakRate(ArrivalGrid grid) => new SurgeIntensity(Baseline.Steps(grid), Surges).PeakRate();

    public override string Describe() => Baseline.Describe() + (Surges.Count == 0 ? "" : " + " + string.Join(" + ", Surges.Select(s => s.Describe())));
}

/// <summary>Poisson-gamma busyness: the inner rate times a factor B ~ Gamma(Alpha, Alpha) (mean 1, variance 1/Alpha)
/// drawn once per day (or per replication) from the stream <c>busyness/day&lt;d&gt;</c> (<c>busyness/replication</c>),
/// so every call type that opts in sees the same factor on the same day.</summary>
public sealed record BusyArrivalSpec(IntensitySpec Inner, double Alpha, BusynessPeriod Period) : IntensitySpec
{
    public override Intensity CreateIntensity(ArrivalContext context) => new BusyIntensity(Inner.CreateIntensity(context), Alpha, Period, context);

    /// <summary>The factor has mean 1.</summary>
    public override double ExpectedCalls(ArrivalGrid grid, double from, double to) => Inner.ExpectedCalls(grid, from, to);

    public override double PeakRate(ArrivalGrid grid) => Inner.PeakRate(grid);

    public override string Describe() => Inner.Describe() + $" x busyness (alpha {Alpha.ToString(System.Globalization.CultureInfo.InvariantCulture)} per {Period.ToString().ToLowerInvariant()})";
}

public enum BusynessPeriod
{
    /// <summary>One factor per calendar day of the run (days change at midnight).</summary>
    Day,
    /// <summary>One factor for the whole replication.</summary>
    Replication,
}

/// <summary>Self-exciting waves (a Hawkes process) on a baseline: each call raises the rate by
/// <c>BranchingRatio / DecaySeconds</c>, decaying exponentially with mean lifetime <see cref="DecaySeconds"/>; each call
/// triggers <see cref="BranchingRatio"/> others on average (must be below 1).</summary>
public sealed record HawkesArrivalSpec(IntensitySpec Baseline, double BranchingRatio, double DecaySeconds) : ArrivalSpec
{
    public override ArrivalProcess CreateProcess(ArrivalContext context) =>
        new HawkesProcess(Baseline.CreateIntensity(context), BranchingRatio, DecaySeconds);

    /// <summary>The long-run value: baseline / (1 - n). It slightly overstates the first hours, which start without
    /// excitation.</summary>
    public override double ExpectedCalls(ArrivalGrid grid, double from, double to) => Baseline.ExpectedCalls(grid, from, to) / (1 - BranchingRatio);

    /// <summary>Peak of the expected rate, long-run: baseline peak / (1 - n).</summary>
    public override double PeakRate(ArrivalGrid grid) => Baseline.PeakRate(grid) / (1 - BranchingRatio);

    public override string Describe() => Baseline.Describe()
        + System.FormattableString.Invariant($" + hawkes waves (branching {BranchingRatio}, decay {DecaySeconds} s)");
}

/// <summary>Arrivals at recorded times (a call log's day replayed): no draw, the same times in every replication;
/// optionally with what the log observed of each call, so that the i-th caller of the type talks and waits as the i-th
/// recorded call did (see <see cref="Components.RecordedCalls"/> for how every host uses them).</summary>
/// <param name="TimesSeconds">Arrival times from the start of the run, in increasing order; those at or past the
/// horizon are never reached.</param>
/// <param name="Source">Where the times came from (the call log and its day), for listings.</param>
/// <remarks>The recorded values are lists aligned with <see cref="TimesSeconds"/> (null: none recorded, every value
/// drawn as for any other arrival process); NaN in them means not observed for that call. Floats: a log's durations are
/// whole seconds, exact in a float, and a call then costs 8 + 3 x 4 bytes.</remarks>
public sealed record RecordedArrivalSpec(IReadOnlyList<double> TimesSeconds, string Source) : ArrivalSpec
{
    /// <summary>Each call's recorded talk time in seconds (an answered call's); NaN: not observed, drawn from the
    /// scenario's handle time. The operator's handle-time multiplier (proficiency, learning curve) applies to it as to a
    /// drawn one.</summary>
    public IReadOnlyList<float>? HandleSeconds { get; init; }

    /// <summary>Each call's patience when the log observed it exactly, in seconds from joining the queue: an abandoned
    /// call's time in queue. NaN: not observed (see <see cref="PatienceAtLeastSeconds"/>).</summary>
    public IReadOnlyList<float>? PatienceSeconds { get; init; }

    /// <summary>A lower bound of each call's patience, in seconds from joining the queue: a served call's time in queue
    /// (its patience was censored by the answer). Its patience is drawn from the type's patience conditioned on exceeding
    /// it (see <see cref="Components.RecordedCalls.PatienceTries"/>). NaN: nothing known, drawn as usual.</summary>
    public IReadOnlyList<float>? PatienceAtLeastSeconds { get; init; }

    /// <summary>Whether any value besides the times was recorded.</summary>
    public bool HasRecordedCalls => HandleSeconds is not null || PatienceSeconds is not null || PatienceAtLeastSeconds is not null;

    public override ArrivalProcess CreateProcess(ArrivalContext context) => new RecordedProcess(TimesSeconds, context.Grid.HorizonSeconds);

    public override double ExpectedCalls(ArrivalGrid grid, double from, double to) =>
        TimesSeconds.Count(t => t >= from && t < to && t < grid.HorizonSeconds);

    public override double PeakRate(ArrivalGrid grid)
    {
        if (grid.IntervalCount <= 0)
        {
            return 0;
        }
        var counts = new int[grid.IntervalCount];
        foreach (var t in TimesSeconds)
        {
            if (t >= 0 && t < grid.HorizonSeconds)
            {
                counts[Math.Min(grid.IntervalCount - 1, (int)(t / grid.IntervalSeconds))]++;
            }
        }
        return counts.Max() / grid.IntervalSeconds;
    }

    public override string Describe() =>
        $"recorded ({TimesSeconds.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)} calls of {Source}{(HasRecordedCalls ? ", with their handle times and patience" : "")})";
}
