namespace CrisisSim.Analytics;

/// <summary>
/// Performance target for staffing: a service level (fraction of offered calls answered within
/// a threshold) and optional limits on average speed of answer and abandonment.
/// </summary>
public sealed record StaffingTarget
{
    /// <summary>Creates a service-level target such as 80 % of calls answered within 20 seconds.</summary>
    /// <param name="serviceLevel">Required service level, strictly between 0 and 1.</param>
    /// <param name="thresholdSeconds">Service-level threshold T in seconds, ≥ 0.</param>
    public StaffingTarget(double serviceLevel, double thresholdSeconds)
    {
        Guard.OpenUnitInterval(serviceLevel, nameof(serviceLevel));
        Guard.NonNegativeFinite(thresholdSeconds, nameof(thresholdSeconds));
        ServiceLevel = serviceLevel;
        ThresholdSeconds = thresholdSeconds;
    }

    /// <summary>
    /// Required service level: the smallest acceptable fraction of offered calls answered within
    /// <see cref="ThresholdSeconds"/> (for Erlang A, abandoned calls count as missing the target).
    /// </summary>
    public double ServiceLevel { get; }

    /// <summary>Service-level threshold T in seconds.</summary>
    public double ThresholdSeconds { get; }

    /// <summary>Optional upper limit on the average speed of answer (mean wait of answered calls) in seconds; &gt; 0.</summary>
    public double? MaxAverageSpeedOfAnswerSeconds
    {
        get;
        init
        {
            if (value is { } limit)
            {
                Guard.PositiveFinite(limit, nameof(MaxAverageSpeedOfAnswerSeconds));
            }

            field = value;
        }
    }

    /// <summary>
    /// Optional upper limit on the probability that a call abandons, strictly between 0 and 1;
    /// only meaningful with patience (Erlang A). Without abandonment (Erlang C) it is always met.
    /// </summary>
    public double? MaxAbandonmentProbability
    {
        get;
        init
        {
            if (value is { } limit)
            {
                Guard.OpenUnitInterval(limit, nameof(MaxAbandonmentProbability));
            }

            field = value;
        }
    }
}
