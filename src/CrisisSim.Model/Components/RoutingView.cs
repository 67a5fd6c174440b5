using CrisisSim.Model.Routing;

namespace CrisisSim.Model.Components;

/// <summary>What the routing policy sees of the contact center while the router decides: which groups serve which call
/// types, the queues and the operators, the clock; and the wake-ups it may ask for, set as timers of the router (asking
/// twice for the same instant sets one timer).</summary>
public sealed class RoutingView : IRoutingView
{
    private readonly int _router;
    private readonly double _closeTime;
    private readonly int[] _priority;
    private readonly int[][] _groupsServing;
    private readonly int[][] _typesServedBy;
    private readonly WaitingQueues _waiting;
    private readonly Operators _operators;
    private double _now;
    private IOutbox? _outbox;
    private double _lastWakeUp = double.NaN;

    public RoutingView(
        ContactCenterLayout layout, double closeTime, int[] priorityByCallType, int[][] groupsServing, int[][] typesServedBy, WaitingQueues waiting, Operators operators)
    {
        _router = layout.Router;
        CallTypeCount = layout.CallTypeCount;
        GroupCount = layout.GroupCount;
        _closeTime = closeTime;
        _priority = priorityByCallType;
        _groupsServing = groupsServing;
        _typesServedBy = typesServedBy;
        _waiting = waiting;
        _operators = operators;
    }

    public int CallTypeCount { get; }

    public int GroupCount { get; }

    public double Now => _now;

    /// <summary>The router handles a message now: wake-ups the policy asks for go to this outbox.</summary>
    public void Deciding(double now, IOutbox outbox)
    {
        _now = now;
        _outbox = outbox;
    }

    public ReadOnlySpan<int> GroupsServing(int callType) => _groupsServing[callType];

    public ReadOnlySpan<int> CallTypesServedBy(int group) => _typesServedBy[group];

    /// <summary>Idle operators that may take a call now: with an occupancy cap, no more than the cap leaves room for.</summary>
    public int IdleOperators(int group) => _operators.IdleOperators(group);

    /// <summary>The group's handle-time multiplier for the call type (1 when not given; lower is faster).</summary>
    public double Proficiency(int group, int callType) => _operators.Proficiency(group, callType);

    public double LongestIdleSince(int group) => _operators.LongestIdleSince(group);

    public int OnDuty(int group) => _operators.OnDuty(group);

    public int QueueLength(int callType) => _waiting.Length(callType);

    public double OldestWaitingArrival(int callType) => _waiting.OldestArrival(callType);

    public int Priority(int callType) => _priority[callType];

    /// <summary>A playbook changes a call type's priority.</summary>
    public void SetPriority(int callType, int priority) => _priority[callType] = priority;

    public void WakeAt(double time)
    {
        if (double.IsNaN(time))
        {
            throw new ArgumentOutOfRangeException(nameof(time), time, "The routing policy asked for a wake-up at NaN");
        }
        var outbox = _outbox ?? throw new InvalidOperationException("A wake-up can be asked only while the router decides");
        var at = Math.Max(time, _now);
        if (at > _closeTime || at == _lastWakeUp)
        {
            return;
        }
        _lastWakeUp = at;
        outbox.SetTimer(at, new Message(MessageKind.RoutingWakeUp, _router));
    }
}
