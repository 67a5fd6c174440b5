using CrisisSim.Model.Components;

namespace CrisisSim.Model.Scenario;

/// <summary>How many rows a replication's call log may hold: one per attempt of each leg of each call received (a
/// redial is a new attempt, a transfer a new leg; an outbound call to make has no row), so hosts can size it before
/// the run.</summary>
public static class CallLogSize
{
    /// <summary>An upper bound on the expected rows of one replication's call log: the expected first attempts of each
    /// inbound call type (<see cref="ArrivalSpec.ExpectedCalls(ArrivalGrid)"/>), times the legs they may go on to if
    /// every leg were answered and transferred in the shares given (at most <see cref="CallIds.MaxLegs"/> legs a
    /// caller), times the attempts a leg may make if every attempt failed and redialled with the probabilities given
    /// (at most 1 + <see cref="ScenarioLimits.MaxRedials"/>).</summary>
    public static double UpperBound(ScenarioDefinition scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var grid = ArrivalGrid.Of(scenario);
        var types = scenario.CallTypes;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var t = 0; t < types.Count; t++)
        {
            index.TryAdd(types[t].Name, t);
        }
        var legs = new double[types.Count];
        var targets = new (int To, double Share)[types.Count][];
        for (var t = 0; t < types.Count; t++)
        {
            legs[t] = types[t].Outbound is null ? types[t].Arrivals.ExpectedCalls(grid) : 0;
            targets[t] = [.. (types[t].Transfers ?? []).Where(x => index.ContainsKey(x.To)).Select(x => (index[x.To], x.Share))];
        }
        // Legs of depth d + 1 are the transfers out of legs of depth d; a caller has at most MaxLegs legs.
        var depth = (double[])legs.Clone();
        for (var d = 1; d < CallIds.MaxLegs && depth.Any(x => x > 0); d++)
        {
            var next = new double[types.Count];
            for (var t = 0; t < types.Count; t++)
            {
                if (depth[t] > 0)
                {
                    foreach (var (to, share) in targets[t])
                    {
                        next[to] += depth[t] * share;
                    }
                }
            }
            for (var t = 0; t < types.Count; t++)
            {
                legs[t] += next[t];
            }
            depth = next;
        }
        double rows = 0;
        for (var t = 0; t < types.Count; t++)
        {
            rows += legs[t] * AttemptsPerLeg(types[t]);
        }
        return rows;
    }

    /// <summary>The expected attempts of one leg if every attempt failed: 1 + p1 + p1 p2 + … over the redial
    /// probabilities.</summary>
    public static double AttemptsPerLeg(CallTypeSpec callType)
    {
        ArgumentNullException.ThrowIfNull(callType);
        double attempts = 1, reach = 1;
        foreach (var p in callType.Redials?.Probabilities ?? [])
        {
            reach *= p;
            attempts += reach;
        }
        return attempts;
    }
}
