using CrisisSim.Model.Distributions;
using CrisisSim.Model.Randomness;

namespace CrisisSim.Model.Components;

/// <summary>What happens to a call of one type between its arrival and the queue, as the router plays it: the number
/// it dials (-1: unlimited lines), an optional recorded message, and balking. Each decision draws from its own stream
/// (<c>ivr/TYPE</c>, <c>balking/TYPE</c>, <c>redial/TYPE</c>), so adding one does not shift the draws of the others.</summary>
public sealed class CallerJourney
{
    public static readonly CallerJourney Direct = new();

    public int Number { get; init; } = -1;

    /// <summary>Length of the recorded message; 0: none.</summary>
    public double MessageSeconds { get; init; }

    public double DeflectedShare { get; init; }

    public RandomStream? Ivr { get; init; }

    public double BalkingProbability { get; init; }

    public RandomStream? Balking { get; init; }

    /// <summary>A caller who would wait behind this many callers of its type balks for sure (no draw).</summary>
    public int BalkingQueueAbove { get; init; } = int.MaxValue;

    /// <summary>A caller announced an expected wait above this balks for sure (no draw); +inf: no limit.</summary>
    public double BalkingWaitAbove { get; init; } = double.PositiveInfinity;

    /// <summary>Patience factor by interval of the attempt's arrival; null: 1.</summary>
    public PatienceFactors? PatienceFactors { get; init; }

    /// <summary>Probability of redialling after failed attempt k at index k - 1; empty: no redials.</summary>
    public double[] RedialProbabilities { get; init; } = [];

    public Distribution? RedialDelay { get; init; }

    /// <summary>The patience of a redialling caller (drawn anew for each attempt); null: never abandons.</summary>
    public Distribution? RedialPatience { get; init; }

    public RandomStream? Redial { get; init; }

    /// <summary>Callbacks offered above this expected wait; +inf: none.</summary>
    public double CallbackOfferAbove { get; init; } = double.PositiveInfinity;

    public double CallbackAccept { get; init; }

    public double CallbackDeadline { get; init; }

    /// <summary>Mean handle time of the type (over the groups serving it), for the expected wait.</summary>
    public double MeanHandleTime { get; init; }

    public RandomStream? Callback { get; init; }

    /// <summary>Transfer targets after service, and the cumulative shares (the rest stays); empty: no transfer.</summary>
    public int[] TransferTargets { get; init; } = [];

    public double[] TransferCumulative { get; init; } = [];

    public RandomStream? Transfer { get; init; }

    /// <summary>The patience of a caller transferred to this type; null: never abandons.</summary>
    public Distribution? LegPatience { get; init; }

    /// <summary>Outbound follow-up: time from a call's creation to its deadline; 0: the type is inbound.</summary>
    public double OutboundDeadline { get; init; }

    public bool IsOutbound => OutboundDeadline > 0;

    /// <summary>Share of outbound attempts the person answers (1: every one, no draw).</summary>
    public double Reach { get; init; } = 1;

    /// <summary>How long an outbound attempt nobody answers holds the operator.</summary>
    public double NoAnswerSeconds { get; init; }

    public RandomStream? ReachStream { get; init; }
}
