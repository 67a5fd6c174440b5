using CrisisSim.Model.Recording;
using CrisisSim.Engine;
using System.Diagnostics;

namespace CrisisSim.Grains;

/// <summary>Runs one replication in the background of a grain: <see cref="Start"/> returns at once and the caller
/// long-polls <see cref="Wait"/>, so no grain call lasts longer than a poll, whatever the replication's length and the
/// response timeout. The work stops when the caller cancels, when the grain deactivates, and when nobody has polled
/// for <see cref="RunPoll.Lease"/> (the client has gone).</summary>
public abstract class RunGrain : Grain, IRunGrain
{
    /// <summary>How long <see cref="Cancel"/> and deactivation wait for the work to stop and release its grains.</summary>
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan LeaseCheck = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stop = new();
    private Task<ReplicationOutcome>? _work;
    private IGrainTimer? _leaseTimer;
    private long _lastPoll;
    private string? _stopReason;

    public Task<string> Start(RunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var runId = this.GetPrimaryKeyString();
        if (_work is not null)
        {
            throw new InvalidOperationException($"Run {runId} has already started");
        }
        RunKeys.Validate(runId);
        _lastPoll = Stopwatch.GetTimestamp();
        _work = RunAsync(runId, request, _stop.Token);
        _leaseTimer = this.RegisterGrainTimer(CheckLease, new GrainTimerCreationOptions(LeaseCheck, LeaseCheck) { Interleave = true });
        return Task.FromResult(Silo);
    }

    public async Task<RunPoll> Wait(TimeSpan maxWait)
    {
        if (_work is not { } work)
        {
            DeactivateOnIdle();
            return new RunPoll(RunState.Lost, Reason: _stopReason ?? "the run is not known here: it never started on this activation, or its grain was deactivated (its silo stopped?) before it finished");
        }
        _lastPoll = Stopwatch.GetTimestamp();
        if (!work.IsCompleted)
        {
            using var delay = new CancellationTokenSource();
            var wait = maxWait < RunPoll.MaxWait ? maxWait : RunPoll.MaxWait;
            await Task.WhenAny(work, Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, delay.Token));
            await delay.CancelAsync();
            _lastPoll = Stopwatch.GetTimestamp();
            if (!work.IsCompleted)
            {
                return RunPoll.Running;
            }
        }
        if (work.IsCanceled && _stopReason is { } reason)
        {
            Release();
            return new RunPoll(RunState.Lost, Reason: reason);
        }
        Release();
        return new RunPoll(RunState.Done, await work);
    }

    public async Task Cancel()
    {
        await StopAsync("the run was cancelled");
        Release();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await StopAsync($"its grain was deactivated ({reason.ReasonCode}: {reason.Description})");
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <summary>Runs the replication of <paramref name="request"/>; called once, from <see cref="Start"/>, on the grain's
    /// scheduler. Must return (or yield) quickly: the caller of <see cref="Start"/> waits for that much.</summary>
    protected abstract Task<ReplicationOutcome> RunAsync(string runId, RunRequest request, CancellationToken cancellationToken);

    internal string Silo => GrainContext.Address.SiloAddress?.ToString() ?? "";

    private async Task StopAsync(string reason)
    {
        if (_work is not { IsCompleted: false } work)
        {
            return;
        }
        _stopReason ??= reason;
        await _stop.CancelAsync();
        try
        {
            await work.WaitAsync(StopWait);
        }
        catch (Exception)
        {
            // Stopped (cancelled or failed), or still stopping after StopWait: either way the run is over for its caller.
        }
    }

    private async Task CheckLease(CancellationToken cancellationToken)
    {
        if (_work is not null && Stopwatch.GetElapsedTime(_lastPoll) > RunPoll.Lease)
        {
            await StopAsync($"nobody polled it for {RunPoll.Lease.TotalSeconds:F0} s");
            Release();
        }
    }

    private void Release()
    {
        _leaseTimer?.Dispose();
        _leaseTimer = null;
        DeactivateOnIdle();
    }

    /// <summary>The outcome of a finished replication, with its records or its KPIs as <paramref name="request"/> asks.</summary>
    protected static ReplicationOutcome Outcome(RunRequest request, ReplicationResult result, string[] silos)
    {
        if (request.Output.ReturnsRecords())
        {
            return new ReplicationOutcome(result.Replication, result.Records.ToState(), result.Events, silos,
                CallLogPart: result.CallLog?.Part.Location, CallLogRuns: result.CallLog?.Part.Runs);
        }
        var kpis = RunAccumulator.Measure(request.Scenario, result, returnRecords: false);
        return new ReplicationOutcome(result.Replication, null, result.Events, silos, GrainRunner.ToMeasures(kpis));
    }
}
