using CrisisSim.Model.Scenario;

namespace CrisisSim.Model.Components;

/// <summary>What the router applies to one group's operators beyond a per-interval head count: a schedule that changes
/// at any time, an occupancy cap, proficiency by call type and a learning curve. <see cref="Plain"/> applies none.</summary>
public sealed class OperatorRules
{
    public static readonly OperatorRules Plain = new();

    /// <summary>Operators on duty over the run (shifts, breaks, shrinkage, activation); null: the per-interval staffing,
    /// changed at interval boundaries.</summary>
    public OperatorSchedule? OnDuty { get; init; }

    /// <summary>At most max(1, floor(cap x on duty)) operators busy at once; 1: no cap.</summary>
    public double OccupancyCap { get; init; } = 1;

    /// <summary>Handle-time multiplier of each call type the group serves, in the order of the router's sorted list of
    /// the types it serves; null: 1 for every type.</summary>
    public double[]? Proficiency { get; init; }

    public LearningSpec? Learning { get; init; }

    /// <summary>Whether any rule applies.</summary>
    public bool IsPlain => OnDuty is null && OccupancyCap >= 1 && Proficiency is null && Learning is null;

    /// <summary>The learning-curve multiplier after <paramref name="x"/> seconds on duty, or calls handled:
    /// 1 + (initial - 1) x 2^(-x / half life).</summary>
    public static double LearningMultiplier(LearningSpec learning, double x) =>
        1 + (learning.Initial - 1) * Math.Pow(2, -x / (learning.HalfLifeCalls ?? learning.HalfLifeSeconds ?? double.PositiveInfinity));
}
