namespace CrisisSim.Analytics.Tests;

public sealed class ErlangATests
{
    /// <summary>Small systems: agents, λ, μ, θ, threshold. Includes overload and non-integer nμ/θ.</summary>
    public static TheoryData<int, double, double, double, double> SmallSystems => new()
    {
        { 1, 0.8, 1.0, 0.3, 0.5 },
        { 3, 3.5, 1.0, 0.7, 0.4 },
        { 5, 4.0, 1.0, 2.5, 0.2 },
        { 2, 6.0, 1.0, 1.3, 1.0 },
        { 4, 0.05, 1.0 / 60.0, 1.0 / 45.0, 20.0 },
    };

    [Theory]
    [MemberData(nameof(SmallSystems))]
    public void MatchesBruteForceChain(int agents, double lambda, double mu, double theta, double threshold)
    {
        var brute = new BruteForceErlangA(agents, lambda, mu, theta, maxQueue: 80);
        Assert.True(brute.TailMass < 1e-16, "reference truncation must be negligible");

        ErlangAModel model = ErlangA.CreateModel(new QueueParameters(lambda, 1.0 / mu, agents), 1.0 / theta);
        ErlangAResult result = ErlangA.Compute(new QueueParameters(lambda, 1.0 / mu, agents), 1.0 / theta, threshold);

        Assert.Equal(brute.ProbabilityOfWait, model.ProbabilityOfWait, 1e-10);
        Assert.Equal(brute.MeanQueueLength, model.MeanQueueLength, 1e-9);
        Assert.Equal(brute.MeanBusyAgents / agents, model.Occupancy, 1e-10);

        double maxRate = (agents * mu) + (82 * theta);
        BruteForceErlangA.TaggedCall atThreshold = brute.Integrate(threshold, StepsFor(threshold, maxRate));
        Assert.Equal(atThreshold.AnsweredWithin, result.ServiceLevel, 1e-9);
        Assert.Equal(atThreshold.StillQueued, result.ProbabilityWaitExceedsThreshold, 1e-9);

        double horizon = 40.0 / theta;
        BruteForceErlangA.TaggedCall eventually = brute.Integrate(horizon, StepsFor(horizon, maxRate));
        Assert.True(eventually.StillQueued < 1e-15);
        Assert.Equal(eventually.Abandoned, result.ProbabilityOfAbandonment, 1e-9);
        Approx.Equal(eventually.WaitIntegral, result.MeanWaitSeconds, 1e-9);
        Approx.Equal(eventually.AnsweredWaitIntegral / (1.0 - eventually.Abandoned), result.AverageSpeedOfAnswerSeconds, 1e-9);
    }

    [Theory]
    [MemberData(nameof(SmallSystems))]
    public void WaitDistributionAndPercentile_MatchBruteForceChain(int agents, double lambda, double mu, double theta, double threshold)
    {
        _ = threshold;
        var brute = new BruteForceErlangA(agents, lambda, mu, theta, maxQueue: 80);
        ErlangAModel model = ErlangA.CreateModel(new QueueParameters(lambda, 1.0 / mu, agents), 1.0 / theta);
        double maxRate = (agents * mu) + (82 * theta);

        foreach (double fraction in new[] { 0.05, 0.5, 2.0 })
        {
            double t = fraction / (agents * mu);
            BruteForceErlangA.TaggedCall state = brute.Integrate(t, StepsFor(t, maxRate));
            Assert.Equal(state.StillQueued, model.ProbabilityWaitExceeds(t), 1e-9);
            Assert.Equal(1.0 - state.StillQueued, model.ProbabilityWaitAtMost(t), 1e-9);
        }

        double p90 = model.WaitQuantile(0.9);
        if (model.ProbabilityOfWait <= 0.1)
        {
            Assert.Equal(0.0, p90);
        }
        else
        {
            Assert.True(p90 > 0);
            Assert.Equal(0.1, brute.Integrate(p90, StepsFor(p90, maxRate)).StillQueued, 1e-9);
        }
    }

