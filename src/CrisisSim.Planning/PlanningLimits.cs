namespace CrisisSim.Planning;

/// <summary>Bounds on what <c>staff</c>, <c>sweep</c> and <c>size</c> may be asked for, checked before any simulation
/// starts (documented in README.md, section Planning). A run's own bounds are <c>CrisisSim.Engine.RunLimits</c>, a
/// scenario's <c>ScenarioLimits</c>.</summary>
public static class PlanningLimits
{
    /// <summary>Points of one sweep; options (committed x on-demand seats) x ensemble members of one sizing.</summary>
    public const int MaxPoints = 10_000;

    /// <summary>Replications over all the points of a sweep or a sizing (points x replications).</summary>
    public const long MaxReplicationRuns = 1_000_000;

    /// <summary><c>--set</c> options of one command.</summary>
    public const int MaxSettings = 20;

    /// <summary>Scenario files of one sizing ensemble.</summary>
    public const int MaxEnsembleFiles = 100;

    /// <summary>Iterations of the staffing algorithm (<c>staff --max-iterations</c>).</summary>
    public const int MaxIterations = 200;

    /// <summary>Iterations of the staffing algorithm unless asked otherwise.</summary>
    public const int DefaultIterations = 40;

    /// <summary>Bytes of a contract file (<c>size --contract</c>): a few lines of YAML.</summary>
    public const int MaxContractFileBytes = 1 << 20;

    /// <summary>Most replications of one evaluation of a staffing unless asked otherwise (<c>staff --max-replications</c>):
    /// the replications grow from <c>-r</c> up to this until each interval is precise enough.</summary>
    public const int DefaultMaxReplications = 100;

    /// <summary>Most verification rounds of <c>staff --verify-rounds</c>.</summary>
    public const int MaxVerificationRounds = 10;

    /// <summary>Verification rounds unless asked otherwise.</summary>
    public const int DefaultVerificationRounds = 3;

    /// <summary>Largest cost per agent-hour, activation fee or penalty of a sizing.</summary>
    public const double MaxMoney = 1e12;
}
