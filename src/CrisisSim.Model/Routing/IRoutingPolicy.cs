namespace CrisisSim.Model.Routing;

/// <summary>The routing decisions of the contact center: which group answers an arriving call, which waiting call a
/// freed operator takes. Users write their own in their own assembly and name it in the scenario (see
/// <c>docs/routing-plugins.md</c>).</summary>
/// <remarks>
/// <para>One instance is created per replication (it may keep state between decisions) through a public constructor
/// taking a <see cref="RoutingSetup"/>, a settings dictionary (<c>IReadOnlyDictionary&lt;string, string&gt;</c>) or
/// nothing; a constructor rejects bad settings by throwing <see cref="ArgumentException"/> (preferably
/// <see cref="RoutingSettingsException"/>, which names the setting) and the scenario reader reports its message.</para>
/// <para>A policy must be deterministic: its answers depend only on what it was constructed with, the view and its own
/// earlier calls (no wall clock, no unseeded random generator, no shared static state), so that every host takes the
/// same decisions. Decisions run on the simulation's hot path: keep them free of allocation.</para>
/// </remarks>
public interface IRoutingPolicy
{
    /// <summary>The group whose longest-idle operator answers the call now, or -1 to queue the call (or let it balk,
    /// be offered a callback …). Only a group serving the call type with an idle operator may be returned. Also asked
    /// for an outbound call to make, as it is created (-1: it waits for an operator who becomes free).</summary>
    int SelectGroup(OfferedCall call, IRoutingView view);

    /// <summary>The call type whose oldest waiting call an operator of the group takes now, or -1 for the operator to
    /// stay idle. Only a type the group serves with a waiting call may be returned.</summary>
    /// <remarks>Asked when an operator becomes available (a call ends, a shift starts), and for every idle operator of
    /// every group at a wake-up (see <see cref="IRoutingView.WakeAt"/>). The operator asking is not counted in
    /// <see cref="IRoutingView.IdleOperators"/>.</remarks>
    int SelectCallType(int group, IRoutingView view);
}

/// <summary>A call the router is placing: arrived at <paramref name="ArrivalTime"/> (its wait so far is
/// <see cref="IRoutingView.Now"/> - <paramref name="ArrivalTime"/>, longer than 0 after a recorded message).</summary>
/// <param name="CallType">Index of the call's type.</param>
/// <param name="ArrivalTime">When the call arrived, in seconds from the start of the run.</param>
/// <param name="CallId">The call's id: <see cref="Components.CallIds"/> gives its caller, attempt and leg.</param>
public readonly record struct OfferedCall(int CallType, double ArrivalTime, long CallId);

/// <summary>What a routing policy sees when it decides: the router's live state, in virtual time. Every query is O(1);
/// the two spans are the scenario's fixed lists (in scenario order).</summary>
public interface IRoutingView
{
    /// <summary>The current time, in seconds from the start of the run (virtual time: the same in every host).</summary>
    double Now { get; }

    int CallTypeCount { get; }

    int GroupCount { get; }

    /// <summary>The groups that answer this call type, in scenario order.</summary>
    ReadOnlySpan<int> GroupsServing(int callType);

    /// <summary>The call types this group answers, in scenario order.</summary>
    ReadOnlySpan<int> CallTypesServedBy(int group);

    /// <summary>Operators of the group on duty and waiting for a call; under the group's occupancy cap, no more than the
    /// cap leaves room for (see <c>occupancyCap</c> in scenarios/README.md).</summary>
    int IdleOperators(int group);

    /// <summary>Since when the longest-idle operator of the group has been idle; +∞ when none is idle.</summary>
    double LongestIdleSince(int group);

    /// <summary>Operators of the group on duty now (idle or busy).</summary>
    int OnDuty(int group);

    /// <summary>Calls of this type waiting in the queue.</summary>
    int QueueLength(int callType);

    /// <summary>Arrival time of the oldest call waiting of this type (the one an operator taking this type gets);
    /// +∞ when none waits.</summary>
    double OldestWaitingArrival(int callType);

    /// <summary>The call type's priority (scenario key <c>priority</c>; larger is more urgent).</summary>
    int Priority(int callType);

    /// <summary>The group's handle-time multiplier for the call type: 1 is the type's handle time, 1.3 is 30 % slower;
    /// lower is better.</summary>
    double Proficiency(int group, int callType);

    /// <summary>Asks to be woken up at <paramref name="time"/> (now when it is earlier; ignored after the run closes):
    /// the router then offers the waiting calls again to the idle operators of every group, group by group in
    /// scenario order, asking <see cref="IRoutingPolicy.SelectCallType"/> until it returns -1 (only the calls waiting
    /// in the queues: callbacks and calls to make wait for an operator who becomes free). For decisions that depend on
    /// time, such as "only once the call has waited T".</summary>
    void WakeAt(double time);
}
