namespace CrisisSim.Analytics.Tests;

public sealed class ErlangCTests
{
    // 100 calls per 30 minutes, 180 s handle time: 10 Erlangs.
    private static readonly QueueParameters Textbook = QueueParameters.FromInterval(100, 1800, 180, 14);

    [Fact]
    public void Textbook_ProbabilityOfWaitAndServiceLevel()
    {
        ErlangCResult result = ErlangC.Compute(Textbook, 20);

        Assert.Equal(10.0, result.OfferedLoad, 1e-12);
        Assert.True(result.IsStable);
        Assert.Equal(0.1741, result.ProbabilityOfWait, 1e-4);

        // SL = 1 − C·e^(−(14 − 10)/180 · 20), ASA = C / ((14 − 10)/180).
        double c = ReferenceFormulas.ErlangCDirect(14, 10.0);
        Assert.Equal(c, result.ProbabilityOfWait, 1e-12);
        Assert.Equal(1.0 - (c * Math.Exp(-80.0 / 180.0)), result.ServiceLevel, 1e-12);
        Assert.Equal(0.8884, result.ServiceLevel, 1e-4);
        Assert.Equal(c * 45.0, result.AverageSpeedOfAnswerSeconds, 1e-10);
        Assert.Equal(result.AverageSpeedOfAnswerSeconds, result.MeanWaitSeconds);
        Assert.Equal(45.0, result.MeanWaitOfDelayedCallsSeconds, 1e-10);
        Assert.Equal(1.0 - result.ServiceLevel, result.ProbabilityWaitExceedsThreshold, 1e-14);
        Assert.Equal(10.0 / 14.0, result.Occupancy, 1e-14);
        Assert.Equal(ErlangB.Blocking(14, 10.0), result.BlockingProbability, 1e-14);

        // Little's law: E[Q] = λ·E[W].
        Assert.Equal(100.0 / 1800.0 * result.MeanWaitSeconds, result.MeanQueueLength, 1e-12);
    }

    [Fact]
    public void ProbabilityOfWait_AgreesWithErlangBIdentity()
    {
        // C = n·B / (n − a(1 − B)).
        foreach ((int n, double a) in new[] { (1, 0.3), (5, 4.2), (30, 25.0), (200, 190.5) })
        {
            double b = ErlangB.Blocking(n, a);
            double expected = n * b / (n - (a * (1.0 - b)));
            Assert.Equal(expected, ErlangC.ProbabilityOfWait(n, a), 1e-12);
            Assert.Equal(ReferenceFormulas.ErlangCDirect(n, a), ErlangC.ProbabilityOfWait(n, a), 1e-12);
        }
    }

    [Fact]
    public void SingleServer_MatchesMM1()
    {
        // M/M/1: P(wait) = ρ, E[W] = ρ/(μ − λ).
        var queue = new QueueParameters(0.6, 1.0, 1);
        ErlangCResult result = ErlangC.Compute(queue, 2.0);

        Assert.Equal(0.6, result.ProbabilityOfWait, 1e-14);
        Assert.Equal(1.5, result.AverageSpeedOfAnswerSeconds, 1e-14);
        Assert.Equal(1.0 - (0.6 * Math.Exp(-0.8)), result.ServiceLevel, 1e-14);
    }

    [Fact]
    public void WaitPercentile_InvertsTheWaitDistribution()
    {
        var queue = new QueueParameters(100.0 / 1800.0, 180, 12);
        ErlangCResult result = ErlangC.Compute(queue, 20);
        double p90 = result.WaitPercentile90Seconds;

        Assert.True(p90 > 0);
        Assert.Equal(0.1, ErlangC.ProbabilityWaitExceeds(queue, p90), 1e-12);
        Assert.Equal(p90, ErlangC.WaitQuantile(queue, 0.9), 1e-12);

        // With 16 agents fewer than 10 % of calls wait at all.
        Assert.Equal(0.0, ErlangC.Compute(queue.WithAgents(16), 20).WaitPercentile90Seconds);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(9)]
    public void Unstable_IsReportedExplicitly(int agents)
    {
        ErlangCResult result = ErlangC.Compute(Textbook.WithAgents(agents), 20);

        Assert.False(result.IsStable);
        Assert.Equal(1.0, result.ProbabilityOfWait);
        Assert.Equal(0.0, result.ServiceLevel);
        Assert.Equal(double.PositiveInfinity, result.AverageSpeedOfAnswerSeconds);
        Assert.Equal(double.PositiveInfinity, result.MeanQueueLength);
        Assert.Equal(1.0, result.Occupancy);
    }

    [Fact]
    public void VeryLargePool_IsFiniteAndConsistent()
    {
        var queue = new QueueParameters(4_900.0 / 180.0, 180, 5_000);
        ErlangCResult result = ErlangC.Compute(queue, 20);

        Assert.True(result.IsStable);
        Assert.InRange(result.ProbabilityOfWait, 0.0, 1.0);
        Assert.InRange(result.ServiceLevel, 0.0, 1.0);
        Assert.True(double.IsFinite(result.AverageSpeedOfAnswerSeconds));
        Assert.Equal(ReferenceFormulas.ErlangCDirect(5_000, 4_900.0), result.ProbabilityOfWait, 1e-10);

        // Halfin–Whitt regime: β = (n − a)/√a ≈ 1.43 puts P(wait) well inside (0, 1).
        Assert.InRange(result.ProbabilityOfWait, 0.05, 0.3);
    }

    [Fact]
    public void LightLoadOnHugePool_HasNoWait()
    {
        ErlangCResult result = ErlangC.Compute(new QueueParameters(0.01, 60, 100_000), 0);

        Assert.Equal(0.0, result.ProbabilityOfWait);
        Assert.Equal(1.0, result.ServiceLevel);
        Assert.Equal(0.0, result.WaitPercentile90Seconds);
    }

    [Fact]
    public void Metrics_AreMonotoneInAgents()
    {
        ErlangCResult previous = ErlangC.Compute(Textbook.WithAgents(11), 20);
        for (int n = 12; n <= 30; n++)
        {
            ErlangCResult current = ErlangC.Compute(Textbook.WithAgents(n), 20);
            Assert.True(current.ServiceLevel > previous.ServiceLevel);
            Assert.True(current.ProbabilityOfWait < previous.ProbabilityOfWait);
            Assert.True(current.AverageSpeedOfAnswerSeconds < previous.AverageSpeedOfAnswerSeconds);
            previous = current;
        }
    }

    [Fact]
    public void Arguments_AreValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new QueueParameters(0, 180, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new QueueParameters(1, -180, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new QueueParameters(1, 180, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangC.Compute(Textbook, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangC.WaitQuantile(Textbook, 1.0));
    }
}
