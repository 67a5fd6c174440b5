using CrisisSim.Model.Routing;
using CrisisSim.Model.Scenario;
using static CrisisSim.Scenarios.Bound;

namespace CrisisSim.Scenarios;

/// <summary>The scenario format, described once: every map with its keys, their forms, which are required, the words
/// allowed, the static bounds (from <see cref="ScenarioLimits"/> where the model needs them too) and what the reader says
/// of a value beyond them (<see cref="BoundedFormat.Words"/>, <see cref="ListFormat.TooMany"/>). The reader takes its
/// keys, required keys, allowed words, bound checks and their messages from here, and <see cref="ScenarioSchema"/> writes
/// the JSON Schema from it, so that they cannot disagree. Bounds that depend on other values (one value per interval,
/// the horizon, sd against mean) are the reader's alone. Documented in <c>scenarios/README.md</c>, whose key tables
/// a test checks against the bounds given here.</summary>
public static class ScenarioFormat
{
    /// <summary>Longest name of a scenario, call type, group or number.</summary>
    public const int MaxNameLength = 100;

    /// <summary>A name: 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit.</summary>
    public const string NamePattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$";

    /// <summary>A duration written with a unit (a duration without one is a plain number of seconds).</summary>
    public const string DurationPattern = @"^\s*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?\s*(ms|[smhd])\s*$";

    /// <summary>A time of day, <c>HH:MM</c> or <c>HH:MM:SS</c>.</summary>
    public const string ClockTimePattern = "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$";

    private const string NameRule = "1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit";

    /// <summary>The words of a duration from a lower to an upper bound, both included.</summary>
    private static readonly BoundWords FromTo = new("must be a duration from {min} to {max:s}");

    /// <summary>The words of a duration above 0 and at most an upper bound.</summary>
    private static readonly BoundWords AboveZeroAtMost = new("must be a duration above 0 and at most {max:s}");

    private static readonly TextFormat NameText = new(1, MaxNameLength, NamePattern);
    private static readonly TextFormat Text = new();
    private static readonly ClockTimeFormat Clock = new();
    private static readonly NumberFormat Probability = new(AtLeast(0), AtMost(1)) { Words = new("must be a probability from {min} to {max}") };
    private static readonly ListFormat PerIntervalList = new(new NumberFormat(), 1, ScenarioLimits.MaxIntervals);

    private static ListFormat PerInterval(ValueFormat item) => PerIntervalList with { Item = item };

    private static OneOfFormat OneOrPerInterval(ValueFormat value) =>
        new(null, "one value for every interval, or a list of one value per interval", [value, PerInterval(value)]);

    private static KeyFormat Key(string name, ValueFormat format, string description) => new(name, format, description);

    private static KeyFormat Required(string name, ValueFormat format, string description) => new(name, format, description, Required: true);

    private static KeyFormat Nullable(string name, ValueFormat format, string description) => new(name, format, description, Nullable: true);

    // ---- distributions ----

    /// <summary>The words of a duration beyond the longest of the scenario format (30 days).</summary>
    private const string BeyondThirtyDays = "is {value:s}; the limit is {max:s} (30 days)";

    private static readonly DurationFormat DistributionDuration = new(Above(0), AtMost(ScenarioLimits.MaxDurationSeconds))
    {
        Words = new("must be a duration > {min}", BeyondThirtyDays),
    };

    private static MapFormat Dist(string name, string description, params KeyFormat[] parameters) =>
        new("distribution." + name, description,
            [Required("dist", new ChoiceFormat([name]), "the distribution: exponential, lognormal, gamma, deterministic or empirical"), .. parameters], []);

    /// <summary>A distribution given by <c>dist</c> and its parameters (not a mixture).</summary>
    public static VariantFormat SimpleDistribution { get; } = new("simpleDistribution",
        "a distribution of durations: { dist: NAME, parameters }", "dist",
        [
            Dist("exponential", "exponential durations of the given mean",
                Required("mean", DistributionDuration, "mean duration, above 0 and at most 30 days")),
            Dist("lognormal", "lognormal durations of the given mean and standard deviation (of the duration itself)",
                Required("mean", DistributionDuration, "mean duration, above 0 and at most 30 days"),
                Required("sd", new DurationFormat(AtLeast(0)) { Words = new("must be a duration >= {min}", null) }, "standard deviation, from 0 (a constant) to 100 x mean")),
            Dist("gamma", "gamma durations of the given mean and standard deviation",
                Required("mean", DistributionDuration, "mean duration, above 0 and at most 30 days"),
                Required("sd", new DurationFormat(Above(0)) { Words = new("must be a duration > {min}", null) }, "standard deviation, from 0.001 x mean to 100 x mean")),
            Dist("deterministic", "always the same duration",
                Required("value", DistributionDuration, "the duration, above 0 and at most 30 days")),
            Dist("empirical", "one of the listed durations, each with equal probability",
                Required("values", new ListFormat(new DurationFormat(AtLeast(0), AtMost(ScenarioLimits.MaxDurationSeconds))
                {
                    Words = new("must be a duration >= {min}", BeyondThirtyDays),
                }, 1),
                    "durations from 0 to 30 days, with a mean above 0")),
        ]);

    public static MapFormat MixtureComponent { get; } = new("mixtureComponent", "one component of a mixture: { share, dist }",
        Required("share", new NumberFormat(Above(0), AtMost(1)) { Words = new("must be a share above {min} and at most {max}") },
            "probability of this component, above 0 and at most 1; the shares sum to 1"),
        Required("dist", SimpleDistribution, "the component's distribution (not itself a mixture)"));

