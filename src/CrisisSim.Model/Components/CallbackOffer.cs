using CrisisSim.Model.Randomness;

namespace CrisisSim.Model.Components;

/// <summary>A caller announced a wait above a threshold is offered a callback instead of waiting, and accepts it with
/// a probability (stream <c>callback/TYPE</c>); an accepted callback is due a deadline after the request.</summary>
/// <param name="offerAbove">+inf: never offered.</param>
/// <param name="meanHandleTime">The type's mean handle time, for the announced wait.</param>
public sealed class CallbackOffer(double offerAbove, double acceptProbability, double deadlineSeconds, double meanHandleTime, RandomStream stream)
{
    public double DeadlineSeconds { get; } = deadlineSeconds;

    public bool IsOffered(int callType, AnnouncedWait wait) =>
        offerAbove < double.PositiveInfinity && wait.Expected(callType, meanHandleTime) > offerAbove;

    /// <summary>Draws whether the caller offered a callback accepts it.</summary>
    public bool Accepts() => stream.NextDouble() < acceptProbability;
}
