using MathNet.Numerics.Distributions;

namespace CrisisSim.Analytics;

/// <summary>A probability estimated from independent trials (the replications that meet a target, for example) and its
/// Wilson score interval: unlike p ± z·√(p(1 − p)/n), it stays inside [0, 1] and is not empty when every trial or none
/// succeeded, which is exactly where a risk level is judged.</summary>
/// <param name="Estimate">Successes / count (NaN without trials).</param>
/// <param name="Lower">Lower end of the interval (NaN without trials).</param>
/// <param name="Upper">Upper end of the interval (NaN without trials).</param>
/// <param name="Count">Number of trials (an effective number when the trials are weighted).</param>
/// <param name="Level">Confidence level, e.g. 0.95.</param>
public readonly record struct ProportionInterval(double Estimate, double Lower, double Upper, double Count, double Level)
{
    /// <summary>The interval of <paramref name="successes"/> out of <paramref name="count"/> trials (both may be
    /// fractional: weighted trials with their effective count).</summary>
    public static ProportionInterval Wilson(double successes, double count, double level = ConfidenceInterval.DefaultLevel)
    {
        Guard.OpenUnitInterval(level, nameof(level));
        if (!(count > 0))
        {
            return new ProportionInterval(double.NaN, double.NaN, double.NaN, 0, level);
        }
        var p = Math.Clamp(successes / count, 0, 1);
        var z = NormalQuantile(level);
        var z2n = z * z / count;
        var center = (p + z2n / 2) / (1 + z2n);
        var half = z / (1 + z2n) * Math.Sqrt(p * (1 - p) / count + z2n / (4 * count));
        // The ends are exact at p = 0 and p = 1; clamping only removes rounding.
        return new ProportionInterval(p, p == 0 ? 0 : Math.Max(0, center - half), p == 1 ? 1 : Math.Min(1, center + half), count, level);
    }

    /// <summary>The fewest trials, all successful, whose Wilson lower bound reaches <paramref name="probability"/>:
    /// z²·p / (1 − p), rounded up; no finite number shows a probability of 1.</summary>
    public static double TrialsToShow(double probability, double level = ConfidenceInterval.DefaultLevel)
    {
        Guard.OpenUnitInterval(level, nameof(level));
        if (probability >= 1)
        {
            return double.PositiveInfinity;
        }
        var z = NormalQuantile(level);
        return Math.Max(1, Math.Ceiling(z * z * probability / (1 - probability) - 1e-9));
    }

    /// <summary>The two-sided standard normal quantile of <paramref name="level"/> (1.96 at 0.95).</summary>
    public static double NormalQuantile(double level) => Normal.InvCDF(0, 1, 1 - (1 - level) / 2);
}

/// <summary>The mean over strata (the members of an ensemble, each equally or otherwise weighted) of values replicated
/// independently within each stratum, and the confidence half-width of that mean. Only the variation within a stratum
/// is Monte Carlo error: the strata are fixed, so their spread does not widen the interval.</summary>
public struct StratifiedMean
{
    private double _weight, _sum, _variance;
    private int _degreesOfFreedom;
    private bool _undefined;

    /// <summary>Adds a stratum of weight <paramref name="weight"/> whose replications gave <paramref name="moments"/>.</summary>
    public void Add(double weight, in RunningMoments moments)
    {
        if (moments.Count == 0)
        {
            return;
        }
        _weight += weight;
        _sum += weight * moments.Mean;
        if (moments.Count < 2)
        {
            _undefined = true;
            return;
        }
        _variance += weight * weight * moments.Variance / moments.Count;
        _degreesOfFreedom += moments.Count - 1;
    }

    /// <summary>The weighted mean (NaN before any stratum).</summary>
    public readonly double Mean => _weight > 0 ? _sum / _weight : double.NaN;

    /// <summary>Student-t half-width at <paramref name="level"/> with the pooled degrees of freedom; NaN when a stratum
    /// has fewer than two replications.</summary>
    public readonly double HalfWidth(double level = ConfidenceInterval.DefaultLevel)
    {
        Guard.OpenUnitInterval(level, nameof(level));
        if (_undefined || _degreesOfFreedom < 1 || !(_weight > 0))
        {
            return double.NaN;
        }
        var standardError = Math.Sqrt(Math.Max(0, _variance)) / _weight;
        return standardError == 0 ? 0 : StudentT.InvCDF(0, 1, _degreesOfFreedom, 1 - (1 - level) / 2) * standardError;
    }
}
