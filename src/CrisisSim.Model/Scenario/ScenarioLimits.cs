namespace CrisisSim.Model.Scenario;

/// <summary>Upper bounds on what one scenario may ask for, so that a run is bounded in work and memory whatever the
/// file says. The scenario reader refuses a file beyond any of them; hosts may rely on them.</summary>
/// <remarks>Documented, with the rules that use them, in <c>scenarios/README.md</c> (section Limits).</remarks>
public static class ScenarioLimits
{
    /// <summary>Largest scenario file, in bytes (16 MiB).</summary>
    public const int MaxFileBytes = 16 * 1024 * 1024;

    /// <summary>Largest number of intervals (<c>intervals</c>).</summary>
    public const int MaxIntervals = 100_000;

    /// <summary>Longest horizon, <c>interval</c> x <c>intervals</c>, in seconds (366 days).</summary>
    public const double MaxHorizonSeconds = 366 * 86400.0;

    /// <summary>Shortest <c>interval</c>, in seconds.</summary>
    public const double MinIntervalSeconds = 1;

    /// <summary>Longest <c>drain</c> after the horizon, in seconds (7 days).</summary>
    public const double MaxDrainSeconds = 7 * 86400.0;

    /// <summary>Largest mean, deterministic value or empirical value of a handle time or patience distribution, in
    /// seconds (30 days).</summary>
    public const double MaxDurationSeconds = 30 * 86400.0;

    /// <summary>Largest coefficient of variation (sd / mean) of a lognormal or gamma distribution.</summary>
    public const double MaxCoefficientOfVariation = 100;

    /// <summary>Smallest coefficient of variation (sd / mean) of a gamma distribution: below it the shape is so large
    /// that sampling loses precision; use <c>deterministic</c> instead.</summary>
    public const double MinGammaCoefficientOfVariation = 1e-3;

    /// <summary>Largest number of call types.</summary>
    public const int MaxCallTypes = 10_000;

    /// <summary>Largest number of operator groups.</summary>
    public const int MaxGroups = 10_000;

    /// <summary>Largest number of per-interval values held for the call types (intervals x call types), and separately
    /// for the groups (intervals x groups).</summary>
    public const int MaxCells = 2_000_000;

    /// <summary>Largest number of entry numbers (<c>numbers</c>).</summary>
    public const int MaxNumbers = 10_000;

    /// <summary>Opening hours (<c>open</c>, <c>close</c>) are times of day, below this many seconds after midnight.</summary>
    public const double SecondsPerDay = 86_400;

    /// <summary>Most components of a mixture distribution.</summary>
    public const int MaxMixtureComponents = 20;

    /// <summary>Largest patience factor (of one interval).</summary>
    public const double MaxPatienceFactor = 100;

    /// <summary>Largest <c>balking.queueAbove</c>.</summary>
    public const int MaxBalkingQueue = 1_000_000;

    /// <summary>Longest callback deadline.</summary>
    public const double MaxCallbackDeadlineSeconds = 7 * 86_400;

    /// <summary>Longest deadline of an outbound call (30 days).</summary>
    public const double MaxOutboundDeadlineSeconds = 30 * 86_400.0;

    /// <summary>Longest time an operator spends on an outbound attempt nobody answers.</summary>
    public const double MaxNoAnswerSeconds = 3600;

    /// <summary>Most transfer targets of one call type.</summary>
    public const int MaxTransfersPerCallType = 20;

    /// <summary>Largest count of lines of one entry number.</summary>
    public const int MaxLinesPerNumber = 1_000_000;

    /// <summary>Longest recorded message.</summary>
    public const double MaxRecordedMessageSeconds = 3600;

    /// <summary>Most redials of one caller (length of <c>redials.probabilities</c>).</summary>
    public const int MaxRedials = 20;

    /// <summary>Largest staffing of one group in one interval.</summary>
    public const int MaxOperatorsPerGroup = 100_000;

    /// <summary>Most shifts of one group.</summary>
    public const int MaxShiftsPerGroup = 100;

    /// <summary>Most breaks of one shift.</summary>
    public const int MaxBreaksPerShift = 10;

    /// <summary>Most changes of the on-duty count over a run, summed over the groups with a schedule (shifts, shrinkage
    /// or activation): each day of each shift starts, ends and pauses, each activation step, each interval of a
    /// per-interval staffing.</summary>
    public const int MaxScheduleChanges = 2_000_000;

    /// <summary>Smallest and largest proficiency (handle-time multiplier of a group on a call type).</summary>
    public const double MinProficiency = 0.01;

    /// <inheritdoc cref="MinProficiency"/>
    public const double MaxProficiency = 100;

    /// <summary>Largest <c>costPerHour</c> of a group.</summary>
    public const double MaxCostPerHour = 1e6;

    /// <summary>Largest <c>activation.perHour</c> (operators activated per hour).</summary>
    public const double MaxActivationPerHour = 1e6;

    /// <summary>Largest <c>learning.initial</c> (handle-time multiplier of a new operator); the smallest is
    /// <see cref="MinProficiency"/>.</summary>
    public const double MaxLearningInitial = 100;

