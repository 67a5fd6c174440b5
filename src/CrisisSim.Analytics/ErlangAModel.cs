namespace CrisisSim.Analytics;

/// <summary>
/// Exact stationary solution of the Erlang A queue (M/M/n+M) for one set of parameters, with
/// the distribution of the time in queue. Instances are immutable; create them with
/// <see cref="ErlangA.CreateModel"/>.
/// </summary>
/// <remarks>
/// <para>
/// The number of calls in the system is a birth-death chain with birth rate λ and death rate
/// min(k, n)μ + max(k − n, 0)θ. Its stationary probabilities are computed relative to state n:
/// the states below n through the Erlang B recurrence, the queue states j = k − n ≥ 0 through
/// the ratios λ / (nμ + jθ) in log space. The chain is truncated once a geometric bound on the
/// remaining tail (including the tail of the mean queue length) falls below 1e−17 of the sum.
/// </para>
/// <para>
/// By PASTA an arriving call sees the stationary distribution. With j calls ahead it advances
/// at rate nμ + iθ while i calls are ahead and abandons at rate θ, so it is answered with
/// probability nμ / (nμ + (j + 1)θ). Its offered wait V_j (sum of exponentials with rates
/// nμ + iθ, i = 0..j) satisfies P(V_j ≤ t) = I_x(j + 1, c) with x = 1 − e^(−θt) and c = nμ/θ
/// (regularized incomplete beta function), and P(answered, W ≤ t | j) = E[1{V_j ≤ t} e^(−θV_j)]
/// = c/(c + j + 1) · I_x(j + 1, c + 1). Both incomplete beta values are evaluated as negative
/// binomial distribution functions accumulated along j, which is exact and cheap.
/// </para>
/// <para>
/// Probabilities are accurate to about 1e−14 in absolute terms; service levels that are
/// themselves below that size (hopelessly understaffed queues) are rounding noise.
/// </para>
/// </remarks>
public sealed class ErlangAModel
{
    /// <summary>Largest number of queue states the truncated chain may need before evaluation is refused.</summary>
    public const int MaximumQueueStates = 10_000_000;

    private const double TruncationTolerance = 1e-17;

    private readonly double[] _queueStateProbabilities;
    private readonly double _drainRate;
    private readonly double _abandonRate;

    internal ErlangAModel(QueueParameters queue, double meanPatienceSeconds, double logBlockingPrevious)
    {
        Queue = queue;
        MeanPatienceSeconds = meanPatienceSeconds;
        int n = queue.Agents;
        double load = queue.OfferedLoad;
        double lambda = queue.ArrivalRatePerSecond;
        double nMu = n * queue.ServiceRatePerSecond;
        double theta = 1.0 / meanPatienceSeconds;
        _drainRate = nMu;
        _abandonRate = theta;

        double logBlocking = Math.Log(load) + logBlockingPrevious - Math.Log(n + (load * Math.Exp(logBlockingPrevious)));
        BlockingProbability = Math.Exp(logBlocking);

        // The queue-state probabilities peak near j = (λ − nμ)/θ; refuse hopeless cases up front.
        if ((lambda - nMu) / theta > MaximumQueueStates)
        {
            throw TooManyStates(meanPatienceSeconds);
        }

        // log of r_j = π(n + j) / π(n).
        var logRatios = new List<double> { 0.0 };
        double logMax = 0.0;
        double scaledSum = 1.0;
        for (int j = 0; ; j++)
        {
            double nextRatio = lambda / (nMu + ((j + 1) * theta));
            double tailRatio = nextRatio * (j + 2) / (j + 1);
            if (tailRatio < 1.0)
            {
                double term = Math.Exp(logRatios[j] - logMax) * (j + 1);
                if (term * tailRatio / (1.0 - tailRatio) <= TruncationTolerance * scaledSum)
                {
                    break;
                }
            }

            if (logRatios.Count >= MaximumQueueStates)
            {
                throw TooManyStates(meanPatienceSeconds);
            }

            double next = logRatios[j] + Math.Log(nextRatio);
            logRatios.Add(next);
            if (next > logMax)
            {
                scaledSum = (scaledSum * Math.Exp(logMax - next)) + 1.0;
                logMax = next;
            }
            else
            {
                scaledSum += Math.Exp(next - logMax);
            }
        }

        // Σ_{k<n} π(k) / π(n) = 1/B(n, a) − 1 = (n/a) / B(n − 1, a).
        double logBelow = Math.Log(n) - Math.Log(load) - logBlockingPrevious;
        double logQueued = logMax + Math.Log(scaledSum);
        double probabilityOfWait = NumericFunctions.InverseOnePlusExp(logBelow - logQueued);
        ProbabilityOfWait = probabilityOfWait;

        int states = logRatios.Count;
        _queueStateProbabilities = new double[states];
        double abandon = 0.0;
        double answeredAfterWait = 0.0;
        double queueLength = 0.0;
        double answeredWaitSum = 0.0;
        double conditionalAnsweredWait = 0.0;
        for (int j = 0; j < states; j++)
        {
            double p = probabilityOfWait * Math.Exp(logRatios[j] - logMax) / scaledSum;
            _queueStateProbabilities[j] = p;
            double leaveRate = nMu + ((j + 1) * theta);
            abandon += p * ((j + 1) * theta) / leaveRate;
            double answered = p * nMu / leaveRate;
            answeredAfterWait += answered;
            queueLength += j * p;

            // E[wait | answered, j ahead] = Σ_{i=1..j+1} 1/(nμ + iθ).
            conditionalAnsweredWait += 1.0 / leaveRate;
            answeredWaitSum += answered * conditionalAnsweredWait;
        }

        double probabilityAnswered = (1.0 - probabilityOfWait) + answeredAfterWait;
        ProbabilityOfAbandonment = abandon;
        MeanQueueLength = queueLength;
        MeanWaitSeconds = queueLength / lambda;
        AverageSpeedOfAnswerSeconds = answeredWaitSum / probabilityAnswered;
        Occupancy = Math.Min(1.0, load * probabilityAnswered / n);
    }

