namespace CrisisSim.Model.Components;

public enum MessageKind : byte
{
    /// <summary>Timer of a caller source: the next call of its type arrives now.</summary>
    NextArrival,
    /// <summary>Caller source → router: a call is offered. <see cref="Message.Patience"/> is the caller's patience.</summary>
    CallOffered,
    /// <summary>Timer of the router: a waiting caller's patience runs out. <see cref="Message.Slot"/> is the waiting slot.</summary>
    PatienceExpired,
    /// <summary>Router → operator group (a direct call, see <see cref="OperatorGroup.Take"/>): an operator answers the
    /// call now. <see cref="Message.HandleTimeMultiplier"/> is the operator's handle-time multiplier (proficiency x learning curve; 1: none).</summary>
    StartService,
    /// <summary>Timer set by an operator group for the router: the talk ends (the line is released).
    /// <see cref="Message.AfterCallWork"/> is the after-call work that follows (0: none).</summary>
    ServiceDone,
    /// <summary>Timer of the router at each interval boundary: staffing changes. <see cref="Message.Interval"/> is the interval.</summary>
    StaffingChange,
    /// <summary>Timer of the router after the drain time: calls still waiting are closed as unserved.</summary>
    Close,
    /// <summary>Timer of the router: a caller's recorded message ends. <see cref="Message.Patience"/> is the caller's patience.</summary>
    RecordedMessageEnded,
    /// <summary>Timer of the router: a caller tries again. <see cref="Message.CallId"/> is the new attempt's id
    /// (see <see cref="CallIds"/>).</summary>
    Redial,
    /// <summary>Timer of the router at a number's daily closing time (only for <c>atClose: callBack</c>).
    /// <see cref="Message.Number"/> is the number.</summary>
    NumberClosing,
    /// <summary>Router → operator group (a direct call): an operator makes a callback now (<see cref="Message.CallId"/> is the call
    /// whose caller accepted it). <see cref="Message.HandleTimeMultiplier"/> is the operator's handle-time multiplier.</summary>
    StartCallback,
    /// <summary>Timer set by an operator group for the router: the operator has finished a callback.
    /// <see cref="Message.AfterCallWork"/> is the after-call work that follows (0: none).</summary>
    CallbackDone,
    /// <summary>Router → operator group (a direct call): an operator makes an outbound call now and reaches the person
    /// (<see cref="Message.ArrivalTime"/> is when the call to make was created). <see cref="Message.HandleTimeMultiplier"/> is the
    /// operator's handle-time multiplier.</summary>
    StartOutbound,
    /// <summary>Timer set by an operator group (or by the router, for an attempt nobody answers) for the router: the
    /// operator has finished an outbound call. <see cref="Message.AfterCallWork"/> is the after-call work that follows (0: none).</summary>
    OutboundDone,
    /// <summary>Timer of the router that its routing policy asked for (<see cref="Routing.IRoutingView.WakeAt"/>): the
    /// waiting calls are offered again to the idle operators.</summary>
    RoutingWakeUp,
    /// <summary>Timer of the router when a group's on-duty count changes within an interval (shifts, breaks, shrinkage,
    /// activation). <see cref="Message.ScheduleIndex"/> is the index of the change in the router's schedule.</summary>
    ScheduleChange,
    /// <summary>Timer of the router: an operator's after-call work ends; the operator is free.</summary>
    AfterCallWorkDone,
    /// <summary>Timer of the router every playbook evaluation period: the playbook's rules are evaluated.</summary>
    PlaybookCheck,
    /// <summary>Timer of the router: a playbook rule's actions take effect (its <c>after</c> has passed).
    /// <see cref="Message.Rule"/> is the rule.</summary>
    PlaybookEffect,
    /// <summary>Timer of the router: one more operator of a group a playbook rule activated may come on duty.
    /// <see cref="Message.Group"/> is the group, <see cref="Message.Step"/> the operators activated from now on.</summary>
    ActivationStep,
}

