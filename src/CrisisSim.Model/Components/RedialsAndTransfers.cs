using CrisisSim.Model.Recording;

namespace CrisisSim.Model.Components;

/// <summary>The attempts a caller makes after the first: a redial after a failed attempt, a transfer to another call
/// type after service. Each decision draws from the call type's own stream (<c>redial/TYPE</c>, <c>transfer/TYPE</c>);
/// the new attempt is offered to the router like a call that arrives.</summary>
public sealed class RedialsAndTransfers(CallerJourney[] journeys, double horizon, int router, Recorder recorder)
{
    /// <summary>After a failed attempt, whether and when the caller tries again: a timer of the router, never of the caller
    /// source (whose grain plays its own arrivals ahead). False: no redial, or not before the horizon.</summary>
    public bool TryRedial(long callId, int callType, double now, out double at, out Message redial)
    {
        var journey = journeys[callType];
        var attempt = CallIds.Attempt(callId);
        at = double.PositiveInfinity;
        redial = default;
        if (attempt > journey.RedialProbabilities.Length || !(journey.Redial!.NextDouble() < journey.RedialProbabilities[attempt - 1]))
        {
            return false;
        }
        at = now + journey.RedialDelay!.Sample(journey.Redial);
        redial = new Message(MessageKind.Redial, router, CallIds.NextAttempt(callId), callType);
        return at < horizon;
    }

    /// <summary>The caller redials now: the attempt offered, with a fresh patience.</summary>
    public Message Redialled(in Message timer, double now)
    {
        var journey = journeys[timer.CallType];
        var patience = journey.RedialPatience?.Sample(journey.Redial!) ?? double.PositiveInfinity;
        if (journey.PatienceFactors is { } factors)
        {
            patience = factors.Apply(patience, now);
        }
        recorder.Offered(timer.CallType, now);
        recorder.Count(CallCounter.Redials, timer.CallType, now);
        return Message.Offered(router, timer.CallId, timer.CallType, now, patience);
    }

    /// <summary>After service, whether the call goes on to another call type's queue: a new leg of the same caller, to
    /// offer again (hours, lines, message, balking, queue) with the target's patience; its handle time is the target's.</summary>
    public bool TryTransfer(in Message call, double now, out Message leg)
    {
        var journey = journeys[call.CallType];
        leg = default;
        if (journey.TransferTargets.Length == 0 || CallIds.Leg(call.CallId) >= CallIds.MaxLegs)
        {
            return false;
        }
        var u = journey.Transfer!.NextDouble();
        var i = 0;
        while (i < journey.TransferTargets.Length && u >= journey.TransferCumulative[i])
        {
            i++;
        }
        if (i == journey.TransferTargets.Length)
        {
            return false;
        }
        var target = journey.TransferTargets[i];
        var targetJourney = journeys[target];
        var patience = targetJourney.LegPatience?.Sample(journey.Transfer) ?? double.PositiveInfinity;
        if (targetJourney.PatienceFactors is { } factors)
        {
            patience = factors.Apply(patience, now);
        }
        recorder.Count(CallCounter.TransfersOut, call.CallType, call.ArrivalTime);
        recorder.Offered(target, now);
        recorder.Count(CallCounter.TransfersIn, target, now);
        leg = Message.Offered(router, CallIds.NextLeg(call.CallId), target, now, patience);
        return true;
    }
}
