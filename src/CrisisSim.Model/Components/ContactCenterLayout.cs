namespace CrisisSim.Model.Components;

/// <summary>Addresses of the components of one run: one caller source per call type, then the router, then one
/// operator component per group.</summary>
public readonly record struct ContactCenterLayout(int CallTypeCount, int GroupCount)
{
    public int Router => CallTypeCount;

    public int ComponentCount => CallTypeCount + 1 + GroupCount;

    public int CallerSource(int callType) => callType;

    public int OperatorGroup(int group) => CallTypeCount + 1 + group;
}
