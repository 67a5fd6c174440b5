using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

namespace CrisisSim.Analytics.Tests;

public sealed class MeanDifferenceTests
{
    [Fact]
    public void Paired_test_of_a_worked_example()
    {
        // Differences 1, 1, 2, 1: mean 1.25, sd 0.5, standard error 0.25, t = 5 on 3 degrees of freedom.
        var d = MeanDifference.Paired([1, 2, 3, 4], [2, 3, 5, 5]);
        Assert.True(d.Paired);
        Assert.Equal(1.25, d.Delta, 12);
        Assert.Equal(2 * (1 - StudentT.CDF(0, 1, 3, 5)), d.PValue, 12);
        Assert.Equal(StudentT.InvCDF(0, 1, 3, 0.975) * 0.25, d.HalfWidth, 12);
        Assert.InRange(d.PValue, 0.015, 0.016);
    }

    [Fact]
    public void Paired_test_skips_pairs_with_an_undefined_value_and_identical_runs_do_not_differ()
    {
        var d = MeanDifference.Paired([1, double.NaN, 3, 4, 5], [2, 7, 4, 5, 6]);
        Assert.Equal(1, d.Delta, 12);
        Assert.Equal(0, d.PValue);
        var same = MeanDifference.Paired([1, 2, 3], [1, 2, 3]);
        Assert.Equal(0, same.Delta);
        Assert.Equal(1, same.PValue);
        Assert.Throws<ArgumentException>(() => MeanDifference.Paired([1, 2], [1]));
    }

    [Fact]
    public void Welch_from_two_confidence_intervals_equals_welch_from_the_samples()
    {
        double[] a = [10.1, 12.3, 9.8, 11.0, 10.7, 12.9, 9.5];
        double[] b = [12.2, 13.9, 12.8, 14.1, 13.3];
        var ca = ConfidenceInterval.FromSamples(a);
        var cb = ConfidenceInterval.FromSamples(b);
        var d = MeanDifference.Welch(ca.Mean, ca.HalfWidth, ca.Count, cb.Mean, cb.HalfWidth, cb.Count);

        // Welch's test written out from the samples.
        var va = ca.StandardDeviation * ca.StandardDeviation / a.Length;
        var vb = cb.StandardDeviation * cb.StandardDeviation / b.Length;
        var df = (va + vb) * (va + vb) / (va * va / (a.Length - 1) + vb * vb / (b.Length - 1));
        var t = (b.Average() - a.Average()) / Math.Sqrt(va + vb);
        Assert.False(d.Paired);
        Assert.Equal(b.Average() - a.Average(), d.Delta, 12);
        Assert.Equal(2 * (1 - StudentT.CDF(0, 1, df, t)), d.PValue, 9);
        Assert.Equal(StudentT.InvCDF(0, 1, df, 0.975) * Math.Sqrt(va + vb), d.HalfWidth, 9);
    }

    [Fact]
    public void Welch_is_undefined_with_fewer_than_two_replications()
    {
        var d = MeanDifference.Welch(1, double.NaN, 1, 2, 0.5, 10);
        Assert.Equal(1, d.Delta);
        Assert.True(double.IsNaN(d.PValue));
        Assert.False(d.IsSignificant());
    }

    [Fact]
    public void Both_tests_reject_a_true_null_hypothesis_at_their_nominal_rate()
    {
        // 4,000 comparisons of two runs of 10 replications from the same normal distribution: the share of p < 0.05
        // is a binomial proportion around 0.05 (standard deviation 0.0034); allow four standard deviations.
        var random = new Xoshiro256StarStar(12345);
        const int trials = 4000;
        var welch = 0;
        var paired = 0;
        var a = new double[10];
        var b = new double[10];
        for (var i = 0; i < trials; i++)
        {
            Normal.Samples(random, a, 50, 5);
            Normal.Samples(random, b, 50, 5);
            var ca = ConfidenceInterval.FromSamples(a);
            var cb = ConfidenceInterval.FromSamples(b);
            welch += MeanDifference.Welch(ca.Mean, ca.HalfWidth, ca.Count, cb.Mean, cb.HalfWidth, cb.Count).IsSignificant() ? 1 : 0;
            paired += MeanDifference.Paired(a, b).IsSignificant() ? 1 : 0;
        }
        var tolerance = 4 * Math.Sqrt(0.05 * 0.95 / trials);
        Assert.InRange(welch / (double)trials, 0.05 - tolerance, 0.05 + tolerance);
        Assert.InRange(paired / (double)trials, 0.05 - tolerance, 0.05 + tolerance);
    }
}
