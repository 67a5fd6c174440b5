namespace CrisisSim.Traces;

/// <summary>What a call log shows in one interval of the day, averaged over the days observed.</summary>
/// <param name="Offered">Calls arriving (phantom calls left out), per day.</param>
/// <param name="Abandoned">Calls abandoned in the queue, per day.</param>
/// <param name="MeanWaitAnswered">Mean time from arrival to the operator of answered calls (recorded message and
/// queue), in seconds; NaN without an answered call.</param>
/// <param name="OperatorsBusy">Mean operators talking: talk seconds overlapping the interval over its length, per day.</param>
public sealed record ObservedInterval(int Index, double Offered, double Answered, double Abandoned, double MeanWaitAnswered, double OperatorsBusy)
{
    public double AbandonmentRate => Offered > 0 ? Abandoned / Offered : double.NaN;
}

/// <summary>The observed side of a replay: a call log summed per interval of the day over the days of a day type.</summary>
public static class TraceObservation
{
    public static (IReadOnlyList<ObservedInterval> Intervals, int Days) Observe(IEnumerable<TraceRecord> records, IReadOnlySet<DayOfWeek> days, IReadOnlySet<string> callTypes, int intervalSeconds)
    {
        if (intervalSeconds <= 0 || 86_400 % intervalSeconds != 0)
        {
            throw new ArgumentException("The interval must divide a day", nameof(intervalSeconds));
        }
        var perDay = 86_400 / intervalSeconds;
        var offered = new double[perDay];
        var answered = new double[perDay];
        var abandoned = new double[perDay];
        var wait = new double[perDay];
        var busy = new double[perDay];
        var dates = new HashSet<DateTime>();
        foreach (var r in records)
        {
            var date = r.Arrival.Date;
            if (!days.Contains(date.DayOfWeek) || r.Outcome == TraceOutcome.Phantom || !callTypes.Contains(r.CallType))
            {
                continue;
            }
            dates.Add(date);
            var k = (int)(r.Arrival.TimeOfDay.TotalSeconds / intervalSeconds);
            offered[k]++;
            if (r.Outcome == TraceOutcome.Abandoned)
            {
                abandoned[k]++;
            }
            else if (r.Outcome == TraceOutcome.Answered)
            {
                answered[k]++;
                wait[k] += r.MessageSeconds + r.QueueSeconds;
                // Talk time spread over the intervals of the day it overlaps (a talk past midnight is cut there).
                var start = (r.ServiceStart - date).TotalSeconds;
                var end = Math.Min(86_400, start + r.HandleSeconds);
                for (var j = (int)(start / intervalSeconds); j < perDay && j * intervalSeconds < end; j++)
                {
                    busy[j] += Math.Min(end, (j + 1.0) * intervalSeconds) - Math.Max(start, (double)j * intervalSeconds);
                }
            }
        }
        var n = Math.Max(1, dates.Count);
        var rows = Enumerable.Range(0, perDay).Select(k => new ObservedInterval(
            k, offered[k] / n, answered[k] / n, abandoned[k] / n, answered[k] > 0 ? wait[k] / answered[k] : double.NaN, busy[k] / intervalSeconds / n)).ToArray();
        return (rows, dates.Count);
    }
}
