namespace CrisisSim.Analytics.Tests;

public sealed class StaffingTests
{
    private const double Lambda = 100.0 / 1800.0;
    private const double HandleSeconds = 180.0;

    [Fact]
    public void ErlangC_TextbookNeedsFourteenAgentsFor80In20()
    {
        int agents = Staffing.MinimumAgents(Lambda, HandleSeconds, new StaffingTarget(0.8, 20));

        // 13 agents give 79.56 %, 14 give 88.84 %.
        Assert.Equal(14, agents);
    }

    [Theory]
    [InlineData(100.0 / 1800.0, 180.0, 0.8, 20.0)]
    [InlineData(0.001, 300.0, 0.9, 10.0)]
    [InlineData(4_900.0 / 180.0, 180.0, 0.8, 20.0)]
    [InlineData(50_000.0 / 180.0, 180.0, 0.95, 5.0)]
    [InlineData(2.0, 30.0, 0.5, 0.0)]
    public void ErlangC_IsMinimal(double lambda, double handle, double serviceLevel, double threshold)
    {
        var target = new StaffingTarget(serviceLevel, threshold);
        int n = Staffing.MinimumAgents(lambda, handle, target);

        Assert.True(ErlangC.Compute(new QueueParameters(lambda, handle, n), threshold).ServiceLevel >= serviceLevel);
        if (n > 1)
        {
            Assert.True(ErlangC.Compute(new QueueParameters(lambda, handle, n - 1), threshold).ServiceLevel < serviceLevel);
        }
    }

    [Fact]
    public void ErlangC_RespectsAsaLimit()
    {
        var target = new StaffingTarget(0.5, 20) { MaxAverageSpeedOfAnswerSeconds = 5.0 };
        int n = Staffing.MinimumAgents(Lambda, HandleSeconds, target);

        Assert.True(ErlangC.Compute(new QueueParameters(Lambda, HandleSeconds, n), 20).AverageSpeedOfAnswerSeconds <= 5.0);
        Assert.True(ErlangC.Compute(new QueueParameters(Lambda, HandleSeconds, n - 1), 20).AverageSpeedOfAnswerSeconds > 5.0);
    }

    [Theory]
    [InlineData(100.0 / 1800.0, 180.0, 120.0, 0.8, 20.0)]
    [InlineData(100.0 / 1800.0, 180.0, 30.0, 0.6, 20.0)]
    [InlineData(0.002, 600.0, 60.0, 0.9, 30.0)]
    [InlineData(4_900.0 / 180.0, 180.0, 300.0, 0.8, 20.0)]
    [InlineData(3.0, 1.0, 0.2, 0.3, 0.0)]
    public void ErlangA_IsMinimal(double lambda, double handle, double patience, double serviceLevel, double threshold)
    {
        var target = new StaffingTarget(serviceLevel, threshold);
        int n = Staffing.MinimumAgents(lambda, handle, patience, target);

        Assert.True(ErlangA.Compute(new QueueParameters(lambda, handle, n), patience, threshold).ServiceLevel >= serviceLevel);
        if (n > 1)
        {
            Assert.True(ErlangA.Compute(new QueueParameters(lambda, handle, n - 1), patience, threshold).ServiceLevel < serviceLevel);
        }
    }

    [Fact]
    public void ErlangA_NeedsNoMoreAgentsThanErlangC()
    {
        var target = new StaffingTarget(0.8, 20);
        int erlangC = Staffing.MinimumAgents(Lambda, HandleSeconds, target);
        int erlangA = Staffing.MinimumAgents(Lambda, HandleSeconds, 120, target);
        int longPatience = Staffing.MinimumAgents(Lambda, HandleSeconds, 1e8, target);

        Assert.True(erlangA <= erlangC);
        Assert.Equal(erlangC, longPatience);
    }

    [Fact]
    public void ErlangA_RespectsAbandonmentAndAsaLimits()
    {
        var target = new StaffingTarget(0.3, 20) { MaxAbandonmentProbability = 0.02, MaxAverageSpeedOfAnswerSeconds = 4.0 };
        int n = Staffing.MinimumAgents(Lambda, HandleSeconds, 60, target);

        ErlangAResult atN = ErlangA.Compute(new QueueParameters(Lambda, HandleSeconds, n), 60, 20);
        ErlangAResult below = ErlangA.Compute(new QueueParameters(Lambda, HandleSeconds, n - 1), 60, 20);
        Assert.True(atN.ProbabilityOfAbandonment <= 0.02 && atN.AverageSpeedOfAnswerSeconds <= 4.0);
        Assert.True(below.ProbabilityOfAbandonment > 0.02 || below.AverageSpeedOfAnswerSeconds > 4.0);
    }

    [Fact]
    public void Target_IsValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new StaffingTarget(1.0, 20));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StaffingTarget(0.0, 20));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StaffingTarget(0.8, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StaffingTarget(0.8, 20) { MaxAbandonmentProbability = 1.5 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new StaffingTarget(0.8, 20) { MaxAverageSpeedOfAnswerSeconds = 0 });
    }
}
