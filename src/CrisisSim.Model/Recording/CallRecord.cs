namespace CrisisSim.Model.Recording;

public enum CallOutcome : byte
{
    /// <summary>An operator answered the call.</summary>
    Answered,
    /// <summary>The caller hung up before an operator answered.</summary>
    Abandoned,
    /// <summary>Still waiting when the run closed (the drain time after the horizon ran out).</summary>
    Unserved,
    /// <summary>Every line of the call's number was taken: a busy signal, never in the system.</summary>
    Blocked,
    /// <summary>The recorded message answered the caller, who hung up at its end.</summary>
    Deflected,
    /// <summary>The caller would have had to wait and left at once.</summary>
    Balked,
    /// <summary>The number was closed: a closed message at arrival, or told to call back while waiting at closing.</summary>
    Closed,
    /// <summary>The caller accepted a callback and hung up; the callback is counted apart (made in time, late or missed).</summary>
    CallbackAccepted,
}

/// <summary>How one call ended. The wait is <see cref="WaitEnd"/> − <see cref="ArrivalTime"/>.</summary>
/// <param name="WaitEnd">When the wait ended: answered, hung up or closed.</param>
/// <param name="EndTime">When the call left the system (end of service for an answered call, otherwise <paramref name="WaitEnd"/>).</param>
/// <param name="Group">The answering group, or -1.</param>
/// <param name="Operator">The answering operator within the group, or -1.</param>
/// <param name="AfterCallWorkEnd">When the answering operator was free again: <paramref name="EndTime"/> plus the
/// after-call work (equal to <paramref name="EndTime"/> without it, and for a call not answered).</param>
public readonly record struct CallRecord(
    long CallId,
    int CallType,
    double ArrivalTime,
    CallOutcome Outcome,
    double WaitEnd,
    double EndTime,
    int Group,
    int Operator,
    double AfterCallWorkEnd)
{
    public double Wait => WaitEnd - ArrivalTime;
}
