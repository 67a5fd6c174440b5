using CrisisSim.Engine;
using CrisisSim.Model.Components;
using CrisisSim.Model.Recording;

namespace CrisisSim.Grains;

/// <summary>The virtual clock of one replication: owns the event calendar, delivers each message to the grain hosting
/// its target component and posts the effects that come back in the order they were emitted. The calendar sees
/// exactly the posts the inline engine makes, so every (time, sequence) order, and so every outcome, is the same.</summary>
/// <remarks>Virtual time is the calendar alone: no Orleans timer, no wall clock. One delivery is in flight at a time.
/// The loop runs as the grain's own work after <see cref="RunGrain.Start"/> has returned (see <see cref="RunGrain"/>).</remarks>
[RunPlacement]
public sealed class RunClockGrain : RunGrain, IRunClockGrain
{
    private const int CancellationCheckInterval = 4096;

    protected override async Task<ReplicationOutcome> RunAsync(string runId, RunRequest request, CancellationToken cancellationToken)
    {
        // Start returns now; the loop goes on as the grain's own work, between polls.
        await Task.Yield();
        var center = new ContactCenter(request.Scenario, request.Seed, request.Replication);
        var grains = ComponentGrains(runId, center.Layout);
        var ahead = new PlayedAheadQueues(grains.Length);
        var finished = false;
        try
        {
            var calendar = new Calendar();
            for (var address = 0; address < grains.Length; address++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Post(calendar, ahead, address, await grains[address].Start(new ComponentSetup(request, address)));
            }
            while (calendar.TryNext(out var now, out var message))
            {
                if (calendar.Delivered % CancellationCheckInterval == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
                if (ahead.TryTake(now, message) is { } played)
                {
                    Post(calendar, played);
                    continue;
                }
                Post(calendar, ahead, message.Target, await grains[message.Target].Deliver(new Delivery(now, message)));
            }
            ahead.EnsureAllTaken();

            var recorders = new Recorder[grains.Length];
            var silos = new string[grains.Length + 1];
            silos[0] = Silo;
            for (var address = 0; address < grains.Length; address++)
            {
                var report = await grains[address].Finish();
                recorders[address] = Recorder.FromState(report.Records);
                silos[address + 1] = report.Silo;
            }
            finished = true;
            var merged = InlineEngine.MergeInAddressOrder(center, recorders, request.Output.KeepsCallLog());
            return Outcome(request, new ReplicationResult(request.Replication, merged, calendar.Delivered), silos);
        }
        finally
        {
            if (!finished)
            {
                await AbandonAll(grains);
            }
        }
    }

    private IComponentGrain[] ComponentGrains(string runId, ContactCenterLayout layout)
    {
        var grains = new IComponentGrain[layout.ComponentCount];
        for (var address = 0; address < grains.Length; address++)
        {
            var key = RunKeys.Component(runId, address);
            grains[address] = address < layout.CallTypeCount ? GrainFactory.GetGrain<ICallerGrain>(key)
                : address == layout.Router ? GrainFactory.GetGrain<IRouterGrain>(key)
                : GrainFactory.GetGrain<IOperatorGroupGrain>(key);
        }
        return grains;
    }

    private static void Post(Calendar calendar, PlayedAheadQueues ahead, int address, EffectBatch batch)
    {
        Post(calendar, batch.Items);
        if (batch.Ahead is { Length: > 0 } played)
        {
            ahead.Set(address, played);
        }
    }

    private static void Post(Calendar calendar, Effect[] effects)
    {
        foreach (ref readonly var effect in effects.AsSpan())
        {
            if (effect.InTurn)
            {
                calendar.SetTimerInTurn(effect.At, effect.Message);
            }
            else if (effect.IsTimer)
            {
                calendar.SetTimer(effect.At, effect.Message);
            }
            else
            {
                calendar.Send(effect.Message);
            }
        }
    }

    private static async Task AbandonAll(IComponentGrain[] grains)
    {
        foreach (var grain in grains)
        {
            try
            {
                await grain.Abandon();
            }
            catch (Exception)
            {
                // Best effort: the run has failed already; an unreachable grain is collected when idle.
            }
        }
    }
}
