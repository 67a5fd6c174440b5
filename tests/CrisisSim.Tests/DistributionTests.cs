using CrisisSim.Model.Distributions;
using CrisisSim.Model.Randomness;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Tests;

public sealed class DistributionTests
{
    private const int N = 200_000;

    public static TheoryData<DistributionSpec, double> Specs => new()
    {
        { new ExponentialSpec(180), 180 },
        { new LogNormalSpec(240, 150), 150 },
        { new GammaSpec(300, 90), 90 },
        { new GammaSpec(60, 120), 120 },
        { new DeterministicSpec(42), 0 },
        { new EmpiricalSpec([10, 20, 60, 110]), Math.Sqrt(new[] { 10.0, 20, 60, 110 }.Select(v => (v - 50) * (v - 50)).Average()) },
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void Samples_have_the_specified_mean_and_spread(DistributionSpec spec, double sd)
    {
        var d = Distribution.From(spec);
        var stream = RandomStream.For(3, 0, "test");
        double sum = 0, squares = 0;
        for (var i = 0; i < N; i++)
        {
            var x = d.Sample(stream);
            Assert.True(x >= 0);
            sum += x;
            squares += x * x;
        }
        var mean = sum / N;
        var variance = squares / N - mean * mean;
        // 5 standard errors of the mean; the spread within 3 % (all these have a finite fourth moment).
        Assert.InRange(mean, spec.Mean - 5 * sd / Math.Sqrt(N), spec.Mean + 5 * sd / Math.Sqrt(N));
        Assert.InRange(Math.Sqrt(Math.Max(variance, 0)), sd * 0.97 - 1e-9, sd * 1.03 + 1e-9);
    }

    [Fact]
    public void Empirical_draws_only_the_recorded_values()
    {
        var d = Distribution.From(new EmpiricalSpec([5, 7]));
        var stream = RandomStream.For(1, 0, "e");
        var seen = Enumerable.Range(0, 1000).Select(_ => d.Sample(stream)).Distinct().Order().ToArray();
        Assert.Equal([5.0, 7.0], seen);
    }
}
