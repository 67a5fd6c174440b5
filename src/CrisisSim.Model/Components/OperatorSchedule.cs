using CrisisSim.Model.Scenario;

namespace CrisisSim.Model.Components;

/// <summary>A count of operators over the run as steps: <see cref="Counts"/>[i] from <see cref="Times"/>[i] (the first
/// step is at 0) until the next step, or the horizon. Times are ascending and below the horizon; consecutive counts
/// differ.</summary>
public sealed class OperatorSchedule
{
    private const double Day = 86_400;

    private OperatorSchedule(double[] times, int[] counts)
    {
        Times = times;
        Counts = counts;
    }

    public double[] Times { get; }

    public int[] Counts { get; }

    /// <summary>The most operators at any time of the schedule.</summary>
    public int Max => Counts.Length == 0 ? 0 : Counts.Max();

    /// <summary>The count in force at <paramref name="time"/>.</summary>
    public int At(double time)
    {
        var i = Array.BinarySearch(Times, time);
        if (i < 0)
        {
            i = ~i - 1;
        }
        return i < 0 ? 0 : Counts[i];
    }

    /// <summary>The operators a group's plan schedules (before shrinkage and activation): its shifts, or its staffing per
    /// interval.</summary>
    public static OperatorSchedule Scheduled(OperatorGroupSpec group, double intervalSeconds, int intervalCount, double clockStartSeconds)
    {
        var horizon = intervalSeconds * intervalCount;
        if (group.Shifts is null)
        {
            var steps = new Steps();
            for (var k = 0; k < intervalCount && k < group.Staffing.Count; k++)
            {
                steps.Add(k * intervalSeconds, group.Staffing[k]);
            }
            return steps.ToSchedule();
        }
        var times = new List<double>();
        var deltas = new List<int>();
        void Add(double time, int delta)
        {
            times.Add(time);
            deltas.Add(delta);
        }
        foreach (var shift in group.Shifts)
        {
            var length = shift.LengthSeconds;
            foreach (var start in ShiftStarts(shift, horizon, clockStartSeconds))
            {
                Add(start, shift.Operators);
                Add(start + length, -shift.Operators);
                foreach (var b in shift.Breaks)
                {
                    var offset = BreakOffset(shift, b);
                    Add(start + offset, -shift.Operators);
                    Add(start + offset + b.DurationSeconds, shift.Operators);
                }
            }
        }
        // Sorted by time only: the changes at one time are summed, so their order does not matter.
        var eventTimes = times.ToArray();
        var eventDeltas = deltas.ToArray();
        Array.Sort(eventTimes, eventDeltas);
        var result = new Steps();
        var value = 0;
        var i = 0;
        while (i < eventTimes.Length && eventTimes[i] <= 0)
        {
            value += eventDeltas[i++];
        }
        result.Add(0, value);
        while (i < eventTimes.Length && eventTimes[i] < horizon)
        {
            var t = eventTimes[i];
            while (i < eventTimes.Length && eventTimes[i] == t)
            {
                value += eventDeltas[i++];
            }
            result.Add(t, value);
        }
        return result.ToSchedule();
    }

    /// <summary>The operators of a group on duty (able to take calls) over the run: the schedule less shrinkage,
    /// round(scheduled x (1 - shrinkage)) with halves rounded up, and never more than an outsourced provider has
    /// activated: none before onset + delay, then 1, and one more every 1/perHour hour up to max.</summary>
    public static OperatorSchedule OnDuty(OperatorGroupSpec group, ScenarioDefinition scenario)
    {
        var scheduled = Scheduled(group, scenario.IntervalSeconds, scenario.IntervalCount, scenario.ClockStartSeconds);
        // A provider a playbook rule activates: as if activated at the start (the earliest it can be; the router plays the
        // rule itself, see ContactCenter).
        var activation = ActivationTimes(group.Activation, scenario.Playbook?.Activates(group.Name) == true ? 0 : scenario.OnsetSeconds, scenario.HorizonSeconds);
        var steps = new Steps();
        int i = 0, j = 0;
        var current = 0;
        while (i < scheduled.Times.Length || j < activation.Length)
        {
            var t = Math.Min(i < scheduled.Times.Length ? scheduled.Times[i] : double.PositiveInfinity, j < activation.Length ? activation[j] : double.PositiveInfinity);
            while (i < scheduled.Times.Length && scheduled.Times[i] == t)
            {
                current = scheduled.Counts[i++];
            }
            while (j < activation.Length && activation[j] == t)
            {
                j++;
            }
            var onDuty = Shrunk(current, group.Shrinkage);
            if (group.Activation is not null)
            {
                onDuty = Math.Min(onDuty, j);
            }
            steps.Add(t, onDuty);
        }
        return steps.ToSchedule();
    }

    /// <summary>round(scheduled x (1 - shrinkage)), halves up; exactly <paramref name="scheduled"/> without shrinkage.</summary>
    public static int Shrunk(int scheduled, double shrinkage) =>
        shrinkage == 0 ? scheduled : (int)Math.Floor(scheduled * (1 - shrinkage) + 0.5);

