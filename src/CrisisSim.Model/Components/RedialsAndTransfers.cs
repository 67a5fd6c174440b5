using CrisisSim.Model.Recording;

namespace CrisisSim.Model.Components;

/// <summary>The attempts a caller makes after the first: a redial after a failed attempt (<see cref="Redials"/>), a
/// transfer to another call type after service (<see cref="Transfers"/>); the new attempt is offered to the router like
/// a call that arrives.</summary>
public sealed class RedialsAndTransfers(CallerJourney[] journeys, double horizon, int router, Recorder recorder)
{
    /// <summary>After a failed attempt, whether and when the caller tries again: a timer of the router, never of the caller
    /// source (whose grain plays its own arrivals ahead). False: no redial, or not before the horizon.</summary>
    public bool TryRedial(long callId, int callType, double now, out double at, out Message redial)
    {
        redial = default;
        if (journeys[callType].Redials is not { } redials || !redials.TryRedial(CallIds.Attempt(callId), now, out at))
        {
            at = double.PositiveInfinity;
            return false;
        }
        redial = new Message(MessageKind.Redial, router, CallIds.NextAttempt(callId), callType);
        return at < horizon;
    }

    /// <summary>The caller redials now: the attempt offered, with a fresh patience.</summary>
    public Message Redialled(in Message timer, double now)
    {
        var patience = journeys[timer.CallType].Redials!.Patience(now);
        recorder.Offered(timer.CallType, now);
        recorder.Count(CallCounter.Redials, timer.CallType, now);
        return Message.Offered(router, timer.CallId, timer.CallType, now, patience);
    }

    /// <summary>After service, whether the call goes on to another call type's queue: a new leg of the same caller, to
    /// offer again (hours, lines, message, balking, queue) with the target's patience; its handle time is the target's.</summary>
    public bool TryTransfer(in Message call, double now, out Message leg)
    {
        leg = default;
        if (journeys[call.CallType].Transfers is not { } transfers || CallIds.Leg(call.CallId) >= CallIds.MaxLegs)
        {
            return false;
        }
        var target = transfers.Target();
        if (target < 0)
        {
            return false;
        }
        var patience = transfers.LegPatience(journeys[target].TransferLeg!, now);
        recorder.Count(CallCounter.TransfersOut, call.CallType, call.ArrivalTime);
        recorder.Offered(target, now);
        recorder.Count(CallCounter.TransfersIn, target, now);
        leg = Message.Offered(router, CallIds.NextLeg(call.CallId), target, now, patience);
        return true;
    }
}