    public static MapFormat Mixture { get; } = new("mixture", "a mixture of distributions: { mixture: [{ share, dist }, ...] }",
        Required("mixture", new ListFormat(MixtureComponent, 1, ScenarioLimits.MaxMixtureComponents) { TooMany = "has {value} components; the limit is {max}" },
            "1 to 20 components, each drawn with the probability of its share"));

    /// <summary>A distribution of durations: <c>{ dist, parameters }</c> or <c>{ mixture: [...] }</c>.</summary>
    public static OneOfFormat Distribution { get; } = new("distribution",
        "a distribution of durations such as { dist: exponential, mean: 3m }, or a mixture", [SimpleDistribution, Mixture]);

    private static readonly OneOfFormat DistributionOrNone = new(null, "a distribution, or none", [new NoneFormat(), Distribution]);

    // ---- top level ----

    public static MapFormat ServiceLevel { get; } = new("serviceLevel", "the share of offered calls answered within the threshold",
        Required("threshold", new DurationFormat(AtLeast(0), AtMost(ScenarioLimits.MaxDurationSeconds)) { Words = FromTo },
            "the answer time that counts as good service (e.g. 20s), 0 to 30 days"),
        Key("target", new NumberFormat(Above(0), AtMost(1)) { Words = new("must be a fraction in (0, 1], such as 0.8 for 80 %") },
            "the share aimed at, above 0 and at most 1 (default 0.8)"));

    /// <summary>A routing policy's settings: single values, kept as written.</summary>
    private static readonly KeyFormat RoutingSettings = Nullable("settings",
        new MapOfFormat(new TextFormat(0, ScenarioLimits.MaxRoutingTextLength), 0, ScenarioLimits.MaxRoutingSettings, ScenarioLimits.MaxRoutingTextLength),
        "the policy's settings: single values (text, numbers, durations), checked by the policy (sent with every request to a service)");

    public static MapFormat Routing { get; } = new("routing",
        "a built-in policy with settings { policy, settings }, a plug-in { assembly, type, settings }, or a routing service { service, timeout, fallback, settings }",
        [
            Key("policy", new ChoiceFormat(RoutingPolicies.BuiltInNames), "a built-in routing policy"),
            Key("assembly", new TextFormat(1, ScenarioLimits.MaxRoutingTextLength), "a plug-in's assembly (.dll), relative to the scenario file's folder"),
            Key("type", new TextFormat(1, ScenarioLimits.MaxRoutingTextLength), "the full name of the plug-in's policy type (namespace.Type)"),
            Key("service", new TextFormat(1, ScenarioLimits.MaxRoutingTextLength),
                "the URL of a routing service asked for each decision (docs/routing-service.md): http(s), on this machine unless allowed with --allow-routing-host"),
            Key("timeout", new DurationFormat(AtLeast(RoutingServiceSpec.MinTimeoutSeconds), AtMost(RoutingServiceSpec.MaxTimeoutSeconds)) { Words = FromTo },
                "under live load, how long a decision waits for the service before the fallback decides, 1ms to 10s (default 100ms); in simulation every answer is awaited"),
            Key("fallback", new ChoiceFormat(["fifo", "priority"]), "the built-in policy that decides when the service times out or fails under live load (default fifo)"),
            RoutingSettings,
        ],
        [
            new ExactlyOneOf(["policy", "assembly", "service"]),
            new KeyRequires("assembly", ["type"]),
            new KeyRequires("type", ["assembly"]),
            new KeyRequires("timeout", ["service"]),
            new KeyRequires("fallback", ["service"]),
            new KeyExcludes("policy", ["assembly", "type", "service"]),
            new KeyExcludes("service", ["assembly", "type"]),
        ]);

    public static MapFormat Busyness { get; } = new("busyness",
        "a Poisson-gamma busyness factor for the call types with arrivals.busyness: true",
        Required("alpha", new NumberFormat(AtLeast(ScenarioLimits.MinBusynessAlpha), AtMost(ScenarioLimits.MaxBusynessAlpha))
            {
                Words = new("must be from {min} to {max:0} (the factor's variance is 1/alpha: 10 gives a daily factor of 1 ± 0.32)"),
            },
            "shape of the factor Gamma(alpha, alpha), 1 to 1,000,000: its variance is 1/alpha"),
        Key("per", new ChoiceFormat(["day", "replication"]), "a new factor every day (default) or every replication"));

    private static readonly KeyFormat HoursOpen = Required("open", Clock, "opens at this time of day (HH:MM or HH:MM:SS, quoted)");

    private static readonly KeyFormat HoursClose = Required("close", Clock, "closes at this time of day, differing from open; before open for a number open overnight");

    private static readonly KeyFormat HoursAtClose = Key("atClose", new ChoiceFormat(["serve", "callBack"]),
        "callers waiting at closing: serve (default) keeps them in the queue; callBack tells them to call back");

    public static MapFormat OpeningHours { get; } = new("openingHours", "daily opening hours of an entry number", HoursOpen, HoursClose, HoursAtClose);

    /// <summary>A count of lines of an entry number.</summary>
    private static readonly IntegerFormat Lines = new(AtLeast(1), AtMost(ScenarioLimits.MaxLinesPerNumber)) { Words = new("must be an integer from {min} to {max:N0}") };

