using CrisisSim.Model.Components;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;
using CrisisSim.Plugins;

namespace CrisisSim.Grains;

/// <summary>One replication to run: the scenario, the run's root seed, the replication index and what it hands back.</summary>
/// <param name="Output">Its KPI rows only, measured where it ran (<see cref="ReplicationOutcome.Measures"/>), a fraction
/// of the size of its records; or its records (<see cref="ReplicationOutcome.Records"/>), with or without the call log.</param>
/// <param name="CallLogFolder">With the call log: a folder on the disk the client shares with the silo, where a
/// replication grain streams it (<see cref="ReplicationOutcome.CallLogPart"/>); null: the log is in the records.</param>
/// <param name="ArrivalsUntilSeconds">The live host's cut: a caller grain plays no arrival ahead after this time (the driver
/// drops those arrivals); infinity otherwise.</param>
[GenerateSerializer, Immutable, Alias("crisissim.RunRequest")]
public sealed record RunRequest(
    [property: Id(0)] ScenarioDefinition Scenario,
    [property: Id(1)] long Seed,
    [property: Id(2)] int Replication,
    [property: Id(3)] ReplicationOutput Output = ReplicationOutput.Records,
    [property: Id(4)] string? CallLogFolder = null,
    [property: Id(5)] double ArrivalsUntilSeconds = double.PositiveInfinity);

/// <summary>What one replication produced, whatever the host: the merged records of its components and the number of
/// messages and timers delivered.</summary>
/// <param name="Silos">Where it ran: the silo of each grain of the run (clock first, then components in address
/// order; a single entry for a replication grain). For diagnostics only: results never depend on it.</param>
/// <param name="Records">The merged records, when the request asked for them; otherwise null.</param>
/// <param name="Measures">The replication's KPIs, when the request did not ask for its records; otherwise null.</param>
/// <param name="CallLogPart">Where the call log was streamed (a file of <see cref="RunRequest.CallLogFolder"/>), with
/// the record count of each of its sorted runs in <paramref name="CallLogRuns"/>; null when it was not streamed.</param>
[GenerateSerializer, Immutable, Alias("crisissim.ReplicationOutcome")]
public sealed record ReplicationOutcome(
    [property: Id(0)] int Replication,
    [property: Id(1)] RecorderState? Records,
    [property: Id(2)] long Events,
    [property: Id(3)] string[] Silos,
    [property: Id(4)] ReplicationMeasures? Measures = null,
    [property: Id(5)] string? CallLogPart = null,
    [property: Id(6)] long[]? CallLogRuns = null);

/// <summary>A replication's KPI rows and playbook firings: the fields of <c>ReplicationKpis</c> (Engine) that carry them,
/// one for one, under the same names (a test ties the two); what a run measured where it ran needs of a replication.</summary>
/// <param name="PlaybookFirings">The playbook's firings, in the order they happened (null: none).</param>
[GenerateSerializer, Immutable, Alias("crisissim.ReplicationMeasures")]
public sealed record ReplicationMeasures(
    [property: Id(0)] double[] Overall,
    [property: Id(1)] double[][] ByCallType,
    [property: Id(2)] double[] Intervals,
    [property: Id(3)] double[]? IntervalsByCallType = null,
    [property: Id(4)] PlaybookFiring[]? PlaybookFirings = null);

/// <summary>Where a run grain's replication stands.</summary>
public enum RunState
{
    /// <summary>Still running: poll again.</summary>
    Running,
    /// <summary>Finished: the outcome is in <see cref="RunPoll.Outcome"/>.</summary>
    Done,
    /// <summary>This activation has no run (it never started here, or its activation was deactivated, or its silo
    /// stopped, before the outcome was handed over): the replication is lost. <see cref="RunPoll.Reason"/> says why.</summary>
    Lost,
}

/// <summary>The answer to one long poll of a run grain (<see cref="IRunGrain.Wait"/>).</summary>
[GenerateSerializer, Immutable, Alias("crisissim.RunPoll")]
public sealed record RunPoll(
    [property: Id(0)] RunState State,
    [property: Id(1)] ReplicationOutcome? Outcome = null,
    [property: Id(2)] string? Reason = null)
{
    /// <summary>The longest a single poll waits: far below any response timeout.</summary>
    public static TimeSpan MaxWait { get; } = TimeSpan.FromSeconds(5);

    /// <summary>A run nobody polls for this long is abandoned (its client has gone).</summary>
    public static TimeSpan Lease { get; } = TimeSpan.FromMinutes(1);

    public static RunPoll Running { get; } = new(RunState.Running);
}