    /// <summary>Arrival rate, mean handle time and number of agents.</summary>
    public QueueParameters Queue { get; }

    /// <summary>Mean patience 1/θ in seconds.</summary>
    public double MeanPatienceSeconds { get; }

    /// <summary>Erlang B blocking probability B(n, a) of the same traffic on n lines without a queue.</summary>
    public double BlockingProbability { get; }

    /// <summary>Probability that an arriving call finds all agents busy, P(W &gt; 0).</summary>
    public double ProbabilityOfWait { get; }

    /// <summary>Probability that an arriving call abandons before being answered.</summary>
    public double ProbabilityOfAbandonment { get; }

    /// <summary>Time-average number of calls in queue, E[Q].</summary>
    public double MeanQueueLength { get; }

    /// <summary>Mean time in queue of all offered calls, E[W] = E[Q]/λ, in seconds.</summary>
    public double MeanWaitSeconds { get; }

    /// <summary>Average speed of answer: mean wait of answered calls, E[W | answered], in seconds.</summary>
    public double AverageSpeedOfAnswerSeconds { get; }

    /// <summary>Agent occupancy λ(1 − P(abandon)) / (μn).</summary>
    public double Occupancy { get; }

    /// <summary>Number of queue states kept after truncation.</summary>
    public int QueueStatesEvaluated => _queueStateProbabilities.Length;

    /// <summary>
    /// Service level over all offered calls: probability that a call is answered after a wait of
    /// at most <paramref name="thresholdSeconds"/>, P(answered and W ≤ T).
    /// </summary>
    /// <param name="thresholdSeconds">Threshold T in seconds, ≥ 0.</param>
    public double ServiceLevel(double thresholdSeconds)
    {
        Guard.NonNegativeFinite(thresholdSeconds, nameof(thresholdSeconds));
        double answeredWithin = 1.0 - ProbabilityOfWait;
        if (thresholdSeconds == 0.0)
        {
            return answeredWithin;
        }

        // P(answered, W ≤ T | j) = nμ/(nμ + (j+1)θ) · (1 − NB_{c+1}(j)).
        double[] probabilities = _queueStateProbabilities;
        var distribution = new NegativeBinomialAccumulator(_drainRate + _abandonRate, _abandonRate, thresholdSeconds);
        for (int j = 0; j < probabilities.Length; j++)
        {
            double notReached = distribution.Next();
            double answerProbability = _drainRate / (_drainRate + ((j + 1) * _abandonRate));
            answeredWithin += probabilities[j] * answerProbability * Math.Max(0.0, 1.0 - notReached);
        }

        return Math.Min(answeredWithin, 1.0);
    }

    /// <summary>
    /// Probability that the time in queue exceeds <paramref name="seconds"/>, P(W &gt; t), over all
    /// offered calls; W ends when the call is answered or abandons.
    /// </summary>
    /// <param name="seconds">Time t in seconds, ≥ 0.</param>
    public double ProbabilityWaitExceeds(double seconds)
    {
        Guard.NonNegativeFinite(seconds, nameof(seconds));
        if (seconds == 0.0)
        {
            return ProbabilityOfWait;
        }

        // P(W > t | j) = P(V_j > t) e^(−θt), P(V_j > t) = NB_c(j).
        double[] probabilities = _queueStateProbabilities;
        var distribution = new NegativeBinomialAccumulator(_drainRate, _abandonRate, seconds);
        double offeredWaitExceeds = 0.0;
        for (int j = 0; j < probabilities.Length; j++)
        {
            offeredWaitExceeds += probabilities[j] * Math.Min(1.0, distribution.Next());
        }

        return Math.Min(ProbabilityOfWait, offeredWaitExceeds * Math.Exp(-_abandonRate * seconds));
    }

