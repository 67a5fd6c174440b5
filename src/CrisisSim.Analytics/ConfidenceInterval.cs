using MathNet.Numerics.Distributions;

namespace CrisisSim.Analytics;

/// <summary>
/// Student-t confidence interval for the mean of independent replication results, e.g. the
/// service level observed in each of several simulation runs.
/// </summary>
/// <param name="Count">Number of values.</param>
/// <param name="Mean">Sample mean (NaN when there are no values).</param>
/// <param name="StandardDeviation">Sample standard deviation with divisor Count − 1 (NaN when Count &lt; 2).</param>
/// <param name="HalfWidth">
/// Half-width t(1 − (1 − level)/2; Count − 1) · s / √Count of the interval (NaN when Count &lt; 2).
/// </param>
/// <param name="Level">Confidence level, e.g. 0.95.</param>
public sealed record ConfidenceInterval(int Count, double Mean, double StandardDeviation, double HalfWidth, double Level)
{
    /// <summary>Default confidence level (95 %).</summary>
    public const double DefaultLevel = 0.95;

    /// <summary>Lower end of the interval, Mean − HalfWidth.</summary>
    public double Lower => Mean - HalfWidth;

    /// <summary>Upper end of the interval, Mean + HalfWidth.</summary>
    public double Upper => Mean + HalfWidth;

    /// <summary>Standard error of the mean, s / √Count (NaN when Count &lt; 2).</summary>
    public double StandardError => StandardDeviation / Math.Sqrt(Count);

    /// <summary>
    /// The interval from running moments (see <see cref="RunningMoments"/>): the same values as
    /// <see cref="FromSamples"/> up to rounding, without keeping the samples.
    /// </summary>
    public static ConfidenceInterval FromMoments(in RunningMoments moments, double level = DefaultLevel)
    {
        Guard.OpenUnitInterval(level, nameof(level));
        var count = moments.Count;
        if (count == 0)
        {
            return new ConfidenceInterval(0, double.NaN, double.NaN, double.NaN, level);
        }
        if (count < 2)
        {
            return new ConfidenceInterval(count, moments.Mean, double.NaN, double.NaN, level);
        }
        var standardDeviation = Math.Sqrt(Math.Max(0.0, moments.Variance));
        var halfWidth = StudentQuantile(count - 1, level) * standardDeviation / Math.Sqrt(count);
        return new ConfidenceInterval(count, moments.Mean, standardDeviation, halfWidth, level);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int, double), double> Quantiles = new();

    /// <summary>The two-sided Student-t quantile, cached: a run asks for it once per KPI and interval.</summary>
    private static double StudentQuantile(int degreesOfFreedom, double level) =>
        Quantiles.GetOrAdd((degreesOfFreedom, level), static key => StudentT.InvCDF(0.0, 1.0, key.Item1, 1.0 - ((1.0 - key.Item2) / 2.0)));

    /// <summary>
    /// Computes the mean, sample standard deviation and Student-t confidence half-width of
    /// <paramref name="values"/>.
    /// </summary>
    /// <param name="values">Replication results; must be finite.</param>
    /// <param name="level">Confidence level strictly between 0 and 1 (default 0.95).</param>
    public static ConfidenceInterval FromSamples(ReadOnlySpan<double> values, double level = DefaultLevel)
    {
        Guard.OpenUnitInterval(level, nameof(level));
        int count = values.Length;
        if (count == 0)
        {
            return new ConfidenceInterval(0, double.NaN, double.NaN, double.NaN, level);
        }

        double sum = 0.0;
        foreach (double value in values)
        {
            if (!double.IsFinite(value))
            {
                throw new ArgumentException("Replication values must be finite.", nameof(values));
            }

            sum += value;
        }

        double mean = sum / count;
        if (count < 2)
        {
            return new ConfidenceInterval(count, mean, double.NaN, double.NaN, level);
        }

        // Two-pass variance with the compensating correction term.
        double squares = 0.0;
        double deviations = 0.0;
        foreach (double value in values)
        {
            double deviation = value - mean;
            squares += deviation * deviation;
            deviations += deviation;
        }

        double variance = (squares - (deviations * deviations / count)) / (count - 1);
        double standardDeviation = Math.Sqrt(Math.Max(0.0, variance));
        double quantile = StudentT.InvCDF(0.0, 1.0, count - 1, 1.0 - ((1.0 - level) / 2.0));
        double halfWidth = quantile * standardDeviation / Math.Sqrt(count);
        return new ConfidenceInterval(count, mean, standardDeviation, halfWidth, level);
    }
}

/// <summary>Count, mean and sum of squared deviations of a stream of values (Welford's update), so that a mean and its
/// confidence interval need neither the values nor memory that grows with them.</summary>
public struct RunningMoments
{
    private double _m2;

    public int Count { get; private set; }

    public double Mean { get; private set; }

    /// <summary>Sample variance (divisor Count − 1); NaN with fewer than two values.</summary>
    public readonly double Variance => Count < 2 ? double.NaN : _m2 / (Count - 1);

    /// <summary>Adds a finite value; NaN (a KPI undefined in this replication) is skipped.</summary>
    public void Add(double value)
    {
        if (double.IsNaN(value))
        {
            return;
        }
        if (!double.IsFinite(value))
        {
            throw new ArgumentException("Replication values must be finite.", nameof(value));
        }
        Count++;
        var delta = value - Mean;
        Mean += delta / Count;
        _m2 += delta * (value - Mean);
    }
}
