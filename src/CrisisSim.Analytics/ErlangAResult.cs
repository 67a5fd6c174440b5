namespace CrisisSim.Analytics;

/// <summary>
/// Steady-state metrics of the Erlang A queue (M/M/n+M): Poisson arrivals, exponential handle
/// times, n agents, first-come first-served, and callers who abandon when their exponentially
/// distributed patience runs out before an agent answers. All probabilities are per offered
/// (arriving) call; all times are in seconds.
/// </summary>
/// <remarks>
/// W denotes the time a call spends in queue: until it is answered, or until it abandons.
/// Calls that find a free agent have W = 0 and are answered immediately.
/// </remarks>
public sealed record ErlangAResult
{
    /// <summary>Number of agents n.</summary>
    public required int Agents { get; init; }

    /// <summary>Offered load a = λ/μ in Erlangs.</summary>
    public required double OfferedLoad { get; init; }

    /// <summary>Mean patience 1/θ in seconds.</summary>
    public required double MeanPatienceSeconds { get; init; }

    /// <summary>Service-level threshold T in seconds.</summary>
    public required double ThresholdSeconds { get; init; }

    /// <summary>Erlang B blocking probability B(n, a) of the same traffic on n lines without a queue.</summary>
    public required double BlockingProbability { get; init; }

    /// <summary>Probability that an arriving call finds all n agents busy and has to queue, P(W &gt; 0).</summary>
    public required double ProbabilityOfWait { get; init; }

    /// <summary>Probability that an arriving call abandons before being answered.</summary>
    public required double ProbabilityOfAbandonment { get; init; }

    /// <summary>
    /// Service level over all offered calls: P(answered and W ≤ T). Abandoned calls count as
    /// not meeting the target, whatever their wait.
    /// </summary>
    public required double ServiceLevel { get; init; }

    /// <summary>Service level over answered calls only: P(W ≤ T | answered) = <see cref="ServiceLevel"/> / (1 − P(abandon)).</summary>
    public required double ServiceLevelOfAnsweredCalls { get; init; }

    /// <summary>Probability that the time in queue exceeds T, P(W &gt; T), over all offered calls (answered or abandoned).</summary>
    public required double ProbabilityWaitExceedsThreshold { get; init; }

    /// <summary>Average speed of answer in seconds: mean wait of answered calls, E[W | answered].</summary>
    public required double AverageSpeedOfAnswerSeconds { get; init; }

    /// <summary>Mean time in queue of all offered calls in seconds, E[W] (answered and abandoned; equals E[Q]/λ by Little's law).</summary>
    public required double MeanWaitSeconds { get; init; }

    /// <summary>Time-average number of calls in queue (not in service), E[Q].</summary>
    public required double MeanQueueLength { get; init; }

    /// <summary>Agent occupancy: carried load over agents, λ(1 − P(abandon)) / (μn).</summary>
    public required double Occupancy { get; init; }

    /// <summary>90th percentile of the time in queue W over all offered calls, in seconds (0 when at least 90 % of calls do not queue).</summary>
    public required double WaitPercentile90Seconds { get; init; }

    /// <summary>Number of queue states kept after truncating the infinite birth-death chain.</summary>
    public required int QueueStatesEvaluated { get; init; }
}