public static class MessageKinds
{
    /// <summary>Whether a message of this kind belongs to a call (or brings one), rather than to the contact center's
    /// housekeeping (interval and schedule changes, closings, arrivals' own timers, the playbook's evaluations and
    /// effects): a host running live is busy while such a message is pending.</summary>
    public static bool BelongsToCall(this MessageKind kind) =>
        kind is not (MessageKind.StaffingChange or MessageKind.Close or MessageKind.NumberClosing or MessageKind.ScheduleChange
            or MessageKind.NextArrival or MessageKind.PlaybookCheck or MessageKind.PlaybookEffect or MessageKind.ActivationStep);
}

/// <summary>A call id names one attempt of one leg: the caller's first attempt id in the low 48 bits, the attempt
/// number − 1 in the next 8 bits, the leg number − 1 above (a leg is the call again after a transfer); so every attempt
/// and leg of one caller shares <see cref="Caller"/>.</summary>
public static class CallIds
{
    private const int AttemptShift = 48;
    private const int LegShift = 56;
    private const long CallerMask = (1L << AttemptShift) - 1;

    /// <summary>Most legs of one caller (one first call and up to 126 transfers).</summary>
    public const int MaxLegs = 127;

    public static long Caller(long callId) => callId & CallerMask;

    /// <summary>The first call of the <paramref name="index"/>-th caller (from 0) of a call type: the callers of every
    /// type share the ids, interleaved by type.</summary>
    public static long First(long index, int callType, int callTypeCount) => index * callTypeCount + callType;

    /// <summary>Which caller of its call type this call belongs to (from 0, in the order its caller source issued them):
    /// the inverse of <see cref="First"/>, the same for every attempt and leg of the caller.</summary>
    public static long Index(long callId, int callTypeCount) => Caller(callId) / callTypeCount;

    /// <summary>1 for the first attempt (of its leg).</summary>
    public static int Attempt(long callId) => (int)((callId >> AttemptShift) & 0xFF) + 1;

    /// <summary>1 for the first leg (the call as the caller dialled it).</summary>
    public static int Leg(long callId) => (int)((callId >> LegShift) & 0x7F) + 1;

    public static long NextAttempt(long callId) => callId + (1L << AttemptShift);

    /// <summary>The first attempt of the next leg.</summary>
    public static long NextLeg(long callId) => Caller(callId) | ((long)Leg(callId) << LegShift);
}