    public static MapFormat EntryNumber { get; } = new("entryNumber", "an entry number with a limited count of lines",
        Required("name", NameText, "unique name of the number, referenced by call types' number: " + NameRule),
        Required("lines", Lines, "calls in the system at once (waiting or talking), 1 to 1,000,000; beyond, a busy signal"),
        Key("hours", OpeningHours, "daily opening hours (default: always open)"),
        Key("closed", new BooleanFormat(), "true: closed from the start until a playbook rule opens it (default false)"));

    // ---- call types ----

    private static readonly KeyFormat MessageDuration = Required("duration",
        new DurationFormat(Above(0), AtMost(ScenarioLimits.MaxRecordedMessageSeconds)) { Words = AboveZeroAtMost }, "length of the message, above 0 and at most 1 h");

    private static readonly KeyFormat MessageSatisfies = Required("satisfies",
        Probability with { Words = new("must be a share of callers from {min} to {max}") }, "share of the callers who hang up satisfied at its end, 0 to 1");

    public static MapFormat RecordedMessage { get; } = new("recordedMessage", "a recorded message played before the queue", MessageDuration, MessageSatisfies);

    public static MapFormat Balking { get; } = new("balking", "when a caller who would have to wait leaves at once",
        Key("probability", Probability, "probability of leaving, 0 to 1 (default 0)"),
        Key("queueAbove", new IntegerFormat(AtLeast(0), AtMost(ScenarioLimits.MaxBalkingQueue))
            {
                Words = new("must be an integer from {min} to {max:N0} (waiting callers of the type)"),
            },
            "always leave when this many callers of the type wait already, 0 to 1,000,000"),
        Key("waitAbove", new DurationFormat(AtLeast(0), AtMost(ScenarioLimits.MaxDurationSeconds)) { Words = FromTo },
            "always leave when the announced expected wait is above this, 0 to 30 days"));

    public static MapFormat Redials { get; } = new("redials", "callers who try again after a failed attempt",
        Required("probabilities", new ListFormat(Probability, 1, ScenarioLimits.MaxRedials) { TooMany = "has {value} values; the limit is {max} redials" },
            "probability of redial after attempt 1, 2, ...: 1 to 20 probabilities from 0 to 1"),
        Required("delay", Distribution, "time before the redial"));

    private static readonly KeyFormat CallbackOfferAbove = Required("offerAbove",
        new DurationFormat(AtLeast(0), AtMost(ScenarioLimits.MaxDurationSeconds)) { Words = FromTo }, "offer a callback when the expected wait is above this, 0 to 30 days");

    private static readonly KeyFormat CallbackAccept = Required("accept", Probability, "probability that a caller accepts, 0 to 1");

    private static readonly KeyFormat CallbackDeadline = Required("deadline",
        new DurationFormat(Above(0), AtMost(ScenarioLimits.MaxCallbackDeadlineSeconds)) { Words = AboveZeroAtMost },
        "the callback is due this long after the request, above 0 and at most 7 days");

    public static MapFormat Callbacks { get; } = new("callbacks", "callbacks offered to callers facing a long expected wait",
        CallbackOfferAbove, CallbackAccept, CallbackDeadline);

    public static MapFormat Transfer { get; } = new("transfer", "a share of the answered calls going on to another call type",
        Required("to", Text, "the call type (another, inbound one) the calls go on to"),
        Required("share", new NumberFormat(Above(0), AtMost(1)) { Words = new("must be a share of the answered calls above {min} and at most {max}") },
            "share of the answered calls, above 0 and at most 1; the shares sum to at most 1"));

    public static MapFormat Outbound { get; } = new("outbound", "makes the call type outbound follow-up: calls for operators to make",
        Required("deadline", new DurationFormat(Above(0), AtMost(ScenarioLimits.MaxOutboundDeadlineSeconds)) { Words = AboveZeroAtMost },
            "each call is due this long after its creation, above 0 and at most 30 days"),
        Key("reach", Probability with { Words = new("must be a share of attempts from {min} to {max}") }, "share of attempts the person answers, 0 to 1 (default 1)"),
        Key("noAnswerTime", new DurationFormat(Above(0), AtMost(ScenarioLimits.MaxNoAnswerSeconds)) { Words = AboveZeroAtMost },
            "time an attempt nobody answers holds the operator, above 0 and at most 1 h (default 30s)"));

    public static MapFormat Profile { get; } = new("profile", "an hour-of-day profile repeated every day",
        Required("callsPerHour", new ListFormat(new NumberFormat(AtLeast(0)) { Words = new("must be a number >= {min}", null) }, 24, 24), "24 rates >= 0, for 00h to 23h (clock time)"),
        Key("dayFactors", new ListFormat(new NumberFormat(AtLeast(0), AtMost(ScenarioLimits.MaxDayFactor)) { Words = new("must be a number from {min} to {max}") }, 7, 7),
            "7 factors from 0 to 1,000 for day 1, 2, ... 7 of the run, then again"));

    public static MapFormat Hawkes { get; } = new("hawkes", "self-exciting waves on top of the rate",
        Required("branching", new NumberFormat(AtLeast(0), AtMost(ScenarioLimits.MaxBranchingRatio))
            {
                Words = new("must be from {min} to {max} (the mean number of calls each call triggers)"),
            },
            "mean number of calls each call triggers, 0 to 0.99"),
        Required("decay", new DurationFormat(AtLeast(ScenarioLimits.MinHawkesDecaySeconds), AtMost(ScenarioLimits.MaxHawkesDecaySeconds))
            {
                Words = new("must be a duration from {min:s} to {max:s} (7 days)"),
            },
            "mean lifetime of a call's excitation, 1 s to 7 days"));

