using CrisisSim.Model.Randomness;

namespace CrisisSim.Model.Components;

/// <summary>After service, the call may go on to another call type's queue, each target with its share (the rest
/// stays). The target and the leg's patience are drawn from stream <c>transfer/TYPE</c> of the type served.</summary>
/// <param name="targets">Target call types, at least one.</param>
/// <param name="cumulative">The cumulative shares of the targets.</param>
public sealed class Transfers(int[] targets, double[] cumulative, RandomStream stream)
{
    /// <summary>Draws the call type the call goes on to, or -1: it stays.</summary>
    public int Target()
    {
        var u = stream.NextDouble();
        var i = 0;
        while (i < targets.Length && u >= cumulative[i])
        {
            i++;
        }
        return i == targets.Length ? -1 : targets[i];
    }

    /// <summary>The patience of the new leg, as the target type starts it.</summary>
    public double LegPatience(TransferLeg leg, double now) => leg.Patience(stream, now);
}