/// <summary>What one component tells another (or itself, through a timer). A flat value so that every host can carry it.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Target">Address of the receiving component (see <see cref="ContactCenterLayout"/>).</param>
/// <param name="CallId">The call concerned, or -1.</param>
/// <param name="CallType">Index of the call's type, or -1.</param>
/// <param name="Group">Index of the operator group concerned, or -1.</param>
/// <param name="Operator">Operator index within the group; for timers of the router, the index its kind names (read it
/// as <see cref="Slot"/>, <see cref="Interval"/>, <see cref="Number"/> or <see cref="ScheduleIndex"/>).</param>
/// <param name="ArrivalTime">When the call arrived.</param>
/// <param name="Value">The one number its kind carries (read it as <see cref="Patience"/>,
/// <see cref="HandleTimeMultiplier"/> or <see cref="AfterCallWork"/>); otherwise unused.</param>
/// <remarks>Two fields carry what differs by kind, so that the value stays flat and small on every host; the named
/// readers and factories below are how the model reads and writes them.</remarks>
public readonly record struct Message(
    MessageKind Kind,
    int Target,
    long CallId = -1,
    int CallType = -1,
    int Group = -1,
    int Operator = -1,
    double ArrivalTime = 0,
    double Value = 0)
{
    /// <summary>The caller's patience (<see cref="MessageKind.CallOffered"/>, <see cref="MessageKind.RecordedMessageEnded"/>).</summary>
    public double Patience => Value;

    /// <summary>The operator's handle-time multiplier: proficiency × learning curve, 1 for none
    /// (<see cref="MessageKind.StartService"/>, <see cref="MessageKind.StartCallback"/>, <see cref="MessageKind.StartOutbound"/>).</summary>
    public double HandleTimeMultiplier => Value;

    /// <summary>The after-call work that follows, 0 for none (<see cref="MessageKind.ServiceDone"/>,
    /// <see cref="MessageKind.CallbackDone"/>, <see cref="MessageKind.OutboundDone"/>).</summary>
    public double AfterCallWork => Value;

    /// <summary>The waiting caller's slot in the router's queues (<see cref="MessageKind.PatienceExpired"/>).</summary>
    public int Slot => Operator;

    /// <summary>The interval that starts (<see cref="MessageKind.StaffingChange"/>).</summary>
    public int Interval => Operator;

    /// <summary>The number that closes (<see cref="MessageKind.NumberClosing"/>).</summary>
    public int Number => Operator;

    /// <summary>The index of the change in the staffing plan (<see cref="MessageKind.ScheduleChange"/>).</summary>
    public int ScheduleIndex => Operator;

    /// <summary>The playbook rule (<see cref="MessageKind.PlaybookEffect"/>).</summary>
    public int Rule => Operator;

    /// <summary>The operators of the group activated from now on (<see cref="MessageKind.ActivationStep"/>).</summary>
    public int Step => Operator;

    /// <summary>The generation of the number's opening hours the closing belongs to (<see cref="MessageKind.NumberClosing"/>):
    /// a closing of hours a playbook has replaced since is ignored.</summary>
    public int HoursGeneration => (int)Value;

    /// <summary>A call offered to the router, its caller willing to wait <paramref name="patience"/> seconds.</summary>
    public static Message Offered(int router, long callId, int callType, double arrivalTime, double patience) =>
        new(MessageKind.CallOffered, router, callId, callType, ArrivalTime: arrivalTime, Value: patience);

    /// <summary>The router's timer for a waiting caller's patience.</summary>
    public static Message PatienceTimer(int router, long callId, int callType, int slot, double arrivalTime) =>
        new(MessageKind.PatienceExpired, router, callId, callType, Operator: slot, ArrivalTime: arrivalTime);

    /// <summary>An operator put to work (<paramref name="kind"/>: a call answered, a callback or an outbound call made).</summary>
    public static Message Work(MessageKind kind, int group, int groupAddress, int op, long callId, int callType, double arrivalTime, double handleTimeMultiplier) =>
        new(kind, groupAddress, callId, callType, group, op, arrivalTime, handleTimeMultiplier);

    /// <summary>The end of an operator's work, for the router, with the after-call work that follows.</summary>
    public Message Done(MessageKind kind, int router, double afterCallWork) => this with { Kind = kind, Target = router, Value = afterCallWork };

    /// <summary>The router's timer at the start of <paramref name="interval"/>.</summary>
    public static Message StaffingChangeTimer(int router, int interval) => new(MessageKind.StaffingChange, router, Operator: interval);

    /// <summary>The router's timer for the staffing plan's change <paramref name="index"/>.</summary>
    public static Message ScheduleChangeTimer(int router, int index) => new(MessageKind.ScheduleChange, router, Operator: index);

    /// <summary>The router's timer at a number's daily closing time.</summary>
    public static Message NumberClosingTimer(int router, int number, int hoursGeneration = 0) =>
        new(MessageKind.NumberClosing, router, Operator: number, Value: hoursGeneration);
}

/// <summary>Where a component's effects go: messages delivered now (after what is already due now) and timers.</summary>
public interface IOutbox
{
    void Send(in Message message);

    void SetTimer(double at, in Message message);

    /// <summary>Sets a timer as a component that a message sent now reached would set it: it takes its place in
    /// (time, sequence) order once what is already due now has been delivered. A component that does another's work in
    /// a direct call (the router putting an operator to work) keeps exactly the order the message would have given.</summary>
    void SetTimerInTurn(double at, in Message message);
}

/// <summary>A piece of the contact center that reacts to messages: same code in every host.</summary>
public interface IComponent
{
    /// <summary>Sets the first timers. Called once, in address order, before any message is delivered.</summary>
    void Start(IOutbox outbox);

    void Handle(in Message message, double now, IOutbox outbox);
}