    [Fact]
    public void MediumPool_MatchesIncompleteBetaClosedForm()
    {
        // Stationary distribution from the product form in log space, and the per-state answer
        // probabilities from MathNet's regularized incomplete beta function:
        // P(answered, W ≤ T | j ahead) = c/(c + j + 1) · I_x(j + 1, c + 1), P(V_j > T) = 1 − I_x(j + 1, c),
        // with c = nμ/θ and x = 1 − e^(−θT).
        const int Agents = 500;
        const double Load = 480.0;
        const double Handle = 180.0;
        const double Patience = 200.0;
        const double Threshold = 20.0;
        double lambda = Load / Handle;
        double mu = 1.0 / Handle;
        double theta = 1.0 / Patience;
        int states = Agents + 3_000;
        double[] logWeights = new double[states + 1];
        for (int k = 0; k <= states; k++)
        {
            logWeights[k] = k <= Agents
                ? ReferenceFormulas.LogPoissonTerm(k, Load)
                : logWeights[k - 1] + Math.Log(lambda / ((Agents * mu) + ((k - Agents) * theta)));
        }

        double logTotal = ReferenceFormulas.LogSumExp(logWeights);
        double c = Agents * mu / theta;
        double x = 1.0 - Math.Exp(-theta * Threshold);
        double serviceLevel = 0.0;
        double offeredWaitExceeds = 0.0;
        for (int k = 0; k <= states; k++)
        {
            double p = Math.Exp(logWeights[k] - logTotal);
            int j = k - Agents;
            if (j < 0)
            {
                serviceLevel += p;
                continue;
            }

            serviceLevel += p * c / (c + j + 1) * MathNet.Numerics.SpecialFunctions.BetaRegularized(j + 1, c + 1, x);
            offeredWaitExceeds += p * (1.0 - MathNet.Numerics.SpecialFunctions.BetaRegularized(j + 1, c, x));
        }

        ErlangAResult result = ErlangA.Compute(new QueueParameters(lambda, Handle, Agents), Patience, Threshold);

        Assert.Equal(serviceLevel, result.ServiceLevel, 1e-12);
        Assert.Equal(offeredWaitExceeds * Math.Exp(-theta * Threshold), result.ProbabilityWaitExceedsThreshold, 1e-12);
    }

    [Fact]
    public void LongPatience_ConvergesToErlangC()
    {
        QueueParameters queue = QueueParameters.FromInterval(100, 1800, 180, 14);
        ErlangCResult erlangC = ErlangC.Compute(queue, 20);
        ErlangAResult erlangA = ErlangA.Compute(queue, 1e9, 20);

        Assert.Equal(erlangC.ProbabilityOfWait, erlangA.ProbabilityOfWait, 1e-7);
        Assert.Equal(erlangC.ServiceLevel, erlangA.ServiceLevel, 1e-7);
        Assert.Equal(erlangC.ProbabilityWaitExceedsThreshold, erlangA.ProbabilityWaitExceedsThreshold, 1e-7);
        Assert.Equal(erlangC.AverageSpeedOfAnswerSeconds, erlangA.AverageSpeedOfAnswerSeconds, 1e-5);
        Assert.Equal(erlangC.MeanWaitSeconds, erlangA.MeanWaitSeconds, 1e-5);
        Assert.Equal(erlangC.WaitPercentile90Seconds, erlangA.WaitPercentile90Seconds, 1e-4);
        Assert.Equal(erlangC.Occupancy, erlangA.Occupancy, 1e-7);
        Assert.True(erlangA.ProbabilityOfAbandonment < 1e-7);
    }

    [Fact]
    public void PatienceEqualToHandleTime_GivesPoissonPopulation()
    {
        // With θ = μ every call in the system leaves at rate μ: the population is Poisson(a).
        const int Agents = 22;
        const double Load = 20.0;
        ErlangAResult result = ErlangA.Compute(new QueueParameters(Load / 100.0, 100, Agents), 100, 10);

        double[] poisson = Enumerable.Range(0, 400).Select(k => Math.Exp(ReferenceFormulas.LogPoissonTerm(k, Load) - Load)).ToArray();
        double probabilityOfWait = poisson.Skip(Agents).Sum();
        double meanQueue = poisson.Select((p, k) => p * Math.Max(k - Agents, 0)).Sum();

        Assert.Equal(probabilityOfWait, result.ProbabilityOfWait, 1e-12);
        Assert.Equal(meanQueue, result.MeanQueueLength, 1e-12);
        Assert.Equal(meanQueue / Load, result.ProbabilityOfAbandonment, 1e-12);
    }

