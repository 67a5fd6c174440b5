namespace CrisisSim.Model.Scenario;

/// <summary>A validated scenario: everything a run needs besides the seed and the replication count.</summary>
/// <remarks>Times are in seconds from the start of the run. The horizon is <see cref="IntervalCount"/> intervals of
/// <see cref="IntervalSeconds"/>; arrivals stop at the horizon and the calls still in the system are played out.</remarks>
public sealed record ScenarioDefinition
{
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    public required double IntervalSeconds { get; init; }
    /// <summary>Time of day (seconds after midnight) at the start of the run; used only to label intervals.</summary>
    public double ClockStartSeconds { get; init; }
    public required int IntervalCount { get; init; }
    /// <summary>Calls arriving before this time are simulated but left out of the overall KPIs.</summary>
    public double WarmupSeconds { get; init; }
    /// <summary>After the horizon, calls still waiting this long are closed as unserved (no call is left open).</summary>
    public double DrainSeconds { get; init; } = 4 * 3600;
    public required ServiceLevelSpec ServiceLevel { get; init; }
    /// <summary>The routing policy and its settings (see <see cref="RoutingSpec"/>).</summary>
    public RoutingSpec Routing { get; init; } = RoutingSpec.Fifo;
    public required IReadOnlyList<CallTypeSpec> CallTypes { get; init; }
    public required IReadOnlyList<OperatorGroupSpec> Groups { get; init; }
    /// <summary>Entry numbers with a limited count of lines; call types name theirs in <see cref="CallTypeSpec.Number"/>.</summary>
    public IReadOnlyList<EntryNumberSpec> Numbers { get; init; } = [];
    /// <summary>The crisis onset, in seconds from the start of the run: outsourced providers' activation
    /// (<see cref="OperatorGroupSpec.Activation"/>) counts from it.</summary>
    public double OnsetSeconds { get; init; }

    /// <summary>The crisis cell's playbook: rules taking actions when conditions are met; null: none.</summary>
    public PlaybookSpec? Playbook { get; init; }

    public double HorizonSeconds => IntervalSeconds * IntervalCount;

    public int CallTypeIndex(string name)
    {
        for (var i = 0; i < CallTypes.Count; i++)
        {
            if (CallTypes[i].Name == name)
            {
                return i;
            }
        }
        return -1;
    }

    public int GroupIndex(string name)
    {
        for (var i = 0; i < Groups.Count; i++)
        {
            if (Groups[i].Name == name)
            {
                return i;
            }
        }
        return -1;
    }

    public int NumberIndex(string name)
    {
        for (var i = 0; i < Numbers.Count; i++)
        {
            if (Numbers[i].Name == name)
            {
                return i;
            }
        }
        return -1;
    }
}

/// <summary>A phone number callers dial, with its lines (trunks): at most <paramref name="Lines"/> calls of the call
/// types sharing it are in the system at once (waiting or talking); a call finding every line taken gets a busy
/// signal and ends as blocked.</summary>
public sealed record EntryNumberSpec(string Name, int Lines)
{
    /// <summary>When the number answers; null: always.</summary>
    public OpeningHoursSpec? Hours { get; init; }

    /// <summary>The number is closed from the start until a playbook rule opens it (<see cref="OpenNumberAction"/>).</summary>
    public bool Closed { get; init; }
}

/// <summary>What happens to the callers still waiting when a number closes.</summary>
public enum AtCloseKind
{
    /// <summary>They stay in the queue and are served (or abandon) as usual.</summary>
    Serve,
    /// <summary>They are told to call back: each ends as closed and may redial.</summary>
    CallBack,
}

/// <summary>Daily opening hours of a number, in seconds after midnight (clock time, see
/// <see cref="ScenarioDefinition.ClockStartSeconds"/>): open from <paramref name="OpenSeconds"/> (included) to
/// <paramref name="CloseSeconds"/> (excluded), overnight when the close comes before the open. A call arriving while
/// the number is closed hears a closed message and ends as closed.</summary>
public sealed record OpeningHoursSpec(double OpenSeconds, double CloseSeconds, AtCloseKind AtClose = AtCloseKind.Serve);

/// <summary>A recorded message (IVR) in front of the queue: it lasts <paramref name="Seconds"/> and satisfies the share
/// <paramref name="DeflectedShare"/> of callers, who hang up (deflected); the others then join the queue. The
/// caller holds a line during the message.</summary>
public sealed record RecordedMessageSpec(double Seconds, double DeflectedShare);

