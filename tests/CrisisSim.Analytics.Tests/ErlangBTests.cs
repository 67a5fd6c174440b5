namespace CrisisSim.Analytics.Tests;

public sealed class ErlangBTests
{
    [Theory]
    [InlineData(1, 1.0, 0.5)]
    [InlineData(2, 1.0, 0.2)]
    [InlineData(3, 2.0, 4.0 / 19.0)]
    [InlineData(0, 3.7, 1.0)]
    [InlineData(1, 3.0, 0.75)]
    [InlineData(4, 0.0, 0.0)]
    public void Blocking_MatchesHandComputedValues(int servers, double load, double expected)
    {
        Assert.Equal(expected, ErlangB.Blocking(servers, load), 1e-14);
    }

    [Theory]
    [InlineData(10, 7.0)]
    [InlineData(50, 42.5)]
    [InlineData(1000, 950.0)]
    [InlineData(1000, 1200.0)]
    [InlineData(300, 100.0)]
    public void Blocking_MatchesDirectSum(int servers, double load)
    {
        double expected = ReferenceFormulas.ErlangBDirect(servers, load);
        Assert.Equal(1.0, ErlangB.Blocking(servers, load) / expected, 1e-10);
    }

    [Fact]
    public void Blocking_IsFiniteForVeryLargePools()
    {
        double nearCapacity = ErlangB.Blocking(100_000, 99_000.0);
        double lightLoad = ErlangB.Blocking(100_000, 1_000.0);
        double overload = ErlangB.Blocking(100_000, 200_000.0);

        Assert.InRange(nearCapacity, 1e-6, 1e-2);
        Assert.Equal(0.0, lightLoad);
        Assert.True(ErlangB.LogBlocking(100_000, 1_000.0) is < -100_000 and > double.NegativeInfinity);

        // For a ≫ n, B → 1 − n/a.
        Assert.Equal(0.5, overload, 1e-3);
    }

    [Fact]
    public void LogBlocking_MatchesDirectSumWhereBlockingUnderflows()
    {
        const int Servers = 400;
        const double Load = 5.0;
        double logDenominator = ReferenceFormulas.LogSumExp(
            Enumerable.Range(0, Servers + 1).Select(k => ReferenceFormulas.LogPoissonTerm(k, Load)));
        double expected = ReferenceFormulas.LogPoissonTerm(Servers, Load) - logDenominator;

        Assert.True(expected < -745.0, "reference value must be below double range");
        Assert.Equal(1.0, ErlangB.LogBlocking(Servers, Load) / expected, 1e-12);
    }

    [Fact]
    public void Blocking_DecreasesWithServers()
    {
        double previous = 1.0;
        for (int n = 1; n <= 60; n++)
        {
            double current = ErlangB.Blocking(n, 30.0);
            Assert.True(current < previous);
            previous = current;
        }
    }

    [Theory]
    [InlineData(10.0, 0.01)]
    [InlineData(250.0, 0.001)]
    public void MinimumServers_IsMinimal(double load, double maxBlocking)
    {
        int n = ErlangB.MinimumServers(load, maxBlocking);

        Assert.True(ErlangB.Blocking(n, load) <= maxBlocking);
        Assert.True(ErlangB.Blocking(n - 1, load) > maxBlocking);
    }

    [Fact]
    public void Arguments_AreValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangB.Blocking(-1, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangB.Blocking(1, -1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangB.Blocking(1, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangB.MinimumServers(1.0, 1.0));
    }
}