    private static readonly DurationFormat SurgeDuration = new(AtLeast(ScenarioLimits.MinSurgeSeconds), AtMost(ScenarioLimits.MaxSurgeSeconds))
    {
        Words = new("must be a duration from {min:s} to {max:s} (30 days)"),
    };

    private static MapFormat Surge(string shape, string description, params KeyFormat[] keys) =>
        new("surge." + shape, description,
            [
                Required("shape", new ChoiceFormat([shape]), "the surge's shape: step, ramp, decay or gamma"),
                Required("at", new DurationFormat(AtLeast(-ScenarioLimits.MaxHorizonSeconds), AtMost(ScenarioLimits.MaxHorizonSeconds))
                {
                    Words = new("must be a run time from -366d to 366d (the onset, from the start of the run)"),
                },
                    "onset of the surge, a run time from -366 to 366 days"),
                Required("multiplier", new NumberFormat(AtLeast(1), AtMost(ScenarioLimits.MaxSurgeMultiplier))
                {
                    Words = new("must be from {min} to {max:0} (the factor on the baseline at the surge's peak)"),
                },
                    "factor on the baseline at the surge's peak, 1 to 1,000"),
                .. keys,
            ], []);

    private static readonly KeyFormat Until = Key("until", new DurationFormat(), "end of the surge, a run time after its onset (default: the end of the run)");

    public static VariantFormat SurgeShapes { get; } = new("surge", "a surge multiplying the baseline", "shape",
        [
            Surge("step", "the multiplier from at until until", Until),
            Surge("ramp", "rises linearly from 1 at at to the multiplier at at + over, then holds",
                Required("over", SurgeDuration, "length of the ramp, 60 s to 30 days"), Until),
            Surge("decay", "jumps to the multiplier at at, then the excess halves every halfLife",
                Required("halfLife", SurgeDuration, "half-life of the excess, 60 s to 30 days")),
            Surge("gamma", "a gamma-shaped bump peaking timeToPeak after at",
                Required("timeToPeak", SurgeDuration, "time from at to the peak, 60 s to 30 days"),
                Required("decay", SurgeDuration, "time constant of the tail, 60 s to 30 days")),
        ]);

    public static MapFormat Arrivals { get; } = new("arrivals",
        "one baseline (callsPerInterval, callsPerHour, profile or csv), then optionally surges, busyness and hawkes",
        [
            Key("callsPerInterval", OneOrPerInterval(new NumberFormat(AtLeast(0), AtMost(ScenarioLimits.MaxExpectedCallsPerReplication))),
                "expected Poisson arrivals in each interval: one number >= 0, or one per interval"),
            Key("callsPerHour", OneOrPerInterval(new NumberFormat(AtLeast(0))),
                "the same as an hourly rate: one number >= 0, or one per interval"),
            Key("profile", Profile, "an hour-of-day profile repeated every day"),
            Key("csv", Text, "a rate table: a CSV file, relative to the scenario file"),
            Key("surges", new ListFormat(SurgeShapes, 1, ScenarioLimits.MaxSurgesPerCallType) { TooMany = "holds {value} surges; the limit is {max} per call type" },
                "1 to 20 surges on a callsPerInterval, callsPerHour or profile baseline"),
            Key("busyness", new BooleanFormat(), "multiply the rate by the scenario's busyness factor (default false)"),
            Key("hawkes", Hawkes, "self-exciting waves on top of the rate"),
        ],
        [
            new ExactlyOneOf(["callsPerInterval", "callsPerHour", "profile", "csv"]),
            new KeyExcludes("csv", ["surges"]),
        ]);

    /// <summary>One patience factor (of one interval).</summary>
    public static NumberFormat PatienceFactor { get; } = new(Above(0), AtMost(ScenarioLimits.MaxPatienceFactor))
    {
        Words = new("must be a factor above {min} and at most {max:0}"),
    };

    /// <summary>A call type's priority: any integer.</summary>
    private static readonly IntegerFormat Priority = new(AtLeast(int.MinValue), AtMost(int.MaxValue));

    public static MapFormat CallType { get; } = new("callType", "a call type: its arrivals, callers and handle time",
        [
            Required("name", NameText, "unique name, referenced by the groups' serves: " + NameRule),
            Key("priority", Priority, "larger is more urgent (default 0)"),
            Key("number", Text, "the entry number (of numbers) its callers dial (default: unlimited lines)"),
            Key("recordedMessage", RecordedMessage, "a recorded message played before the queue"),
            Key("balking", new OneOfFormat(null, "a probability, or a map { probability, queueAbove, waitAbove }", [Probability, Balking]),
                "callers who would have to wait and leave at once: a probability, or { probability, queueAbove, waitAbove }"),
            Key("redials", Redials, "callers who try again after a blocked, abandoned, balked or closed attempt"),
            Key("callbacks", Callbacks, "callbacks offered on a long expected wait"),
            Key("transfers", new ListFormat(Transfer, 1, ScenarioLimits.MaxTransfersPerCallType) { TooMany = "has {value} transfers; the limit is {max}" },
                "1 to 20 transfers after service: { to, share }"),
            Required("arrivals", Arrivals, "the arrival process"),
            Nullable("patience", DistributionOrNone, "how long a caller waits before hanging up; none: never (default)"),
            Key("patienceFactors", OneOrPerInterval(PatienceFactor),
                "multiplies the patience by the factor of the interval of arrival: above 0 and at most 100, one or one per interval"),
            Key("handleTime", Distribution, "handle time; may be left out when every group serving the type has its own"),
            Key("outbound", Outbound, "makes the type outbound follow-up: { deadline, reach, noAnswerTime }"),
        ],
        [
            new KeyExcludes("outbound", ["priority", "number", "recordedMessage", "balking", "redials", "callbacks", "transfers", "patience", "patienceFactors"]),
        ]);

