namespace CrisisSim.Analytics;

/// <summary>
/// Minimum number of agents that meets a <see cref="StaffingTarget"/>, for the Erlang C
/// (no abandonment) and Erlang A (exponential patience) models.
/// </summary>
/// <remarks>
/// Service level and abandonment improve, and the average speed of answer falls, as agents are
/// added, so the smallest staffing is found by search. Erlang C steps up from just above the
/// offered load (the queue must be stable). Erlang A starts at the Erlang C staffing, gallops
/// down or up to bracket the answer and bisects, never going below the target fraction of the
/// load (the answered fraction cannot exceed n/a); large pools need only a few evaluations.
/// </remarks>
public static class Staffing
{
    /// <summary>Largest number of agents the searches consider.</summary>
    public const int MaximumAgents = 10_000_000;

    /// <summary>
    /// Smallest number of agents n for which the Erlang C queue is stable and meets the target:
    /// service level P(W ≤ T) ≥ target and, if set, ASA ≤ the limit.
    /// </summary>
    /// <param name="arrivalRatePerSecond">Offered calls per second λ, &gt; 0.</param>
    /// <param name="meanHandleSeconds">Mean handle time 1/μ in seconds, &gt; 0.</param>
    /// <param name="target">Performance target.</param>
    public static int MinimumAgents(double arrivalRatePerSecond, double meanHandleSeconds, StaffingTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var queue = new QueueParameters(arrivalRatePerSecond, meanHandleSeconds, 1);
        double load = queue.OfferedLoad;
        double mu = queue.ServiceRatePerSecond;
        double floorLoad = Math.Floor(load);
        if (floorLoad >= MaximumAgents)
        {
            throw new ArgumentOutOfRangeException(nameof(arrivalRatePerSecond), "Offered load exceeds the largest supported pool.");
        }

        int n = (int)floorLoad + 1;
        var recurrence = new ErlangB.Recurrence(load);
        while (recurrence.Servers < n - 1)
        {
            recurrence.Advance();
        }

        while (true)
        {
            double logBlockingPrevious = recurrence.LogValue;
            double probabilityOfWait = ErlangC.ProbabilityOfWait(n, load, logBlockingPrevious);
            double drain = mu * (n - load);
            double serviceLevel = 1.0 - (probabilityOfWait * Math.Exp(-drain * target.ThresholdSeconds));
            double asa = probabilityOfWait / drain;
            if (serviceLevel >= target.ServiceLevel
                && (target.MaxAverageSpeedOfAnswerSeconds is not { } maxAsa || asa <= maxAsa))
            {
                return n;
            }

            if (n >= MaximumAgents)
            {
                throw new InvalidOperationException($"No staffing up to {MaximumAgents} agents meets the target.");
            }

            recurrence.Advance();
            n++;
        }
    }

    /// <summary>
    /// Smallest number of agents n for which the Erlang A queue meets the target: service level
    /// P(answered and W ≤ T) ≥ target and, if set, ASA (mean wait of answered calls) ≤ the limit
    /// and P(abandon) ≤ the limit.
    /// </summary>
    /// <param name="arrivalRatePerSecond">Offered calls per second λ, &gt; 0.</param>
    /// <param name="meanHandleSeconds">Mean handle time 1/μ in seconds, &gt; 0.</param>
    /// <param name="meanPatienceSeconds">Mean patience 1/θ in seconds, &gt; 0.</param>
    /// <param name="target">Performance target.</param>
    public static int MinimumAgents(double arrivalRatePerSecond, double meanHandleSeconds, double meanPatienceSeconds, StaffingTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        Guard.PositiveFinite(meanPatienceSeconds, nameof(meanPatienceSeconds));
        var queue = new QueueParameters(arrivalRatePerSecond, meanHandleSeconds, 1);
        double load = queue.OfferedLoad;

        // The answered fraction is at most n/a (agents cannot carry more than n Erlangs), so both
        // the service level and 1 − P(abandon) require n ≥ fraction · a.
        double requiredFraction = target.ServiceLevel;
        if (target.MaxAbandonmentProbability is { } maxAbandon)
        {
            requiredFraction = Math.Max(requiredFraction, 1.0 - maxAbandon);
        }

        double lowerBound = Math.Floor(requiredFraction * load);
        if (lowerBound >= MaximumAgents)
        {
            throw new ArgumentOutOfRangeException(nameof(arrivalRatePerSecond), "Offered load exceeds the largest supported pool.");
        }

        int first = Math.Max(1, (int)lowerBound);

        // logBlocking[i] = log B(first − 1 + i, a), filled on demand as the search moves up.
        var logBlocking = new List<double>();
        var recurrence = new ErlangB.Recurrence(load);
        while (recurrence.Servers < first - 1)
        {
            recurrence.Advance();
        }

        logBlocking.Add(recurrence.LogValue);

        bool Meets(int agents)
        {
            while (first - 1 + logBlocking.Count <= agents - 1)
            {
                recurrence.Advance();
                logBlocking.Add(recurrence.LogValue);
            }

            var model = new ErlangAModel(queue.WithAgents(agents), meanPatienceSeconds, logBlocking[agents - first]);
            return (target.MaxAbandonmentProbability is not { } maxAbandonment || model.ProbabilityOfAbandonment <= maxAbandonment)
                && (target.MaxAverageSpeedOfAnswerSeconds is not { } maxAsa || model.AverageSpeedOfAnswerSeconds <= maxAsa)
                && model.ServiceLevel(target.ThresholdSeconds) >= target.ServiceLevel;
        }

        // Probe first at the Erlang C staffing: it is cheap to find and usually close, and it
        // keeps the expensive, heavily overloaded staffing levels (long patience) out of the search.
        long erlangCGuess = first;
        try
        {
            erlangCGuess = MinimumAgents(arrivalRatePerSecond, meanHandleSeconds, target);
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentOutOfRangeException)
        {
            // No Erlang C staffing within range; search upwards from the lower bound instead.
        }

        int guess = (int)Math.Max(first, erlangCGuess);
        int failing;
        int meeting;
        if (Meets(guess))
        {
            // Gallop downwards to a failing staffing (or the lower bound).
            meeting = guess;
            int step = 1;
            while (true)
            {
                if (meeting == first)
                {
                    return first;
                }

                int candidate = Math.Max(first, meeting - step);
                if (!Meets(candidate))
                {
                    failing = candidate;
                    break;
                }

                meeting = candidate;
                step *= 2;
            }
        }
        else
        {
            // Gallop upwards to a meeting staffing.
            failing = guess;
            int step = 1;
            while (true)
            {
                long candidate = (long)failing + step;
                if (candidate > MaximumAgents)
                {
                    if (failing == MaximumAgents || !Meets(MaximumAgents))
                    {
                        throw new InvalidOperationException($"No staffing up to {MaximumAgents} agents meets the target.");
                    }

                    meeting = MaximumAgents;
                    break;
                }

                if (Meets((int)candidate))
                {
                    meeting = (int)candidate;
                    break;
                }

                failing = (int)candidate;
                step *= 2;
            }
        }

        while (meeting - failing > 1)
        {
            int middle = failing + ((meeting - failing) / 2);
            if (Meets(middle))
            {
                meeting = middle;
            }
            else
            {
                failing = middle;
            }
        }

        return meeting;
    }
}