    /// <summary>Distribution function of the time in queue, P(W ≤ t), over all offered calls.</summary>
    /// <param name="seconds">Time t in seconds, ≥ 0.</param>
    public double ProbabilityWaitAtMost(double seconds) => 1.0 - ProbabilityWaitExceeds(seconds);

    /// <summary>
    /// The p-quantile of the time in queue W over all offered calls: the smallest t with
    /// P(W ≤ t) ≥ p, found by bisection to a relative precision of about 1e−12.
    /// </summary>
    /// <param name="probability">Quantile level p strictly between 0 and 1.</param>
    public double WaitQuantile(double probability)
    {
        Guard.OpenUnitInterval(probability, nameof(probability));
        double tail = 1.0 - probability;
        if (ProbabilityOfWait <= tail)
        {
            return 0.0;
        }

        // W ≤ patience, so P(W > t) ≤ P(W > 0)·e^(−θt): this t is an upper bracket.
        double high = Math.Log(ProbabilityOfWait / tail) / _abandonRate;
        double low = 0.0;
        for (int iteration = 0; iteration < 200 && high - low > 1e-12 * high; iteration++)
        {
            double middle = 0.5 * (low + high);
            if (ProbabilityWaitExceeds(middle) <= tail)
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        return high;
    }

    private static ArgumentOutOfRangeException TooManyStates(double meanPatienceSeconds) =>
        new(
            nameof(meanPatienceSeconds),
            meanPatienceSeconds,
            $"The Erlang A queue-length distribution needs more than {MaximumQueueStates} states for these parameters; the patience is too long relative to the handle time for exact evaluation (use Erlang C for unlimited patience).");

    /// <summary>Builds the result record for a service-level threshold.</summary>
    internal ErlangAResult ToResult(double thresholdSeconds)
    {
        double serviceLevel = ServiceLevel(thresholdSeconds);
        double probabilityAnswered = 1.0 - ProbabilityOfAbandonment;
        return new ErlangAResult
        {
            Agents = Queue.Agents,
            OfferedLoad = Queue.OfferedLoad,
            MeanPatienceSeconds = MeanPatienceSeconds,
            ThresholdSeconds = thresholdSeconds,
            BlockingProbability = BlockingProbability,
            ProbabilityOfWait = ProbabilityOfWait,
            ProbabilityOfAbandonment = ProbabilityOfAbandonment,
            ServiceLevel = serviceLevel,
            ServiceLevelOfAnsweredCalls = Math.Min(1.0, serviceLevel / probabilityAnswered),
            ProbabilityWaitExceedsThreshold = ProbabilityWaitExceeds(thresholdSeconds),
            AverageSpeedOfAnswerSeconds = AverageSpeedOfAnswerSeconds,
            MeanWaitSeconds = MeanWaitSeconds,
            MeanQueueLength = MeanQueueLength,
            Occupancy = Occupancy,
            WaitPercentile90Seconds = WaitQuantile(0.9),
            QueueStatesEvaluated = QueueStatesEvaluated,
        };
    }

    /// <summary>
    /// Successive values NB(j) = Σ_{m=0..j} Γ(m + b)/(m! Γ(b)) x^m (1 − x)^b of the negative
    /// binomial distribution function with x = 1 − e^(−θt) and b = rate/θ, i.e.
    /// NB(j) = 1 − I_x(j + 1, b). Terms are carried in log space, so (1 − x)^b = e^(−rate·t)
    /// may be far below the smallest double without loss.
    /// </summary>
    private struct NegativeBinomialAccumulator
    {
        private readonly double _x;
        private readonly double _xTimesShape;
        private double _logTerm;
        private double _sum;
        private int _index;

        /// <param name="rate">bθ: nμ for the offered wait, nμ + θ for the answered-within weighting.</param>
        /// <param name="theta">Abandonment rate θ.</param>
        /// <param name="seconds">Time t &gt; 0.</param>
        public NegativeBinomialAccumulator(double rate, double theta, double seconds)
        {
            _x = -NumericFunctions.ExpM1(-theta * seconds);

            // x·b = (x/θ)·bθ, accurate also when θ is tiny and b huge.
            _xTimesShape = _x / theta * rate;
            _logTerm = -rate * seconds;
            _sum = 0.0;
            _index = 0;
        }

        /// <summary>Returns NB(j) for j = 0, 1, 2, ... on successive calls.</summary>
        public double Next()
        {
            if (_index > 0)
            {
                // term(m) = term(m − 1) · x (m − 1 + b) / m.
                _logTerm += Math.Log(((_x * (_index - 1)) + _xTimesShape) / _index);
            }

            _index++;
            _sum += Math.Exp(_logTerm);
            return _sum;
        }
    }
}