    // ---- groups ----

    /// <summary>A number of operators of one group (staffing of an interval, a shift, activation's most).</summary>
    public static IntegerFormat Operators { get; } = new(AtLeast(0), AtMost(ScenarioLimits.MaxOperatorsPerGroup))
    {
        Words = new("must be a number of operators >= {min}", "is {value:N0} operators; the limit is {max:N0} per group"),
    };

    /// <summary>A proficiency: the handle-time multiplier of a group on a call type.</summary>
    public static NumberFormat Proficiency { get; } = new(AtLeast(ScenarioLimits.MinProficiency), AtMost(ScenarioLimits.MaxProficiency))
    {
        Words = new("is a proficiency (handle-time multiplier) of {value}; it must be from {min} to {max}"),
    };

    public static MapFormat Break { get; } = new("break", "a break of all the shift's operators",
        Required("at", Clock, "start of the break, a time of day within the shift"),
        Required("duration", new DurationFormat(Above(0)), "length of the break, above 0, within the shift"));

    public static MapFormat Shift { get; } = new("shift", "a daily shift",
        Required("start", Clock, "start, a time of day (HH:MM or HH:MM:SS, quoted)"),
        Required("end", Clock, "end, a time of day differing from start; before start for an overnight shift"),
        Required("operators", Operators, "operators on the shift, 0 to 100,000"),
        Nullable("breaks", new ListFormat(Break, 0, ScenarioLimits.MaxBreaksPerShift) { TooMany = "holds {value} breaks; the limit is {max} per shift" },
            "0 to 10 breaks { at, duration }, not overlapping"));

    public static MapFormat Activation { get; } = new("activation", "an outsourced provider activated after the onset",
        Required("delay", new DurationFormat(AtLeast(0), AtMost(ScenarioLimits.MaxHorizonSeconds)) { Words = new("must be a duration from {min} to {max:s} (366 days)") },
            "no operator before onset + delay, 0 to 366 days"),
        Required("perHour", new NumberFormat(Above(0), AtMost(ScenarioLimits.MaxActivationPerHour))
            {
                Words = new("must be a number of operators per hour above {min} and at most {max:N0}, found {value}"),
            },
            "operators activated per hour, above 0 and at most 1,000,000"),
        Required("max", new IntegerFormat(AtLeast(1), AtMost(ScenarioLimits.MaxOperatorsPerGroup)) { Words = new("must be a number of operators >= {min}", null) },
            "most operators activated, 1 to 100,000"));

    public static MapFormat Learning { get; } = new("learning", "a learning curve: { initial, halfLife } or { initial, halfLifeCalls }",
        [
            Required("initial", new NumberFormat(AtLeast(ScenarioLimits.MinProficiency), AtMost(ScenarioLimits.MaxLearningInitial))
                {
                    Words = new("is a handle-time multiplier of {value}; it must be from {min} to {max}"),
                },
                "handle-time multiplier of a new operator, 0.01 to 100"),
            Key("halfLife", new DurationFormat(Above(0), AtMost(ScenarioLimits.MaxDurationSeconds)) { Words = AboveZeroAtMost },
                "time on duty that halves the excess, above 0 and at most 30 days"),
            Key("halfLifeCalls", new NumberFormat(Above(0), AtMost(ScenarioLimits.MaxHalfLifeCalls))
                {
                    Words = new("must be a number of calls above {min} and at most {max:N0}, found {value}"),
                },
                "calls handled that halve the excess, above 0 and at most 1,000,000"),
        ],
        [new ExactlyOneOf(["halfLife", "halfLifeCalls"])]);

    public static MapFormat OnCall { get; } = new("onCall", "an on-call pool: no operator on duty until a playbook rule activates it",
        Required("delay", new DurationFormat(AtLeast(0), AtMost(ScenarioLimits.MaxHorizonSeconds)) { Words = new("must be a duration from {min} to {max:s} (366 days)") },
            "the scheduled operators come on duty all at once this long after the activation, 0 to 366 days"));

    public static MapFormat Group { get; } = new("group", "a group of operators with the same skills and schedule",
        [
            Required("name", NameText, "unique name: " + NameRule),
            Required("serves", new OneOfFormat(null, "a list of call types, or a map of call types to proficiencies",
                [
                    new ListFormat(Text, 1, null, UniqueItems: true),
                    new MapOfFormat(Proficiency, 1),
                ]),
                "the call types answered: [a, b], or { a: 1.0, b: 1.3 } with proficiencies (handle-time multipliers, 0.01 to 100)"),
            Key("staffing", OneOrPerInterval(Operators), "operators scheduled in each interval, 0 to 100,000: one or one per interval (or shifts)"),
            Key("shifts", new ListFormat(Shift, 1, ScenarioLimits.MaxShiftsPerGroup) { TooMany = "holds {value:N0} shifts; the limit is {max} per group" },
                "1 to 100 daily shifts, instead of staffing"),
            Key("shrinkage", new NumberFormat(AtLeast(0), Below(1)) { Words = new("must be a share from {min} to below {max}, found {value}") },
                "share of the scheduled operators unavailable, 0 to below 1 (default 0)"),
            Key("occupancyCap", new NumberFormat(Above(0), AtMost(1)) { Words = new("must be a share above {min} and at most {max}, found {value}") },
                "share of the operators on duty busy at most, above 0 and at most 1 (default 1)"),
            Key("costPerHour", new NumberFormat(AtLeast(0), AtMost(ScenarioLimits.MaxCostPerHour))
                {
                    Words = new("must be a cost from {min} to {max:N0} per operator hour, found {value}"),
                },
                "cost of one operator on duty for one hour, 0 to 1,000,000 (default 0)"),
            Key("handleTime", Distribution, "overrides the call types' handle time for calls this group answers"),
            Nullable("afterCallWork", DistributionOrNone, "work after each call, keeping the operator busy; none (default)"),
            Key("activation", Activation, "an outsourced provider: { delay, perHour, max }"),
            Key("onCall", OnCall, "an on-call pool: { delay }, on duty delay after a playbook rule activates it (not with activation)"),
            Key("learning", Learning, "a learning curve: { initial, halfLife } or { initial, halfLifeCalls }"),
        ],
        [new ExactlyOneOf(["staffing", "shifts"]), new KeyExcludes("activation", ["onCall"])]);

