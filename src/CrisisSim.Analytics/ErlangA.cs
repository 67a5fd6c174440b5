namespace CrisisSim.Analytics;

/// <summary>
/// Erlang A formulas for the M/M/n+M queue: Poisson arrivals at rate λ, exponential handle
/// times with mean 1/μ, n agents, first-come first-served, and exponentially distributed caller
/// patience with mean 1/θ (a caller still waiting when the patience expires abandons).
/// The queue is stable for any load. See <see cref="ErlangAModel"/> for the method.
/// </summary>
public static class ErlangA
{
    /// <summary>Computes all steady-state metrics of the Erlang A queue.</summary>
    /// <param name="queue">Arrival rate, mean handle time and number of agents.</param>
    /// <param name="meanPatienceSeconds">Mean patience 1/θ in seconds, finite and &gt; 0.</param>
    /// <param name="thresholdSeconds">Service-level threshold T in seconds, ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// An argument is out of range, or the patience is so long relative to the handle time that
    /// the queue-length distribution needs more than <see cref="ErlangAModel.MaximumQueueStates"/> states.
    /// </exception>
    public static ErlangAResult Compute(QueueParameters queue, double meanPatienceSeconds, double thresholdSeconds)
    {
        Guard.NonNegativeFinite(thresholdSeconds, nameof(thresholdSeconds));
        return CreateModel(queue, meanPatienceSeconds).ToResult(thresholdSeconds);
    }

    /// <summary>
    /// Solves the Erlang A queue once; the returned model answers service-level, wait-distribution
    /// and quantile questions for any threshold.
    /// </summary>
    /// <param name="queue">Arrival rate, mean handle time and number of agents.</param>
    /// <param name="meanPatienceSeconds">Mean patience 1/θ in seconds, finite and &gt; 0.</param>
    public static ErlangAModel CreateModel(QueueParameters queue, double meanPatienceSeconds)
    {
        ArgumentNullException.ThrowIfNull(queue);
        Guard.PositiveFinite(meanPatienceSeconds, nameof(meanPatienceSeconds));
        double logBlockingPrevious = ErlangB.LogBlocking(queue.Agents - 1, queue.OfferedLoad);
        return new ErlangAModel(queue, meanPatienceSeconds, logBlockingPrevious);
    }
}
