using System.Runtime.CompilerServices;
using CrisisSim.Model.Recording;

namespace CrisisSim.Model.Components;

/// <summary>The operators of every group, ids 0 to the group's capacity − 1, each off duty, idle (longest idle first) or
/// busy; the on-duty target an operator leaves for after the call; occupancy caps, proficiency and learning (per
/// operator: when first on duty, calls handled); and the operator time recorded as it passes.</summary>
public sealed class Operators
{
    private readonly Recorder _recorder;
    private readonly int[][] _typesServedBy;
    private readonly IntDeque[] _idle;
    private readonly double[][] _idleSince;
    private readonly IntDeque[] _offDuty;
    private readonly int[] _onDuty;
    private readonly int[] _busy;
    private readonly int[] _target;
    private readonly double[] _lastChange;
    private readonly OperatorRules[] _rules;
    private readonly bool[] _capped;
    private readonly bool[] _multiplied;
    private readonly double[]?[] _firstOnDuty;
    private readonly int[]?[] _callsHandled;

    public Operators(StaffingPlan plan, OperatorRules[] rules, int[][] typesServedBy, Recorder recorder)
    {
        var groups = rules.Length;
        _recorder = recorder;
        _typesServedBy = typesServedBy;
        _rules = rules;
        _idle = new IntDeque[groups];
        _idleSince = new double[groups][];
        _offDuty = new IntDeque[groups];
        _onDuty = new int[groups];
        _busy = new int[groups];
        _target = new int[groups];
        _lastChange = new double[groups];
        _capped = new bool[groups];
        _multiplied = new bool[groups];
        _firstOnDuty = new double[]?[groups];
        _callsHandled = new int[]?[groups];
        for (var g = 0; g < groups; g++)
        {
            var rule = rules[g];
            var capacity = plan.Capacity(g);
            _capped[g] = rule.OccupancyCap < 1;
            _multiplied[g] = rule.Proficiency is not null || rule.Learning is not null;
            if (rule.Learning is { } learning)
            {
                if (learning.HalfLifeCalls is not null)
                {
                    _callsHandled[g] = new int[capacity];
                }
                else
                {
                    _firstOnDuty[g] = new double[capacity];
                    Array.Fill(_firstOnDuty[g]!, double.NaN);
                }
            }
            _idle[g] = new IntDeque();
            _idleSince[g] = new double[capacity];
            _offDuty[g] = new IntDeque();
            for (var op = capacity - 1; op >= 0; op--)
            {
                _offDuty[g].PushBack(op);
            }
        }
    }

    public int GroupCount => _idle.Length;

    /// <summary>Idle operators of the group, whatever its occupancy cap.</summary>
    public int Idle(int group) => _idle[group].Count;

    /// <summary>Idle operators that may take a call now: with an occupancy cap, no more than the cap leaves room for.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int IdleOperators(int group) =>
        _capped[group] ? Math.Min(_idle[group].Count, Math.Max(0, BusyLimit(group) - _busy[group])) : _idle[group].Count;

    public double LongestIdleSince(int group) =>
        _idle[group].Count == 0 ? double.PositiveInfinity : _idleSince[group][_idle[group].PeekFront()];

    public int OnDuty(int group) => _onDuty[group];

    /// <summary>The group's handle-time multiplier for the call type (1 when not given; lower is faster).</summary>
    public double Proficiency(int group, int callType) =>
        _rules[group].Proficiency is { } p && Array.BinarySearch(_typesServedBy[group], callType) is var i and >= 0 ? p[i] : 1.0;

    public bool IsCapped(int group) => _capped[group];

    /// <summary>The group's occupancy cap leaves room for one more busy operator.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool HasRoom(int group) => _busy[group] < BusyLimit(group);

    /// <summary>Takes the longest idle operator out of the idle ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int TakeIdle(int group) => _idle[group].PopFront();

    /// <summary>An operator taken out (<see cref="TakeIdle"/>) found no work: back at the front, as idle as before.</summary>
    public void PutBackIdle(int group, int op) => _idle[group].PushFront(op);

    /// <summary>The operator becomes idle now, behind the others.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void BecomeIdle(int group, int op, double now)
    {
        _idleSince[group][op] = now;
        _idle[group].PushBack(op);
    }

    /// <summary>An operator of the group starts a call now.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StartWork(int group, double now)
    {
        AccrueTime(group, now);
        _busy[group]++;
    }

    /// <summary>The operator's work ends now. False: the operator was on duty beyond the target and has left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool FinishWork(int group, int op, double now)
    {
        AccrueTime(group, now);
        _busy[group]--;
        if (_onDuty[group] > _target[group])
        {
            _onDuty[group]--; // the shift has ended: leaves after the call
            _offDuty[group].PushBack(op);
            return false;
        }
        return true;
    }

    /// <summary>The operator's handle-time multiplier for a call it takes now (1: the group uses neither proficiency
    /// nor learning).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double HandleTimeMultiplier(int group, int op, int callType, double now) =>
        _multiplied[group] ? Multiplier(group, op, callType, now) : 1.0;

    /// <summary>The group's on-duty target changes: idle operators beyond it go off duty now; those still busy beyond it
    /// leave when their call ends (see <see cref="FinishWork"/>); those to come on duty come with
    /// <see cref="TryComeOnDuty"/>.</summary>
    public void SetTarget(int group, int target)
    {
        _target[group] = target;
        while (_onDuty[group] > target && _idle[group].Count > 0)
        {
            _offDuty[group].PushBack(_idle[group].PopBack());
            _onDuty[group]--;
        }
    }

    /// <summary>One more operator comes on duty now, while the group is below its target.</summary>
    public bool TryComeOnDuty(int group, double now, out int op)
    {
        if (_onDuty[group] >= _target[group])
        {
            op = -1;
            return false;
        }
        op = _offDuty[group].PopBack();
        _onDuty[group]++;
        if (_firstOnDuty[group] is { } first && double.IsNaN(first[op]))
        {
            first[op] = now;
        }
        return true;
    }

    /// <summary>Records the group's operator time (busy, on duty) up to now.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AccrueTime(int group, double now)
    {
        var last = _lastChange[group];
        if (now > last)
        {
            _recorder.OperatorTime(group, last, now, _busy[group], _onDuty[group]);
            _lastChange[group] = now;
        }
    }

    /// <summary>The most operators of the group busy at once under its occupancy cap: max(1, floor(cap x on duty)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int BusyLimit(int group) => Math.Max(1, (int)Math.Floor(_rules[group].OccupancyCap * _onDuty[group] + 1e-9));

    /// <summary>The group's proficiency on the type times the operator's learning curve (x: time since first on duty, or
    /// calls handled before this one).</summary>
    private double Multiplier(int group, int op, int callType, double now)
    {
        var rules = _rules[group];
        var multiplier = rules.Proficiency is null ? 1.0 : Proficiency(group, callType);
        if (rules.Learning is { } learning)
        {
            var x = _callsHandled[group] is { } handled ? handled[op]++ : now - _firstOnDuty[group]![op];
            multiplier *= OperatorRules.LearningMultiplier(learning, x);
        }
        return multiplier;
    }
}