    [Fact]
    public void VeryLargePool_IsFiniteAndSatisfiesLittlesLaw()
    {
        double lambda = 4_900.0 / 180.0;
        var queue = new QueueParameters(lambda, 180, 5_000);
        ErlangAModel model = ErlangA.CreateModel(queue, 300);
        ErlangAResult result = ErlangA.Compute(queue, 300, 20);

        foreach (double p in new[] { result.ProbabilityOfWait, result.ProbabilityOfAbandonment, result.ServiceLevel, result.Occupancy })
        {
            Assert.InRange(p, 0.0, 1.0);
        }

        Assert.True(double.IsFinite(result.AverageSpeedOfAnswerSeconds));
        Assert.True(result.ProbabilityOfWait < ErlangC.ProbabilityOfWait(5_000, 4_900.0));

        // Abandonment rate θ·E[Q] equals λ·P(abandon); E[W] = E[Q]/λ.
        Assert.Equal(1.0, lambda * result.ProbabilityOfAbandonment / (result.MeanQueueLength / 300.0), 1e-9);
        Assert.Equal(result.ProbabilityOfAbandonment, result.MeanWaitSeconds / 300.0, 1e-12);
        Assert.Equal(1.0 - result.ProbabilityOfAbandonment, model.ServiceLevel(1e7), 1e-12);

        // About 8 % of calls queue here, so the 90th percentile is 0 and the 95th is positive.
        Assert.Equal(0.0, result.WaitPercentile90Seconds);
        double p95 = model.WaitQuantile(0.95);
        Assert.True(p95 > 0);
        Assert.Equal(0.05, model.ProbabilityWaitExceeds(p95), 1e-9);
    }

    [Fact]
    public void HeavyOverload_IsStableAndCarriesAtMostTheAgents()
    {
        var queue = new QueueParameters(2_000.0 / 180.0, 180, 1_000);
        ErlangAResult result = ErlangA.Compute(queue, 60, 20);

        Assert.True(result.ProbabilityOfWait > 0.999);
        Assert.InRange(result.Occupancy, 0.99, 1.0);

        // Fluid limit: the abandoned fraction approaches 1 − n/a = 0.5.
        Assert.Equal(0.5, result.ProbabilityOfAbandonment, 1e-2);
        Assert.Equal(1.0, queue.ArrivalRatePerSecond * result.ProbabilityOfAbandonment / (result.MeanQueueLength / 60.0), 1e-9);
    }

    [Fact]
    public void Metrics_AreMonotoneInAgents()
    {
        QueueParameters queue = QueueParameters.FromInterval(100, 1800, 180, 1);
        ErlangAResult previous = ErlangA.Compute(queue.WithAgents(4), 120, 20);
        for (int n = 5; n <= 25; n++)
        {
            ErlangAResult current = ErlangA.Compute(queue.WithAgents(n), 120, 20);
            Assert.True(current.ServiceLevel > previous.ServiceLevel);
            Assert.True(current.ProbabilityOfWait < previous.ProbabilityOfWait);
            Assert.True(current.ProbabilityOfAbandonment < previous.ProbabilityOfAbandonment);
            Assert.True(current.AverageSpeedOfAnswerSeconds < previous.AverageSpeedOfAnswerSeconds);
            previous = current;
        }
    }

    [Fact]
    public void ServiceLevel_IsBoundedByItsComponents()
    {
        QueueParameters queue = QueueParameters.FromInterval(100, 1800, 180, 11);
        ErlangAResult result = ErlangA.Compute(queue, 90, 20);

        Assert.True(result.ServiceLevel >= 1.0 - result.ProbabilityOfWait);
        Assert.True(result.ServiceLevel <= 1.0 - result.ProbabilityOfAbandonment);
        Assert.True(result.ServiceLevel <= 1.0 - result.ProbabilityWaitExceedsThreshold);
        Assert.Equal(result.ServiceLevel / (1.0 - result.ProbabilityOfAbandonment), result.ServiceLevelOfAnsweredCalls, 1e-14);
        Assert.Equal(1.0 - result.ProbabilityOfWait, ErlangA.CreateModel(queue, 90).ServiceLevel(0), 1e-14);
    }

    [Fact]
    public void ExcessivePatienceInOverload_IsRejected()
    {
        var queue = new QueueParameters(20.0 / 180.0, 180, 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangA.Compute(queue, 1e12, 20));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangA.Compute(queue, 0, 20));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangA.Compute(queue, 60, -1));
    }

    private static int StepsFor(double horizon, double maxRate) =>
        Math.Max(200, (int)Math.Ceiling(horizon * maxRate * 20.0));
}