    // ---- playbook ----

    /// <summary>The words of a duration above 0 and at most the longest horizon.</summary>
    private static readonly BoundWords AboveZeroAtMostHorizon = new("must be a duration above 0 and at most {max:s} (366 days)");

    private static readonly NumberFormat Share = new(AtLeast(0), AtMost(1)) { Words = new("must be a share from {min} to {max}, found {value}") };

    private static readonly DurationFormat Wait = new(AtLeast(0), AtMost(ScenarioLimits.MaxDurationSeconds)) { Words = FromTo };

    private static readonly NumberFormat OfferedCalls = new(AtLeast(1)) { Words = new("must be a number of calls >= {min}, found {value}", null) };

    /// <summary>The keys of a condition map that are conditions (<c>type</c>, <c>number</c>, <c>window</c> and <c>for</c>
    /// only qualify them).</summary>
    public static IReadOnlyList<string> PlaybookConditionKeys { get; } =
    [
        "queueAbove", "serviceLevelBelow", "serviceLevelAbove", "abandonmentAbove", "abandonmentBelow", "asaAbove", "asaBelow",
        "offeredAbove", "offeredTotalAbove", "clock", "sinceOnset", "fired", "all", "any",
    ];

    /// <summary>The condition keys measured over the map's <c>window</c>.</summary>
    public static IReadOnlyList<string> PlaybookWindowKeys { get; } =
        ["serviceLevelBelow", "serviceLevelAbove", "abandonmentAbove", "abandonmentBelow", "asaAbove", "asaBelow", "offeredAbove"];

    /// <summary>The keys that <c>type</c> or <c>number</c> scope: the queue and the measured conditions.</summary>
    public static IReadOnlyList<string> PlaybookScopedKeys { get; } = ["queueAbove", .. PlaybookWindowKeys, "offeredTotalAbove"];

    // The condition map holds lists of itself: found when first needed, once every static member is set.
    private static readonly ListFormat Conditions = new(new MapReference("playbookCondition", () => PlaybookCondition!), 1, ScenarioLimits.MaxPlaybookConditionsPerRule)
    {
        TooMany = "holds {value} conditions; the limit is {max} conditions per rule",
    };

    public static MapFormat PlaybookCondition { get; } = new("playbookCondition",
        "a condition map: every condition key given must hold; type or number scopes its queue and measured conditions, window their window, for how long the map must have held",
        [
            Key("type", Text, "scope of this map's queue and measured conditions: the calls of this call type (default: every call)"),
            Key("number", Text, "scope of this map's queue and measured conditions: the calls of the call types dialling this number"),
            Key("queueAbove", new IntegerFormat(AtLeast(1), AtMost(ScenarioLimits.MaxWaitingCalls))
                {
                    Words = new("must be a number of waiting callers from {min} to {max:N0}"),
                },
                "at least this many callers of the scope wait in queue, 1 to 1,000,000"),
            Key("serviceLevelBelow", Share, "the service level in the window is below this share, 0 to 1"),
            Key("serviceLevelAbove", Share, "the service level in the window is at or above this share, 0 to 1"),
            Key("abandonmentAbove", Share, "the abandonment (abandoned / answered or abandoned) in the window is at or above this share, 0 to 1"),
            Key("abandonmentBelow", Share, "the abandonment in the window is below this share, 0 to 1"),
            Key("asaAbove", Wait, "the mean wait of the calls answered in the window is at or above this, 0 to 30 days"),
            Key("asaBelow", Wait, "the mean wait of the calls answered in the window is below this, 0 to 30 days"),
            Key("offeredAbove", OfferedCalls, "at least this many calls (attempts) were offered in the window, 1 or more"),
            Key("offeredTotalAbove", OfferedCalls, "at least this many calls (attempts) were offered since the start of the run, 1 or more"),
            Key("window", new DurationFormat(Above(0)) { Words = new("must be a duration above {min}", null) },
                "the window of this map's measured conditions: at least playbookEvery, at most 10,000 periods (default 30m)"),
            Key("clock", Clock, "holds from the first time the run's clock shows this time of day (HH:MM or HH:MM:SS, quoted)"),
            Key("sinceOnset", new DurationFormat(AtLeast(0), AtMost(ScenarioLimits.MaxHorizonSeconds)) { Words = new("must be a duration from {min} to {max:s} (366 days)") },
                "holds once this long has passed since the onset, 0 to 366 days"),
            Key("fired", Text, "holds once the rule of this name (another rule of the playbook) has fired"),
            Key("all", Conditions, "1 to 50 condition maps that must all hold"),
            Key("any", Conditions, "1 to 50 condition maps of which at least one must hold"),
            Key("for", new DurationFormat(Above(0), AtMost(ScenarioLimits.MaxHorizonSeconds)) { Words = AboveZeroAtMostHorizon },
                "the map's conditions must have held at every evaluation over this long, above 0 and at most 366 days"),
        ],
        [
            new KeyExcludes("type", ["number"]),
            new AtLeastOneOf(PlaybookConditionKeys),
        ]);

