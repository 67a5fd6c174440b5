using CrisisSim.Model.Randomness;

namespace CrisisSim.Model.Components;

/// <summary>A message played before the queue (a <c>RecordedMessageEnded</c> timer of the router); at its end a share
/// of the callers hang up, satisfied (deflected). Stream <c>ivr/TYPE</c>.</summary>
public sealed class RecordedMessage(double seconds, double deflectedShare, RandomStream stream)
{
    /// <summary>Length of the message, above 0.</summary>
    public double Seconds { get; } = seconds;

    /// <summary>Draws whether the caller, at the end of the message, hangs up.</summary>
    public bool Deflects() => stream.NextDouble() < deflectedShare;
}
