using CrisisSim.Model.Randomness;

namespace CrisisSim.Model.Components;

/// <summary>An outbound call type: each of its calls is one to make, due a deadline after its creation, waiting with
/// the callback requests. An attempt reaches the person with a probability (stream <c>reach/TYPE</c>, one attempt
/// only); an unanswered one holds the operator for the ringing.</summary>
/// <param name="deadlineSeconds">Above 0.</param>
/// <param name="reach">1: every attempt reaches the person (no draw).</param>
/// <param name="stream">Null when the reach is 1.</param>
public sealed class OutboundFollowUp(double deadlineSeconds, double reach, double noAnswerSeconds, RandomStream? stream)
{
    public double DeadlineSeconds { get; } = deadlineSeconds;

    /// <summary>How long an attempt nobody answers holds the operator.</summary>
    public double NoAnswerSeconds { get; } = noAnswerSeconds;

    /// <summary>Draws whether the attempt reaches the person.</summary>
    public bool Reaches() => !(reach < 1) || stream!.NextDouble() < reach;
}