    private static readonly KeyFormat ActionNumber = Required("number", Text, "the entry number (of numbers)");

    private static readonly KeyFormat ActionType = Required("type", Text, "the call type (an inbound one)");

    public static MapFormat PlaybookLines { get; } = new("playbookLines", "a number and a count of lines",
        ActionNumber,
        Required("lines", Lines, "a count of lines, 1 to 1,000,000"));

    public static MapFormat PlaybookHours { get; } = new("playbookHours",
        "a number's opening hours: { number, open, close, atClose } as numbers[].hours, or { number, always: true }",
        [
            ActionNumber,
            HoursOpen with { Required = false },
            HoursClose with { Required = false },
            HoursAtClose,
            Key("always", new BooleanFormat(), "true: open at all hours (instead of open and close)"),
        ],
        [
            new ExactlyOneOf(["open", "always"]),
            new KeyRequires("open", ["close"]),
            new KeyExcludes("always", ["close", "atClose"]),
        ]);

    public static MapFormat PlaybookRecordedMessage { get; } = new("playbookRecordedMessage",
        "a call type's recorded message switched on: { type, duration, satisfies } as callTypes[].recordedMessage",
        ActionType, MessageDuration, MessageSatisfies);

    public static MapFormat PlaybookCallbacks { get; } = new("playbookCallbacks",
        "callbacks offered to a call type: { type, offerAbove, accept, deadline } as callTypes[].callbacks",
        ActionType, CallbackOfferAbove, CallbackAccept, CallbackDeadline);

    public static MapFormat PlaybookPriority { get; } = new("playbookPriority", "a call type's new priority",
        ActionType,
        Required("value", Priority, "the priority, an integer: larger is more urgent"));

    public static MapFormat PlaybookRouting { get; } = new("playbookRouting", "a built-in routing policy with settings { policy, settings }",
        Required("policy", new ChoiceFormat(RoutingPolicies.BuiltInNames), "a built-in routing policy"),
        RoutingSettings with { Description = "the policy's settings: single values (text, numbers, durations), checked by the policy" });

    /// <summary>The keys of an action map, of which each action gives exactly one.</summary>
    public static IReadOnlyList<string> PlaybookActionKeys { get; } =
    [
        "activate", "lines", "addLines", "openNumber", "closeNumber", "hours", "recordedMessage", "recordedMessageOff",
        "callbacks", "callbacksOff", "priority", "routing", "startCampaign", "stopCampaign",
    ];

    public static MapFormat PlaybookAction { get; } = new("playbookAction", "one action: a map with exactly one action key",
        [
            Key("activate", Text, "activates the group (one with activation or onCall): its delay counts from the action"),
            Key("lines", PlaybookLines, "the number's lines become lines: { number, lines }, 1 to 1,000,000"),
            Key("addLines", PlaybookLines, "the number's lines grow by lines: { number, lines }, 1 to 1,000,000"),
            Key("openNumber", Text, "the number opens: it follows its opening hours again, if any"),
            Key("closeNumber", Text, "the number closes: arriving callers hear the closed message"),
            Key("hours", PlaybookHours, "the number's opening hours become { number, open, close, atClose }, or { number, always: true }"),
            Key("recordedMessage", PlaybookRecordedMessage, "the call type's recorded message is switched on: { type, duration, satisfies }"),
            Key("recordedMessageOff", Text, "the call type's recorded message is switched off"),
            Key("callbacks", PlaybookCallbacks, "callbacks are offered to the call type: { type, offerAbove, accept, deadline }"),
            Key("callbacksOff", Text, "callbacks are no longer offered to the call type"),
            Key("priority", PlaybookPriority, "the call type's priority becomes value: { type, value }"),
            Key("routing", new OneOfFormat(null, "a built-in policy's name, or a map { policy, settings }",
                    [new ChoiceFormat(RoutingPolicies.BuiltInNames), PlaybookRouting]),
                "the routing policy becomes a built-in policy: a name, or { policy, settings }"),
            Key("startCampaign", Text, "the outbound call type's calls start being made"),
            Key("stopCampaign", Text, "the outbound call type's calls are no longer made (they wait)"),
        ],
        [new ExactlyOneOf(PlaybookActionKeys)]);

    public static MapFormat PlaybookRule { get; } = new("playbookRule",
        "a rule: it fires at an evaluation where its condition holds, and its actions take effect after its reaction time",
        Required("name", NameText, "unique name, named by fired and in the results: " + NameRule),
        Required("when", PlaybookCondition, "the rule's condition: a condition map"),
        Key("after", new DurationFormat(AtLeast(0), AtMost(ScenarioLimits.MaxDurationSeconds)) { Words = new("must be a duration from {min} to {max:s} (30 days)") },
            "reaction time: the actions take effect this long after the firing, 0 to 30 days (default 0)"),
        Required("do", new ListFormat(PlaybookAction, 1, ScenarioLimits.MaxPlaybookActionsPerRule) { TooMany = "holds {value} actions; the limit is {max} per rule" },
            "1 to 50 actions, each a map with one action key, taken in order"),
        Key("once", new BooleanFormat(), "true (default): the rule fires once at most; false only with a cooldown"),
        Key("cooldown", new DurationFormat(Above(0), AtMost(ScenarioLimits.MaxHorizonSeconds)) { Words = AboveZeroAtMostHorizon },
            "the rule may fire again this long after its previous firing: at least playbookEvery, at most 366 days"));

