using System.Globalization;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Model.Components;

/// <summary>A replication stopped because more calls waited at once (in queue, callbacks and outbound calls to make,
/// redials pending) than <see cref="ScenarioLimits.MaxWaitingCalls"/>: they grow without bound (arrivals beyond what the
/// operators can serve, and callers who never give up), so its
/// results would mean nothing and its memory would follow the calls. Thrown from model state only (no wall clock), so
/// it happens at the same virtual time on every host.</summary>
public sealed class UnstableReplicationException : Exception
{
    public UnstableReplicationException(string scenario, int replication, double virtualTime, string callType, int waiting)
        : base(Describe(scenario, replication, virtualTime, callType, waiting))
    {
        Scenario = scenario;
        Replication = replication;
        VirtualTime = virtualTime;
        CallType = callType;
        Waiting = waiting;
    }

    /// <summary>For hosts that carry the exception between processes: its message as it was made.</summary>
    public UnstableReplicationException(string message)
        : base(message)
    {
        Scenario = "";
        CallType = "";
    }

    public string Scenario { get; }

    /// <summary>The replication that stopped (numbered from 0, as in the result files).</summary>
    public int Replication { get; }

    /// <summary>Seconds since the start of the scenario when the limit was passed.</summary>
    public double VirtualTime { get; }

    /// <summary>The call type of the call that passed the limit.</summary>
    public string CallType { get; }

    /// <summary>Calls waiting at once (in queue, callbacks and outbound calls to make, redials pending) when the replication
    /// stopped.</summary>
    public int Waiting { get; }

    private static string Describe(string scenario, int replication, double virtualTime, string callType, int waiting)
    {
        var t = TimeSpan.FromSeconds(Math.Floor(virtualTime));
        return string.Create(CultureInfo.InvariantCulture,
            $"scenario '{scenario}', replication {replication}: {waiting:N0} calls were waiting at once (in queue, for a callback or an outbound call, or to redial) at {virtualTime:0.###} s ({(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00} into the run) when a call of type '{callType}' joined them, more than the limit of {ScenarioLimits.MaxWaitingCalls:N0}: the calls waiting grow without bound (too few operators for callers who never give up), so the replication was stopped as unstable");
    }
}
