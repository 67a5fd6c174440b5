namespace CrisisSim.Analytics;

/// <summary>
/// Traffic and staffing of a single call queue with Poisson arrivals, exponentially
/// distributed handle times and a fixed number of identical agents. All times are in seconds.
/// </summary>
public sealed record QueueParameters
{
    /// <summary>Creates queue parameters.</summary>
    /// <param name="arrivalRatePerSecond">Mean number of offered calls per second (λ); finite and &gt; 0.</param>
    /// <param name="meanHandleSeconds">Mean handle time in seconds (1/μ); finite and &gt; 0.</param>
    /// <param name="agents">Number of agents (n); at least 1.</param>
    public QueueParameters(double arrivalRatePerSecond, double meanHandleSeconds, int agents)
    {
        Guard.PositiveFinite(arrivalRatePerSecond, nameof(arrivalRatePerSecond));
        Guard.PositiveFinite(meanHandleSeconds, nameof(meanHandleSeconds));
        ArgumentOutOfRangeException.ThrowIfLessThan(agents, 1);
        ArrivalRatePerSecond = arrivalRatePerSecond;
        MeanHandleSeconds = meanHandleSeconds;
        Agents = agents;
    }

    /// <summary>Mean number of offered calls per second (λ).</summary>
    public double ArrivalRatePerSecond { get; }

    /// <summary>Mean handle time in seconds (1/μ).</summary>
    public double MeanHandleSeconds { get; }

    /// <summary>Number of agents (n).</summary>
    public int Agents { get; }

    /// <summary>Service rate of one agent in calls per second (μ = 1 / mean handle time).</summary>
    public double ServiceRatePerSecond => 1.0 / MeanHandleSeconds;

    /// <summary>Offered load in Erlangs (a = λ / μ = λ · mean handle time).</summary>
    public double OfferedLoad => ArrivalRatePerSecond * MeanHandleSeconds;

    /// <summary>
    /// Creates queue parameters from a call volume per interval, e.g. 100 calls per 1800 s.
    /// </summary>
    /// <param name="callsPerInterval">Mean number of calls offered in one interval; &gt; 0.</param>
    /// <param name="intervalSeconds">Interval length in seconds; &gt; 0.</param>
    /// <param name="meanHandleSeconds">Mean handle time in seconds; &gt; 0.</param>
    /// <param name="agents">Number of agents; at least 1.</param>
    public static QueueParameters FromInterval(double callsPerInterval, double intervalSeconds, double meanHandleSeconds, int agents)
    {
        Guard.PositiveFinite(callsPerInterval, nameof(callsPerInterval));
        Guard.PositiveFinite(intervalSeconds, nameof(intervalSeconds));
        return new QueueParameters(callsPerInterval / intervalSeconds, meanHandleSeconds, agents);
    }

    /// <summary>Returns the same traffic with a different number of agents.</summary>
    public QueueParameters WithAgents(int agents) => new(ArrivalRatePerSecond, MeanHandleSeconds, agents);
}