    // ---- the file ----

    /// <summary>The top level of a scenario file.</summary>
    public static MapFormat Scenario { get; } = new("scenario", "a CrisisSim scenario: the calls, callers, operators and routing of a call center over a horizon",
        Required("name", NameText, "identifies the scenario in results (folder names): " + NameRule),
        Nullable("description", Text, "free text"),
        Key("start", Clock, "clock time at the start of the run, HH:MM or HH:MM:SS (quoted), used for labels and clock times (default 00:00)"),
        Required("interval", new DurationFormat(AtLeast(ScenarioLimits.MinIntervalSeconds), AtMost(ScenarioLimits.MaxHorizonSeconds))
            {
                Words = new("must be a duration of at least {min:s}", null),
            },
            "length of one interval, at least 1 s; intervals x interval is at most 366 days"),
        Required("intervals", new IntegerFormat(AtLeast(1), AtMost(ScenarioLimits.MaxIntervals))
            {
                Words = new("must be an integer >= {min}", "is {value:N0}; the limit is {max:N0} intervals"),
            },
            "number of intervals, 1 to 100,000"),
        Key("warmup", new DurationFormat(AtLeast(0), Below(ScenarioLimits.MaxHorizonSeconds)) { Words = new("must be a duration >= {min}", null) },
            "calls arriving before it are left out of the overall KPIs; leaves at least one whole interval (default 0)"),
        Key("drain", new DurationFormat(AtLeast(0), AtMost(ScenarioLimits.MaxDrainSeconds))
            {
                Words = new("must be a duration >= {min}", "is {value:s}; the limit is {max:s} (7 days)"),
            },
            "after the horizon, calls still waiting this long are closed as unserved, 0 to 7 days (default 4h)"),
        Required("serviceLevel", ServiceLevel, "the service level: { threshold, target }"),
        Key("routing", new OneOfFormat(null, "a built-in policy's name, or a map", [new ChoiceFormat(RoutingPolicies.BuiltInNames), Routing]),
            "the routing policy: a name (fifo, priority, skills, overflow, reserve, weighted), { policy, settings } or { assembly, type, settings } (default fifo)"),
        Key("busyness", Busyness, "a Poisson-gamma busyness factor: { alpha, per }"),
        Key("onset", new DurationFormat(AtLeast(0), AtMost(ScenarioLimits.MaxHorizonSeconds)) { Words = new("must be a duration from {min} to {max:s} (366 days)") },
            "the crisis onset, a run time from 0 to 366 days: activation counts from it (default 0)"),
        Nullable("numbers", new ListFormat(EntryNumber, 1, ScenarioLimits.MaxNumbers) { TooMany = "holds {value:N0} numbers; the limit is {max:N0}" },
            "entry numbers with a limited count of lines: { name, lines, hours }"),
        Required("callTypes", new ListFormat(CallType, 1, ScenarioLimits.MaxCallTypes) { TooMany = "holds {value:N0} call types; the limit is {max:N0}" },
            "1 to 10,000 call types"),
        Required("groups", new ListFormat(Group, 1, ScenarioLimits.MaxGroups) { TooMany = "holds {value:N0} groups; the limit is {max:N0}" },
            "1 to 10,000 operator groups"),
        Key("playbookEvery", new DurationFormat(AtLeast(ScenarioLimits.MinPlaybookEverySeconds), AtMost(ScenarioLimits.MaxPlaybookEverySeconds))
            {
                Words = new("must be a duration from {min:s} to {max:s} (24 h)"),
            },
            "the playbook's evaluation period, 1 s to 24 h (default 60s)"),
        Nullable("playbook", new ListFormat(PlaybookRule, 1, ScenarioLimits.MaxPlaybookRules) { TooMany = "holds {value:N0} rules; the limit is {max}" },
            "the crisis playbook: 1 to 100 rules { name, when, after, do, once, cooldown }"));

    /// <summary>Every map of the format (variants included), each once, the top level first.</summary>
    public static IReadOnlyList<MapFormat> Maps { get; } = CollectMaps();

    private static List<MapFormat> CollectMaps()
    {
        var maps = new List<MapFormat>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Visit(ValueFormat format)
        {
            switch (format)
            {
                case MapFormat map:
                    if (seen.Add(map.Name))
                    {
                        maps.Add(map);
                        foreach (var key in map.Keys)
                        {
                            Visit(key.Format);
                        }
                    }
                    break;
                case VariantFormat variants:
                    foreach (var variant in variants.Variants)
                    {
                        Visit(variant);
                    }
                    break;
                case OneOfFormat oneOf:
                    foreach (var form in oneOf.Forms)
                    {
                        Visit(form);
                    }
                    break;
                case ListFormat list:
                    Visit(list.Item);
                    break;
                case MapOfFormat mapOf:
                    Visit(mapOf.Value);
                    break;
                case MapReference reference:
                    Visit(reference.Map());
                    break;
            }
        }
        Visit(Scenario);
        return maps;
    }
}