    /// <summary>When an outsourced provider's operators 1, 2 … max become available (before the horizon).</summary>
    public static double[] ActivationTimes(ActivationSpec? activation, double onsetSeconds, double horizonSeconds)
    {
        if (activation is null)
        {
            return [];
        }
        var first = onsetSeconds + activation.DelaySeconds;
        var step = 3600 / activation.PerHour;
        var count = first >= horizonSeconds ? 0 : (int)Math.Min(activation.Max, Math.Floor((horizonSeconds - first) / step) + 1);
        var times = new List<double>(count);
        for (var k = 0; k < count; k++)
        {
            var t = first + k * step;
            if (t < horizonSeconds)
            {
                times.Add(t);
            }
        }
        return [.. times];
    }

    /// <summary>The most operators the plan schedules at any time within each interval (before shrinkage and
    /// activation): the per-interval staffing of a group given by shifts.</summary>
    public static int[] PeakPerInterval(OperatorGroupSpec group, double intervalSeconds, int intervalCount, double clockStartSeconds)
    {
        var s = Scheduled(group, intervalSeconds, intervalCount, clockStartSeconds);
        var peaks = new int[intervalCount];
        for (var i = 0; i < s.Times.Length; i++)
        {
            var from = (int)(s.Times[i] / intervalSeconds);
            var end = i + 1 < s.Times.Length ? s.Times[i + 1] : intervalSeconds * intervalCount;
            // The step covers [Times[i], end): the intervals it touches.
            var to = Math.Min(intervalCount - 1, (int)Math.Ceiling(end / intervalSeconds) - 1);
            for (var k = Math.Min(from, intervalCount - 1); k <= to; k++)
            {
                peaks[k] = Math.Max(peaks[k], s.Counts[i]);
            }
        }
        return peaks;
    }

    /// <summary>The mean operators on duty in each interval by the group's plan (schedule, shrinkage, activation; before
    /// any call keeps an operator longer): its per-interval staffing for a group without a schedule.</summary>
    public static double[] MeanOnDutyPerInterval(OperatorGroupSpec group, ScenarioDefinition scenario)
    {
        var n = scenario.IntervalCount;
        if (!group.HasSchedule)
        {
            return [.. group.Staffing.Take(n).Select(x => (double)x)];
        }
        var onDuty = OnDuty(group, scenario);
        var width = scenario.IntervalSeconds;
        var seconds = new double[n];
        for (var i = 0; i < onDuty.Times.Length; i++)
        {
            var from = onDuty.Times[i];
            var to = i + 1 < onDuty.Times.Length ? onDuty.Times[i + 1] : width * n;
            while (from < to)
            {
                var k = Math.Min(n - 1, (int)(from / width));
                var end = Math.Min(to, (k + 1) * width);
                seconds[k] += onDuty.Counts[i] * (end - from);
                from = end;
            }
        }
        return [.. seconds.Select(x => x / width)];
    }

    /// <summary>An upper bound on the steps of the group's on-duty schedule over the run, computed without building it
    /// (see <see cref="ScenarioLimits.MaxScheduleChanges"/>); 0 for a group without a schedule.</summary>
    public static long ChangeBound(OperatorGroupSpec group, double intervalSeconds, int intervalCount, double clockStartSeconds, double onsetSeconds)
    {
        if (!group.HasSchedule)
        {
            return 0;
        }
        var horizon = intervalSeconds * intervalCount;
        long changes = 1;
        if (group.Shifts is null)
        {
            changes += intervalCount;
        }
        else
        {
            foreach (var shift in group.Shifts)
            {
                changes += (long)ShiftStarts(shift, horizon, clockStartSeconds).Count() * (2 + 2 * shift.Breaks.Count);
            }
        }
        if (group.Activation is { } a)
        {
            var first = onsetSeconds + a.DelaySeconds;
            changes += first >= horizon ? 0 : (long)Math.Min(a.Max, Math.Floor((horizon - first) / (3600 / a.PerHour)) + 1);
        }
        return changes;
    }

    /// <summary>The run times at which the shift starts on the days it overlaps the run [0, horizon).</summary>
    private static IEnumerable<double> ShiftStarts(ShiftSpec shift, double horizon, double clockStartSeconds)
    {
        var lastDay = (int)Math.Ceiling((horizon + clockStartSeconds) / Day);
        for (var d = -1; d <= lastDay; d++)
        {
            var start = d * Day + shift.StartSeconds - clockStartSeconds;
            if (start + shift.LengthSeconds > 0 && start < horizon)
            {
                yield return start;
            }
        }
    }

    /// <summary>Seconds from the shift's start to the break's start.</summary>
    public static double BreakOffset(ShiftSpec shift, BreakSpec b) => ((b.AtSeconds - shift.StartSeconds) % Day + Day) % Day;

    private sealed class Steps
    {
        private readonly List<double> _times = [];
        private readonly List<int> _counts = [];

        public void Add(double time, int count)
        {
            if (_counts.Count > 0 && _counts[^1] == count)
            {
                return;
            }
            if (_times.Count > 0 && _times[^1] == time)
            {
                _counts[^1] = count;
                if (_counts.Count > 1 && _counts[^2] == count)
                {
                    _times.RemoveAt(_times.Count - 1);
                    _counts.RemoveAt(_counts.Count - 1);
                }
                return;
            }
            _times.Add(time);
            _counts.Add(count);
        }

        public OperatorSchedule ToSchedule() => _times.Count == 0 ? new([0], [0]) : new([.. _times], [.. _counts]);
    }
}
