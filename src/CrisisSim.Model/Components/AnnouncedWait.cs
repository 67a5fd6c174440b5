namespace CrisisSim.Model.Components;

/// <summary>What a caller who finds no idle operator learns: how many callers of its type wait, and the wait announced
/// to it (read by <see cref="Balking"/> and the <see cref="CallbackOffer"/>).</summary>
public sealed class AnnouncedWait(RoutingView view, Operators operators, WaitingQueues waiting)
{
    public int Waiting(int callType) => waiting.Length(callType);

    /// <summary>(callers of its type waiting + 1) x the type's mean handle time / the operators on duty in the groups
    /// serving it (+inf when none is on duty).</summary>
    public double Expected(int callType, double meanHandleTime)
    {
        var onDuty = 0;
        foreach (var g in view.GroupsServing(callType))
        {
            onDuty += operators.OnDuty(g);
        }
        return onDuty == 0 ? double.PositiveInfinity : (waiting.Length(callType) + 1) * meanHandleTime / onDuty;
    }
}
