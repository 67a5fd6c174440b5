using CrisisSim.Analytics;

namespace CrisisSim.Planning;

/// <summary>One interval seen as a stationary Erlang A queue (Erlang C without patience): arrival rate, mean handle
/// time, mean patience. The staffing algorithm uses it twice: for its first estimate, and to turn a simulated interval's
/// performance into an equivalent load (the load at which the stationary queue with the same operators performs as the
/// simulation did), from which it computes the operators the targets need.</summary>
internal sealed class IntervalQueue(double ratePerSecond, double meanHandleSeconds, double? meanPatienceSeconds, double thresholdSeconds)
{
    /// <summary>The equivalent load is looked for between the nominal load divided and multiplied by this.</summary>
    private const double CalibrationRange = 16;

    public double Rate => ratePerSecond;

    public double OfferedLoad => ratePerSecond * meanHandleSeconds;

    public enum Measure
    {
        ServiceLevel,
        Abandonment,
        Asa,
    }

    /// <summary>The measure with <paramref name="agents"/> operators and the arrival rate multiplied by
    /// <paramref name="load"/>; the worst value when the queue cannot be solved.</summary>
    public double Value(Measure measure, int agents, double load)
    {
        if (agents <= 0)
        {
            return Worst(measure);
        }
        try
        {
            var queue = new QueueParameters(ratePerSecond * load, meanHandleSeconds, agents);
            if (meanPatienceSeconds is { } patience)
            {
                var model = ErlangA.CreateModel(queue, patience);
                return measure switch
                {
                    Measure.ServiceLevel => model.ServiceLevel(thresholdSeconds),
                    Measure.Abandonment => model.ProbabilityOfAbandonment,
                    _ => model.AverageSpeedOfAnswerSeconds,
                };
            }
            var c = ErlangC.Compute(queue, thresholdSeconds);
            if (!c.IsStable)
            {
                return measure == Measure.Abandonment ? 0 : Worst(measure);
            }
            return measure switch
            {
                Measure.ServiceLevel => c.ServiceLevel,
                Measure.Abandonment => 0,
                _ => c.AverageSpeedOfAnswerSeconds,
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            return Worst(measure);
        }
    }

    private double Worst(Measure measure) => measure switch
    {
        Measure.ServiceLevel => 0,
        Measure.Abandonment => meanPatienceSeconds is null ? 0 : 1,
        _ => double.PositiveInfinity,
    };

    /// <summary>The load multiplier at which <paramref name="agents"/> operators give <paramref name="observed"/>
    /// (each measure worsens as the load grows), within [1/16, 16].</summary>
    public double EquivalentLoad(Measure measure, int agents, double observed)
    {
        bool Worse(double v) => measure == Measure.ServiceLevel ? v < observed : v > observed;
        double lo = Math.Log(1 / CalibrationRange), hi = Math.Log(CalibrationRange);
        if (Worse(Value(measure, agents, Math.Exp(lo))))
        {
            return Math.Exp(lo);
        }
        if (!Worse(Value(measure, agents, Math.Exp(hi))))
        {
            return Math.Exp(hi);
        }
        for (var i = 0; i < 30; i++)
        {
            var mid = (lo + hi) / 2;
            if (Worse(Value(measure, agents, Math.Exp(mid))))
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }
        return Math.Exp((lo + hi) / 2);
    }

    /// <summary>How much one operator less than <paramref name="agents"/> changes <paramref name="measure"/> at the load
    /// where <paramref name="agents"/> give <paramref name="observed"/> (NaN when the queue cannot tell).</summary>
    public double OneOperatorEffect(Measure measure, int agents, double observed)
    {
        if (agents < 2 || double.IsNaN(observed))
        {
            return double.NaN;
        }
        var load = EquivalentLoad(measure, agents, observed);
        var effect = Math.Abs(Value(measure, agents, load) - Value(measure, agents - 1, load));
        return double.IsFinite(effect) ? effect : double.NaN;
    }

    /// <summary>Fewest operators meeting <paramref name="targets"/> at the load multiplied by <paramref name="load"/>,
    /// for the measures listed (all when null); <paramref name="ceiling"/> when none up to it does.</summary>
    public int Required(ServiceTargets targets, double load, int ceiling, Measure? only = null)
    {
        if (ratePerSecond * load <= 0)
        {
            return 0;
        }
        var sl = only is null or Measure.ServiceLevel ? Math.Min(targets.ServiceLevel, 0.9999) : 1e-9;
        var target = new StaffingTarget(sl, targets.ThresholdSeconds);
        if (only is null or Measure.Abandonment && targets.MaxAbandonment is { } ab && ab < 1 && meanPatienceSeconds is not null)
        {
            target = target with { MaxAbandonmentProbability = Math.Max(ab, 1e-6) };
        }
        if (only is null or Measure.Asa && targets.MaxAsaSeconds is { } asa)
        {
            target = target with { MaxAverageSpeedOfAnswerSeconds = Math.Max(asa, 1e-3) };
        }
        try
        {
            var n = meanPatienceSeconds is { } patience
                ? Staffing.MinimumAgents(ratePerSecond * load, meanHandleSeconds, patience, target)
                : Staffing.MinimumAgents(ratePerSecond * load, meanHandleSeconds, target);
            return Math.Min(n, ceiling);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentOutOfRangeException)
        {
            return ceiling;
        }
    }
}
