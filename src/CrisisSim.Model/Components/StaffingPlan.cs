namespace CrisisSim.Model.Components;

/// <summary>Who is meant to be on duty when: per group, the staffing of each interval, or a schedule (shifts, breaks,
/// shrinkage, activation; see <see cref="OperatorRules.OnDuty"/>) whose changes over all groups are kept in
/// (time, group) order.</summary>
public sealed class StaffingPlan
{
    private readonly int[][] _staffing;
    private readonly bool[] _scheduled;
    private readonly int[] _capacity;
    private readonly double[] _changeTime = [];
    private readonly int[] _changeGroup = [];
    private readonly int[] _changeTarget = [];

    public StaffingPlan(int[][] staffingByGroup, OperatorRules[] rules)
    {
        var groups = staffingByGroup.Length;
        _staffing = staffingByGroup;
        _scheduled = new bool[groups];
        _capacity = new int[groups];
        var changes = new List<(double Time, int Group, int Target)>();
        for (var g = 0; g < groups; g++)
        {
            _capacity[g] = staffingByGroup[g].Length == 0 ? 0 : staffingByGroup[g].Max();
            if (rules[g].OnDuty is { } schedule)
            {
                _scheduled[g] = true;
                _capacity[g] = Math.Max(_capacity[g], schedule.Max);
                for (var i = 0; i < schedule.Times.Length; i++)
                {
                    if (schedule.Times[i] > 0 || schedule.Counts[i] > 0)
                    {
                        changes.Add((schedule.Times[i], g, schedule.Counts[i]));
                    }
                }
            }
        }
        if (changes.Count > 0)
        {
            changes.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Group.CompareTo(b.Group));
            _changeTime = [.. changes.Select(c => c.Time)];
            _changeGroup = [.. changes.Select(c => c.Group)];
            _changeTarget = [.. changes.Select(c => c.Target)];
        }
    }

    /// <summary>The group's on-duty count follows its schedule, not the per-interval staffing.</summary>
    public bool IsScheduled(int group) => _scheduled[group];

    /// <summary>The group's staffing in the interval (a group without a schedule).</summary>
    public int Staffing(int group, int interval) => _staffing[group][interval];

    /// <summary>The most operators of the group ever on duty: their ids are 0 to this − 1.</summary>
    public int Capacity(int group) => _capacity[group];

    /// <summary>Schedule changes over all groups.</summary>
    public int ChangeCount => _changeTime.Length;

    public double ChangeTime(int index) => _changeTime[index];

    public int ChangeGroup(int index) => _changeGroup[index];

    /// <summary>The group's on-duty count from the change on.</summary>
    public int ChangeTarget(int index) => _changeTarget[index];
}