/// <summary>Tells a component grain which component of which replication it hosts.</summary>
[GenerateSerializer, Immutable, Alias("crisissim.ComponentSetup")]
public sealed record ComponentSetup(
    [property: Id(0)] RunRequest Run,
    [property: Id(1)] int Address);

/// <summary>A message handed to a component at virtual time <see cref="Now"/>.</summary>
[GenerateSerializer, Immutable, Alias("crisissim.Delivery")]
public readonly record struct Delivery(
    [property: Id(0)] double Now,
    [property: Id(1)] Message Message);

/// <summary>A message handed to a component on the live host: due at scaled time <see cref="Due"/>, handled at the scaled
/// time the wall clock shows when the grain takes it (never before <see cref="Due"/>, never before its previous message).
/// Scaled time is <c>(Stopwatch timestamp − <see cref="EpochTimestamp"/>) × <see cref="Speed"/></c> in seconds: one
/// machine's monotonic clock, shared by the driver and the embedded silo.</summary>
[GenerateSerializer, Immutable, Alias("crisissim.LiveDelivery")]
public readonly record struct LiveDelivery(
    [property: Id(0)] long EpochTimestamp,
    [property: Id(1)] double Speed,
    [property: Id(2)] double Due,
    [property: Id(3)] Message Message);

/// <summary>One effect of a component, in the order it was emitted: a message sent now, or a timer due at
/// <see cref="At"/>, set now or, when <see cref="InTurn"/>, in turn (see <see cref="IOutbox.SetTimerInTurn"/>).</summary>
[GenerateSerializer, Immutable, Alias("crisissim.Effect")]
public readonly record struct Effect(
    [property: Id(0)] bool IsTimer,
    [property: Id(1)] double At,
    [property: Id(2)] Message Message,
    [property: Id(3)] bool InTurn = false);

/// <summary>Every effect of one delivery (or of a component's start), in emission order, and the deliveries the
/// component has already played ahead (see <see cref="PlayedAhead"/>).</summary>
[GenerateSerializer, Immutable, Alias("crisissim.EffectBatch")]
public sealed record EffectBatch(
    [property: Id(0)] Effect[] Items,
    [property: Id(1)] PlayedAhead[]? Ahead = null)
{
    /// <summary>The time the component handled the delivery at, when a live delivery may have come after its due time
    /// (NaN otherwise: at its due time).</summary>
    [Id(2)]
    public double Now { get; init; } = double.NaN;

    public static EffectBatch Empty { get; } = new([]);
}

/// <summary>A delivery a component has handled before the clock reached it: a component that only reacts to its own
/// timers (a caller source) knows its next messages and their times, so its grain plays them ahead, in order, and the
/// clock posts <see cref="Effects"/> when the calendar reaches exactly this message at exactly this time, without a
/// grain call. The calendar sees the same posts at the same places as in the inline engine.</summary>
[GenerateSerializer, Immutable, Alias("crisissim.PlayedAhead")]
public sealed record PlayedAhead(
    [property: Id(0)] double Now,
    [property: Id(1)] Message Message,
    [property: Id(2)] Effect[] Effects);

/// <summary>What a component grain hands back when its run ends.</summary>
/// <param name="Service">The router's reading of the run's routing service at the end (a new window begun), when the
/// run asks one under live load (<see cref="IRouterGrain.ReadService"/>); null otherwise.</param>
[GenerateSerializer, Immutable, Alias("crisissim.ComponentReport")]
public sealed record ComponentReport(
    [property: Id(0)] RecorderState Records,
    [property: Id(1)] string Silo,
    [property: Id(2)] ServiceReading? Service = null);

/// <summary>What the run's routing service did so far, read where the router runs (the embedded silo or a silo of the
/// cluster) for the live host.</summary>
/// <param name="Policies">Policies that count in these counts (1 once the router is built).</param>
/// <param name="Counts">Everything counted since the run started.</param>
/// <param name="LongestInWindow">The longest latency since the previous reading that began a new window (see
/// <see cref="RoutingServiceWindows"/>).</param>
[GenerateSerializer, Immutable, Alias("crisissim.ServiceReading")]
public sealed record ServiceReading(
    [property: Id(0)] int Policies,
    [property: Id(1)] RoutingServiceCounts Counts,
    [property: Id(2)] TimeSpan LongestInWindow);
