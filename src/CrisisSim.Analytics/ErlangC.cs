namespace CrisisSim.Analytics;

/// <summary>
/// Erlang C formulas for the M/M/n queue: Poisson arrivals at rate λ, exponential handle
/// times with mean 1/μ, n agents, infinite patience, first-come first-served.
/// </summary>
/// <remarks>
/// The probability of waiting is obtained from Erlang B, C = n·B(n, a) / (n − a(1 − B(n, a))),
/// evaluated in the algebraically equivalent form C = 1 / (1 + (n − a) / (a·B(n − 1, a))),
/// which has no cancellation and stays accurate when B underflows.
/// </remarks>
public static class ErlangC
{
    /// <summary>
    /// Erlang C probability C(n, a) that an arriving call finds all agents busy and waits;
    /// 1 when a ≥ n (unstable queue).
    /// </summary>
    /// <param name="agents">Number of agents n ≥ 1.</param>
    /// <param name="load">Offered load a in Erlangs, finite and &gt; 0.</param>
    public static double ProbabilityOfWait(int agents, double load)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(agents, 1);
        Guard.PositiveFinite(load, nameof(load));
        return ProbabilityOfWait(agents, load, ErlangB.LogBlocking(agents - 1, load));
    }

    /// <summary>Computes all steady-state metrics of the M/M/n queue.</summary>
    /// <param name="queue">Arrival rate, mean handle time and number of agents.</param>
    /// <param name="thresholdSeconds">Service-level threshold T in seconds, ≥ 0.</param>
    public static ErlangCResult Compute(QueueParameters queue, double thresholdSeconds)
    {
        ArgumentNullException.ThrowIfNull(queue);
        Guard.NonNegativeFinite(thresholdSeconds, nameof(thresholdSeconds));
        int n = queue.Agents;
        double load = queue.OfferedLoad;
        var recurrence = new ErlangB.Recurrence(load);
        for (int k = 1; k < n; k++)
        {
            recurrence.Advance();
        }

        double logBlockingPrevious = recurrence.LogValue;
        recurrence.Advance();
        return Compute(queue, thresholdSeconds, logBlockingPrevious, recurrence.Value);
    }

    /// <summary>
    /// Service level P(W ≤ T): probability that a call is answered within <paramref name="thresholdSeconds"/>.
    /// </summary>
    public static double ServiceLevel(QueueParameters queue, double thresholdSeconds) =>
        Compute(queue, thresholdSeconds).ServiceLevel;

    /// <summary>
    /// Probability that a call waits longer than <paramref name="seconds"/>, P(W &gt; t) = C·exp(−(nμ − λ)t);
    /// 1 for an unstable queue.
    /// </summary>
    public static double ProbabilityWaitExceeds(QueueParameters queue, double seconds) =>
        1.0 - Compute(queue, seconds).ServiceLevel;

    /// <summary>
    /// The p-quantile of the wait W in seconds: the smallest t with P(W ≤ t) ≥ p
    /// (+∞ for an unstable queue).
    /// </summary>
    /// <param name="queue">Queue parameters.</param>
    /// <param name="probability">Quantile level p strictly between 0 and 1.</param>
    public static double WaitQuantile(QueueParameters queue, double probability)
    {
        ArgumentNullException.ThrowIfNull(queue);
        Guard.OpenUnitInterval(probability, nameof(probability));
        double c = ProbabilityOfWait(queue.Agents, queue.OfferedLoad);
        return WaitQuantile(queue, c, probability);
    }

    internal static double ProbabilityOfWait(int agents, double load, double logBlockingPrevious)
    {
        if (load >= agents)
        {
            return 1.0;
        }

        // C = 1 / (1 + (n - a) / (a B(n-1, a))).
        double logRatio = Math.Log(agents - load) - Math.Log(load) - logBlockingPrevious;
        return NumericFunctions.InverseOnePlusExp(logRatio);
    }

    internal static ErlangCResult Compute(QueueParameters queue, double thresholdSeconds, double logBlockingPrevious, double blocking)
    {
        int n = queue.Agents;
        double load = queue.OfferedLoad;
        double lambda = queue.ArrivalRatePerSecond;
        double mu = queue.ServiceRatePerSecond;
        if (load >= n)
        {
            return new ErlangCResult
            {
                Agents = n,
                OfferedLoad = load,
                ThresholdSeconds = thresholdSeconds,
                IsStable = false,
                BlockingProbability = blocking,
                ProbabilityOfWait = 1.0,
                ServiceLevel = 0.0,
                ProbabilityWaitExceedsThreshold = 1.0,
                AverageSpeedOfAnswerSeconds = double.PositiveInfinity,
                MeanWaitSeconds = double.PositiveInfinity,
                MeanWaitOfDelayedCallsSeconds = double.PositiveInfinity,
                MeanQueueLength = double.PositiveInfinity,
                Occupancy = 1.0,
                WaitPercentile90Seconds = double.PositiveInfinity,
            };
        }

        double c = ProbabilityOfWait(n, load, logBlockingPrevious);

        // Drain rate of the queue when all agents are busy, nμ − λ = μ(n − a).
        double drain = mu * (n - load);
        double exceeds = c * Math.Exp(-drain * thresholdSeconds);
        double asa = c / drain;
        return new ErlangCResult
        {
            Agents = n,
            OfferedLoad = load,
            ThresholdSeconds = thresholdSeconds,
            IsStable = true,
            BlockingProbability = blocking,
            ProbabilityOfWait = c,
            ServiceLevel = 1.0 - exceeds,
            ProbabilityWaitExceedsThreshold = exceeds,
            AverageSpeedOfAnswerSeconds = asa,
            MeanWaitSeconds = asa,
            MeanWaitOfDelayedCallsSeconds = 1.0 / drain,
            MeanQueueLength = lambda * asa,
            Occupancy = load / n,
            WaitPercentile90Seconds = WaitQuantile(queue, c, 0.9),
        };
    }

    private static double WaitQuantile(QueueParameters queue, double probabilityOfWait, double probability)
    {
        double load = queue.OfferedLoad;
        if (load >= queue.Agents)
        {
            return double.PositiveInfinity;
        }

        double tail = 1.0 - probability;
        if (probabilityOfWait <= tail)
        {
            return 0.0;
        }

        double drain = queue.ServiceRatePerSecond * (queue.Agents - load);
        return Math.Log(probabilityOfWait / tail) / drain;
    }
}
