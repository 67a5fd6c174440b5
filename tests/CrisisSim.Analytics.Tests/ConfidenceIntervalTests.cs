namespace CrisisSim.Analytics.Tests;

public sealed class ConfidenceIntervalTests
{
    [Fact]
    public void FiveValues_MatchHandComputedStudentInterval()
    {
        double[] values = [1.0, 2.0, 3.0, 4.0, 5.0];
        ConfidenceInterval interval = ConfidenceInterval.FromSamples(values);

        // s = √2.5; t(0.975; 4) = 2.7764451051977987; half-width = t·s/√5 = t/√2.
        Assert.Equal(5, interval.Count);
        Assert.Equal(3.0, interval.Mean, 1e-14);
        Assert.Equal(Math.Sqrt(2.5), interval.StandardDeviation, 1e-14);
        Assert.Equal(2.7764451051977987 / Math.Sqrt(2.0), interval.HalfWidth, 1e-10);
        Assert.Equal(3.0 - interval.HalfWidth, interval.Lower, 1e-14);
        Assert.Equal(3.0 + interval.HalfWidth, interval.Upper, 1e-14);
        Assert.Equal(0.95, interval.Level);
    }

    [Fact]
    public void OtherLevel_UsesMatchingQuantile()
    {
        double[] values = [0.81, 0.84, 0.79, 0.86, 0.80, 0.83, 0.85, 0.82];
        ConfidenceInterval interval = ConfidenceInterval.FromSamples(values, 0.90);

        double mean = values.Average();
        double s = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / 7.0);

        // t(0.95; 7) = 1.894578605.
        Assert.Equal(mean, interval.Mean, 1e-14);
        Assert.Equal(s, interval.StandardDeviation, 1e-14);
        Assert.Equal(1.894578605 * s / Math.Sqrt(8.0), interval.HalfWidth, 1e-8);
    }

    [Fact]
    public void LargeOffset_DoesNotLosePrecision()
    {
        double[] values = [1e9 + 1.0, 1e9 + 2.0, 1e9 + 3.0];
        ConfidenceInterval interval = ConfidenceInterval.FromSamples(values);

        Assert.Equal(1.0, interval.StandardDeviation, 1e-6);
    }

    [Fact]
    public void FewerThanTwoValues_GiveNaNHalfWidth()
    {
        ConfidenceInterval single = ConfidenceInterval.FromSamples([0.7]);
        ConfidenceInterval none = ConfidenceInterval.FromSamples([]);

        Assert.Equal(0.7, single.Mean);
        Assert.True(double.IsNaN(single.StandardDeviation));
        Assert.True(double.IsNaN(single.HalfWidth));
        Assert.Equal(0, none.Count);
        Assert.True(double.IsNaN(none.Mean));
        Assert.True(double.IsNaN(none.HalfWidth));
    }

    [Fact]
    public void Arguments_AreValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ConfidenceInterval.FromSamples([1.0, 2.0], 1.0));
        Assert.Throws<ArgumentException>(() => ConfidenceInterval.FromSamples([1.0, double.NaN]));
    }
}