/// <summary>Redials: after its attempt k (1, 2 …) ends blocked, abandoned or balked, a caller tries again with
/// probability <paramref name="Probabilities"/>[k - 1], after a delay drawn from <paramref name="Delay"/>; so at most
/// 1 + Probabilities.Count attempts. A redial that would come after the horizon is not made.</summary>
public sealed record RedialSpec(IReadOnlyList<double> Probabilities, DistributionSpec Delay);

/// <summary>Callbacks (virtual hold): a caller who would have to wait longer than <paramref name="OfferAboveSeconds"/>
/// (expected wait = (callers of its type waiting + 1) x mean handle time / operators on duty serving the type) is
/// offered a callback and accepts with probability <paramref name="AcceptProbability"/>; the call leaves the queue
/// and an operator calls back when no inbound call of its types waits, or first thing after the deadline
/// (<paramref name="DeadlineSeconds"/> after the request).</summary>
public sealed record CallbackSpec(double OfferAboveSeconds, double AcceptProbability, double DeadlineSeconds);

/// <summary>Outbound follow-up: each arrival of the call type is a call for an operator to make (a person to call
/// back), due <paramref name="DeadlineSeconds"/> after its creation. Operators of a group serving the type make these
/// calls when no inbound call of their types waits, earliest deadline first; once past its deadline a call goes before
/// inbound calls. An attempt reaches the person with probability <paramref name="Reach"/> (one attempt only); an
/// unanswered attempt holds the operator <paramref name="NoAnswerSeconds"/>.</summary>
public sealed record OutboundSpec(double DeadlineSeconds, double Reach = 1, double NoAnswerSeconds = 30);

/// <summary>After service, the share <paramref name="Share"/> of the calls go on to the queue of call type
/// <paramref name="To"/> (through its number's hours and lines), as a new leg of the same caller, with that type's
/// patience and handle time.</summary>
public sealed record TransferSpec(string To, double Share);

/// <summary>Service level: the share of offered calls answered within <see cref="ThresholdSeconds"/>.</summary>
public sealed record ServiceLevelSpec(double ThresholdSeconds, double Target = 0.8);

/// <summary>A kind of call with its own arrival process, patience and (default) handle time.</summary>
/// <param name="Name">Unique name, referenced by groups.</param>
/// <param name="Arrivals">How the calls arrive (<see cref="PoissonArrivalSpec"/>: Poisson, rate constant within each
/// interval, the default).</param>
/// <param name="Patience">Time a caller waits before hanging up; null means callers never abandon.</param>
/// <param name="HandleTime">Handle time when a group gives none of its own; null if every serving group has one.</param>
/// <param name="Priority">Used by the priority policy: larger is served first.</param>
public sealed record CallTypeSpec(
    string Name,
    ArrivalSpec Arrivals,
    DistributionSpec? Patience,
    DistributionSpec? HandleTime,
    int Priority = 0)
{
    /// <summary>The entry number (see <see cref="ScenarioDefinition.Numbers"/>) the callers dial; null: unlimited lines.</summary>
    public string? Number { get; init; }
    /// <summary>A recorded message played before the queue; null: none.</summary>
    public RecordedMessageSpec? RecordedMessage { get; init; }
    /// <summary>Probability that a caller who would have to wait leaves at once (balks); 0: nobody balks.</summary>
    public double BalkingProbability { get; init; }
    /// <summary>A caller who would have to wait behind this many callers of its type (or more) balks for sure: the
    /// type's queue never holds more; null: no limit.</summary>
    public int? BalkingQueueAbove { get; init; }
    /// <summary>A caller who would have to wait and is announced an expected wait above this balks for sure (the
    /// estimate of <see cref="CallbackSpec"/>); null: no limit.</summary>
    public double? BalkingWaitAbove { get; init; }
    /// <summary>Multiplies the patience of the callers arriving in each interval (one factor per interval); null: 1.</summary>
    public IReadOnlyList<double>? PatienceFactors { get; init; }
    /// <summary>Callers who try again after a busy signal, an abandonment or a balk; null: nobody redials.</summary>
    public RedialSpec? Redials { get; init; }
    /// <summary>Callbacks offered to callers facing a long wait; null: none.</summary>
    public CallbackSpec? Callbacks { get; init; }
    /// <summary>Where answered calls go on to after service (shares summing to at most 1); null: nowhere.</summary>
    public IReadOnlyList<TransferSpec>? Transfers { get; init; }
    /// <summary>Outbound follow-up: the arrivals are calls for operators to make, not calls received; null: inbound.</summary>
    public OutboundSpec? Outbound { get; init; }

    /// <summary>Poisson arrivals with the given expected calls in each interval (exactly one value per interval).</summary>
    public CallTypeSpec(string Name, IReadOnlyList<double> CallsPerInterval, DistributionSpec? Patience, DistributionSpec? HandleTime, int Priority = 0)
        : this(Name, new PoissonArrivalSpec(CallsPerInterval), Patience, HandleTime, Priority)
    {
    }
}