    /// <summary>Largest <c>learning.halfLifeCalls</c>.</summary>
    public const double MaxHalfLifeCalls = 1e6;

    /// <summary>Largest number of operators on duty in one interval, summed over the groups.</summary>
    public const int MaxOperatorsOnDuty = 1_000_000;

    /// <summary>Most rules of a playbook.</summary>
    public const int MaxPlaybookRules = 100;

    /// <summary>Most conditions of one rule (counting those nested in <c>all</c> and <c>any</c>), and most actions.</summary>
    public const int MaxPlaybookConditionsPerRule = 50;

    /// <inheritdoc cref="MaxPlaybookConditionsPerRule"/>
    public const int MaxPlaybookActionsPerRule = 50;

    /// <summary>Deepest nesting of <c>all</c> and <c>any</c> in a rule's condition.</summary>
    public const int MaxPlaybookConditionDepth = 8;

    /// <summary>Most firings of one rule in one replication: a rule with a cooldown that could fire more often over the
    /// horizon is refused.</summary>
    public const int MaxPlaybookFiringsPerRule = 1_000;

    /// <summary>Shortest and longest evaluation period of a playbook (<c>playbookEvery</c>).</summary>
    public const double MinPlaybookEverySeconds = 1;

    /// <inheritdoc cref="MinPlaybookEverySeconds"/>
    public const double MaxPlaybookEverySeconds = 86_400;

    /// <summary>Most evaluation periods a sliding window spans (window / <c>playbookEvery</c>, rounded up).</summary>
    public const int MaxPlaybookWindowPeriods = 10_000;

    /// <summary>Most evaluation periods the sliding windows of a playbook span in all, summed over its windowed
    /// conditions: the counts a replication keeps for them take 40 bytes a period (40 MB at the limit).</summary>
    public const int MaxPlaybookWindowPeriodsTotal = 1_000_000;

    /// <summary>Most condition evaluations of a playbook over a run: its conditions (counting those within all and any)
    /// times its evaluations; each takes a few nanoseconds, so a replication spends at most about a second on them.</summary>
    public const long MaxPlaybookConditionEvaluations = 200_000_000;

    /// <summary>Most evaluations of a playbook over a run (horizon / <c>playbookEvery</c>).</summary>
    public const int MaxPlaybookEvaluations = 2_000_000;

    /// <summary>Largest number of expected calls in one replication, summed over the call types, whatever their arrival
    /// process (<see cref="ArrivalSpec.ExpectedCalls(ArrivalGrid)"/>).</summary>
    public const int MaxExpectedCallsPerReplication = 50_000_000;

    /// <summary>Most calls waiting at once in one replication: callers in queue, callbacks and outbound calls still to
    /// make, and callers who will redial. A replication that passes it stops as unstable
    /// (<c>UnstableReplicationException</c>): without patience, calls beyond what the operators serve wait for ever, and
    /// each holds memory (about 32 bytes in queue, 80 bytes more with a patience or redial timer).</summary>
    public const int MaxWaitingCalls = 1_000_000;

    /// <summary>Largest number of surges on one call type's baseline.</summary>
    public const int MaxSurgesPerCallType = 20;

    /// <summary>Largest multiplier of a surge (its factor on the baseline at its peak).</summary>
    public const double MaxSurgeMultiplier = 1000;

    /// <summary>Shortest ramp, half-life, time to peak or decay of a surge, in seconds.</summary>
    public const double MinSurgeSeconds = 60;

    /// <summary>Longest ramp, half-life, time to peak or decay of a surge, in seconds (30 days).</summary>
    public const double MaxSurgeSeconds = 30 * 86400.0;

    /// <summary>Largest day-of-week factor of a daily profile.</summary>
    public const double MaxDayFactor = 1000;

    /// <summary>Smallest shape alpha of the busyness factor Gamma(alpha, alpha): its standard deviation is at most 1.</summary>
    public const double MinBusynessAlpha = 1;

    /// <summary>Largest shape alpha of the busyness factor (beyond it the factor is 1 for all purposes).</summary>
    public const double MaxBusynessAlpha = 1e6;

    /// <summary>Largest branching ratio of self-exciting waves: 1 or more is unstable, and close to 1 the expected calls
    /// grow as 1 / (1 - n).</summary>
    public const double MaxBranchingRatio = 0.99;

    /// <summary>Shortest decay (mean lifetime of a call's excitation) of self-exciting waves, in seconds.</summary>
    public const double MinHawkesDecaySeconds = 1;

    /// <summary>Longest decay of self-exciting waves, in seconds (7 days).</summary>
    public const double MaxHawkesDecaySeconds = 7 * 86400.0;

    /// <summary>Most settings of a routing policy (<c>routing.settings</c>).</summary>
    public const int MaxRoutingSettings = 100;

    /// <summary>Longest key or value of a routing setting, a plug-in's type name or assembly path, in characters.</summary>
    public const int MaxRoutingTextLength = 1_000;

    /// <summary>Largest number of rows of a rate table (CSV file): the same as <see cref="MaxIntervals"/>.</summary>
    public const int MaxRateTableRows = MaxIntervals;
}
