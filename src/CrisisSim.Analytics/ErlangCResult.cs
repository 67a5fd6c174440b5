namespace CrisisSim.Analytics;

/// <summary>
/// Steady-state metrics of an M/M/n queue (Erlang C: Poisson arrivals, exponential handle
/// times, n agents, unlimited patience, first-come first-served). "Wait" is the time a
/// call spends in queue before an agent answers it; all times are in seconds.
/// </summary>
/// <remarks>
/// When the offered load is at least the number of agents (a ≥ n) the queue has no steady
/// state: <see cref="IsStable"/> is false, every call waits (<see cref="ProbabilityOfWait"/> = 1),
/// <see cref="ServiceLevel"/> is 0, occupancy is 1 and the mean waits, mean queue length and
/// wait percentile are <see cref="double.PositiveInfinity"/>.
/// </remarks>
public sealed record ErlangCResult
{
    /// <summary>Number of agents n.</summary>
    public required int Agents { get; init; }

    /// <summary>Offered load a = λ/μ in Erlangs.</summary>
    public required double OfferedLoad { get; init; }

    /// <summary>Service-level threshold T in seconds used for <see cref="ServiceLevel"/>.</summary>
    public required double ThresholdSeconds { get; init; }

    /// <summary>True when a &lt; n, i.e. the queue reaches a steady state.</summary>
    public required bool IsStable { get; init; }

    /// <summary>
    /// Erlang B blocking probability B(n, a) for the same traffic offered to n lines without
    /// a queue (the fraction of calls that would be lost if no one could wait).
    /// </summary>
    public required double BlockingProbability { get; init; }

    /// <summary>Erlang C probability C(n, a) that an arriving call has to wait (finds all agents busy).</summary>
    public required double ProbabilityOfWait { get; init; }

    /// <summary>Service level: probability that a call is answered within T seconds, P(W ≤ T) = 1 − C·exp(−(nμ − λ)T).</summary>
    public required double ServiceLevel { get; init; }

    /// <summary>Probability that a call waits longer than T seconds, P(W &gt; T) = 1 − <see cref="ServiceLevel"/>.</summary>
    public required double ProbabilityWaitExceedsThreshold { get; init; }

    /// <summary>Average speed of answer in seconds: mean wait of all calls, ASA = E[W] = C / (nμ − λ).</summary>
    public required double AverageSpeedOfAnswerSeconds { get; init; }

    /// <summary>Mean wait of all calls in seconds, E[W]; equal to <see cref="AverageSpeedOfAnswerSeconds"/> since no call abandons.</summary>
    public required double MeanWaitSeconds { get; init; }

    /// <summary>Mean wait in seconds of the calls that do wait, E[W | W &gt; 0] = 1 / (nμ − λ).</summary>
    public required double MeanWaitOfDelayedCallsSeconds { get; init; }

    /// <summary>Time-average number of calls in queue (not in service), E[Q] = λ·E[W].</summary>
    public required double MeanQueueLength { get; init; }

    /// <summary>Agent occupancy: fraction of time an agent is busy, a/n (1 when unstable).</summary>
    public required double Occupancy { get; init; }

    /// <summary>90th percentile of the wait W in seconds (0 when at least 90 % of calls do not wait).</summary>
    public required double WaitPercentile90Seconds { get; init; }
}
