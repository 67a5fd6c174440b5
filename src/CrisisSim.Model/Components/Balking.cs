using CrisisSim.Model.Randomness;

namespace CrisisSim.Model.Components;

/// <summary>A caller who finds no idle operator leaves at once: for sure above a queue length or an announced wait
/// (no draw), or else with a probability (stream <c>balking/TYPE</c>).</summary>
/// <param name="queueAbove">int.MaxValue: no limit.</param>
/// <param name="waitAbove">+inf: no limit.</param>
/// <param name="meanHandleTime">The type's mean handle time, for the announced wait.</param>
/// <param name="stream">Null when the probability is 0.</param>
public sealed class Balking(double probability, int queueAbove, double waitAbove, double meanHandleTime, RandomStream? stream)
{
    public bool Balks(int callType, AnnouncedWait wait) =>
        // The limits first, without a draw: the probability's draws are the same with or without a limit.
        wait.Waiting(callType) >= queueAbove
        || waitAbove < double.PositiveInfinity && wait.Expected(callType, meanHandleTime) > waitAbove
        || probability > 0 && stream!.NextDouble() < probability;
}