/// <summary>Operators with the same skills and schedule.</summary>
/// <param name="Serves">Names of the call types these operators answer.</param>
/// <param name="Staffing">Operators scheduled in each interval; exactly one value per interval. With
/// <see cref="Shifts"/>, the most operators the shifts schedule at any time within each interval (compiled by the
/// reader), used for bounds and capacity; the shifts then give the schedule.</param>
/// <param name="HandleTime">Overrides the call types' handle time for this group; null to use theirs.</param>
public sealed record OperatorGroupSpec(
    string Name,
    IReadOnlyList<string> Serves,
    IReadOnlyList<int> Staffing,
    DistributionSpec? HandleTime)
{
    /// <summary>Handle-time multiplier by call type name (1 = the type's handle time, 1.3 = 30 % slower); a served type
    /// missing here, or null, is 1.</summary>
    public IReadOnlyDictionary<string, double>? Proficiency { get; init; }

    /// <summary>Daily shifts giving the schedule at any time instead of <see cref="Staffing"/>'s per-interval values;
    /// null: the schedule is <see cref="Staffing"/>.</summary>
    public IReadOnlyList<ShiftSpec>? Shifts { get; init; }

    /// <summary>Share of the scheduled operators unavailable (0 to below 1): on duty = scheduled x (1 - shrinkage),
    /// rounded to the nearest integer (halves up).</summary>
    public double Shrinkage { get; init; }

    /// <summary>At most max(1, floor(cap x operators on duty)) operators of the group are busy at once, in (0, 1].</summary>
    public double OccupancyCap { get; init; } = 1;

    /// <summary>Cost of one operator on duty for one hour (currency units, >= 0).</summary>
    public double CostPerHour { get; init; }

    /// <summary>Work after each call, the operator still busy (stream <c>acw/GROUP</c>); null: none.</summary>
    public DistributionSpec? AfterCallWork { get; init; }

    /// <summary>An outsourced provider's activation after the crisis onset; null: available from the start.</summary>
    public ActivationSpec? Activation { get; init; }

    /// <summary>An on-call pool called in by a playbook rule; null: not on call.</summary>
    public OnCallSpec? OnCall { get; init; }

    /// <summary>The learning curve of the group's operators; null: none.</summary>
    public LearningSpec? Learning { get; init; }

    /// <summary>Whether the group's on-duty count needs the compiled schedule (<see cref="Components.OperatorSchedule"/>)
    /// rather than the per-interval staffing alone.</summary>
    public bool HasSchedule => Shifts is not null || Shrinkage > 0 || Activation is not null;
}

/// <summary>A daily shift on the clock of the scenario's <c>start</c>: <paramref name="Operators"/> operators on duty
/// from <paramref name="StartSeconds"/> to <paramref name="EndSeconds"/> (seconds after midnight; overnight when the end
/// comes before the start), every day, off duty during each break.</summary>
public sealed record ShiftSpec(double StartSeconds, double EndSeconds, int Operators, IReadOnlyList<BreakSpec> Breaks)
{
    /// <summary>Length of the shift, in seconds (overnight shifts end the next day).</summary>
    public double LengthSeconds => EndSeconds > StartSeconds ? EndSeconds - StartSeconds : EndSeconds + 86_400 - StartSeconds;
}

/// <summary>A break of all the operators of a shift: from <paramref name="AtSeconds"/> (a clock time, seconds after
/// midnight, within the shift) for <paramref name="DurationSeconds"/>.</summary>
public sealed record BreakSpec(double AtSeconds, double DurationSeconds);

/// <summary>An outsourced provider: no operator before onset + <paramref name="DelaySeconds"/>, then one at that time and
/// one more every 1/<paramref name="PerHour"/> hour, up to <paramref name="Max"/> (and never above the schedule).</summary>
public sealed record ActivationSpec(double DelaySeconds, double PerHour, int Max);

/// <summary>Learning curve: an operator's handle-time multiplier is 1 + (<paramref name="Initial"/> - 1) x 2^(-x / half
/// life), x the time since the operator first came on duty (<paramref name="HalfLifeSeconds"/>) or the calls it handled
/// before (<paramref name="HalfLifeCalls"/>); exactly one of the two is set.</summary>
public sealed record LearningSpec(double Initial, double? HalfLifeSeconds, double? HalfLifeCalls);
