using System.Diagnostics;
using CrisisSim.Model.Components;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;
using CrisisSim.Plugins;

namespace CrisisSim.Grains;

/// <summary>Hosts one component of one replication, built by <see cref="ContactCenter.CreateComponent"/> (the router
/// by <see cref="ContactCenter.CreateRouter"/>) exactly as the inline engine builds it, with its own recorder. Each delivery returns the effects the component emitted,
/// in order, for the clock to post in its calendar.</summary>
public abstract class ComponentGrain : Grain, IComponentGrain
{
    private readonly EffectOutbox _outbox = new();
    private IComponent? _component;
    private Recorder? _recorder;
    private int _address;
    private double _lastNow;
    private double _arrivalsUntil = double.PositiveInfinity;

    public ValueTask<EffectBatch> Start(ComponentSetup setup)
    {
        if (_component is not null)
        {
            throw new InvalidOperationException($"{this.GetPrimaryKeyString()} has already started");
        }
        var address = RunKeys.AddressOf(this.GetPrimaryKeyString());
        if (setup.Address != address)
        {
            throw new ArgumentException($"Grain {this.GetPrimaryKeyString()} was asked to host component {setup.Address}", nameof(setup));
        }
        var run = setup.Run;
        var center = new ContactCenter(Prepare(run.Scenario), run.Seed, run.Replication);
        if (!Hosts(center.Layout, address))
        {
            throw new ArgumentException($"{GetType().Name} cannot host component {address}", nameof(setup));
        }
        _address = address;
        _arrivalsUntil = run.ArrivalsUntilSeconds;
        _recorder = center.NewRecorder(run.Output.KeepsCallLog(), run.Output.ReturnsRecords());
        _component = Create(center, address, _recorder, run.Output.KeepsCallLog());
        _component.Start(_outbox);
        return new(WithPlayAhead(_component, _outbox.Drain()));
    }

    /// <summary>A call reached a fresh activation that never started: the run's state here is gone (the silo stopped or the
    /// grain was deactivated mid-run). An Orleans runtime error, so that the client reports the run as lost
    /// (<see cref="RunLostException"/>) rather than as a failure of the model.</summary>
    private OrleansException StateLost() =>
        new($"{this.GetPrimaryKeyString()} has not started here: its activation is new, and the run's state in it is lost");

    public ValueTask<EffectBatch> Deliver(Delivery delivery)
    {
        var component = _component ?? throw StateLost();
        // Virtual time only moves forward; after a live part (see DeliverLive) the component's clock may be ahead of a timer.
        _lastNow = Math.Max(_lastNow, delivery.Now);
        component.Handle(delivery.Message, _lastNow, _outbox);
        return new(WithPlayAhead(component, _outbox.Drain()));
    }

    public ValueTask<EffectBatch> DeliverLive(LiveDelivery delivery)
    {
        var component = _component ?? throw StateLost();
        var wall = (Stopwatch.GetTimestamp() - delivery.EpochTimestamp) * delivery.Speed / Stopwatch.Frequency;
        // Time never runs back for a component, and a message is never handled before it is due.
        var now = Math.Max(_lastNow, Math.Max(delivery.Due, wall));
        _lastNow = now;
        component.Handle(delivery.Message, now, _outbox);
        return new(WithPlayAhead(component, _outbox.Drain()) with { Now = now });
    }

    public ValueTask<ComponentReport> Finish()
    {
        var recorder = _recorder ?? throw StateLost();
        AddOwnedRecords(recorder);
        var report = new ComponentReport(recorder.ToState(), Silo, Service(newWindow: true));
        Release();
        return new(report);
    }

    public ValueTask Abandon()
    {
        Release();
        return ValueTask.CompletedTask;
    }

    internal string Silo => GrainContext.Address.SiloAddress?.ToString() ?? "";

    protected abstract bool Hosts(ContactCenterLayout layout, int address);

    /// <summary>The scenario the component is built from, as decoded (the router attaches what counts its routing
    /// service).</summary>
    protected virtual ScenarioDefinition Prepare(ScenarioDefinition scenario) => scenario;

    /// <summary>What the run's routing service did so far, when this component counts it (see
    /// <see cref="IRouterGrain.ReadService"/>).</summary>
    protected virtual ServiceReading? Service(bool newWindow) => null;

    /// <summary>Drops what the component kept beside its records, when the run ends or is abandoned.</summary>
    protected virtual void Released()
    {
    }

    protected virtual IComponent Create(ContactCenter center, int address, Recorder recorder, bool keepCallLog) =>
        center.CreateComponent(address, recorder);

    /// <summary>Adds to the component's records those of the parts it runs itself, before they are reported.</summary>
    protected virtual void AddOwnedRecords(Recorder recorder)
    {
    }

    /// <summary>How many of its own timers the component may play ahead; only for a component that receives nothing
    /// but its own timers, whose next messages are therefore known (0: none).</summary>
    protected virtual int PlayAheadDepth => 0;

    /// <summary>Adds the deliveries played ahead: while the last effects hold exactly one timer for this component
    /// itself, that timer is the component's next message, delivered at its due time whatever else happens.</summary>
    private EffectBatch WithPlayAhead(IComponent component, EffectBatch batch)
    {
        if (PlayAheadDepth == 0)
        {
            return batch;
        }
        var ahead = new List<PlayedAhead>();
        var effects = batch.Items;
        while (ahead.Count < PlayAheadDepth && NextOwnTimer(effects) is { } next && next.At <= _arrivalsUntil)
        {
            component.Handle(next.Message, next.At, _outbox);
            effects = _outbox.Drain().Items;
            ahead.Add(new PlayedAhead(next.At, next.Message, effects));
        }
        return ahead.Count == 0 ? batch : batch with { Ahead = [.. ahead] };
    }

    private Effect? NextOwnTimer(Effect[] effects)
    {
        Effect? own = null;
        foreach (var effect in effects)
        {
            if (effect.Message.Target == _address)
            {
                if (own is not null || !effect.IsTimer || effect.InTurn)
                {
                    return null;
                }
                own = effect;
            }
        }
        return own;
    }

    private void Release()
    {
        _component = null;
        _recorder = null;
        Released();
        DeactivateOnIdle();
    }
}

/// <remarks>A caller source reacts only to its own arrival timers, so the grain plays up to
/// <see cref="PlayAheadDepth"/> arrivals ahead: one grain call for that many calls offered.</remarks>
[RunPlacement]
public sealed class CallerGrain : ComponentGrain, ICallerGrain
{
    public const int ArrivalsPlayedAhead = 256;

    protected override bool Hosts(ContactCenterLayout layout, int address) => address >= 0 && address < layout.CallTypeCount;

    protected override int PlayAheadDepth => ArrivalsPlayedAhead;
}

/// <remarks>The router puts its own operator groups to work (the operator group grains receive nothing): their records
/// are added to the router's after it, as the clock would merge them at their addresses. The caller sources, merged
/// before the router, add only counts (whole numbers, exact in any order) and zeros, so every sum is the same.
/// <para>Under live load (the scenario's routing service names its live run, <see cref="RoutingServiceSpec.LiveRun"/>),
/// the router counts what the service did in counters of its own, in the process where it runs, whichever silo that
/// is: the live host reads them through <see cref="ReadService"/> once a window, and at the end with the router's
/// report. They go with the run (dropped when it finishes or is abandoned, or with the activation).</para></remarks>
[RunPlacement]
public sealed class RouterGrain : ComponentGrain, IRouterGrain
{
    private Recorder[] _groupRecorders = [];
    private RoutingServiceCounters? _service;

    protected override ScenarioDefinition Prepare(ScenarioDefinition scenario)
    {
        if (scenario.Routing.Service is not { LiveRun: not null })
        {
            return scenario;
        }
        _service = new RoutingServiceCounters();
        return scenario with { Routing = RoutingService.Resolve(scenario.Routing, RoutingServiceMode.Live, _service) };
    }

    public ValueTask<ServiceReading?> ReadService(bool newWindow) => new(Service(newWindow));

    protected override ServiceReading? Service(bool newWindow)
    {
        if (_service is not { } counters)
        {
            return null;
        }
        var counts = counters.Read();
        return new ServiceReading(counters.Policies, counts, counters.LongestInWindow(newWindow));
    }

    protected override void Released() => _service = null;

    protected override bool Hosts(ContactCenterLayout layout, int address) => address == layout.Router;

    protected override IComponent Create(ContactCenter center, int address, Recorder recorder, bool keepCallLog)
    {
        _groupRecorders = [.. Enumerable.Range(0, center.Layout.GroupCount).Select(_ => center.NewRecorder(keepCallLog, recorder.KeepsCallTypeIntervals, recorder))];
        return center.CreateRouter(recorder, _groupRecorders);
    }

    protected override void AddOwnedRecords(Recorder recorder)
    {
        foreach (var group in _groupRecorders)
        {
            recorder.MergeFrom(group);
        }
        _groupRecorders = [];
    }
}

[RunPlacement]
public sealed class OperatorGroupGrain : ComponentGrain, IOperatorGroupGrain
{
    protected override bool Hosts(ContactCenterLayout layout, int address) => address > layout.Router && address < layout.ComponentCount;
}

/// <summary>Collects a component's effects in emission order.</summary>
internal sealed class EffectOutbox : IOutbox
{
    private Effect[] _items = new Effect[8];
    private int _count;

    public void Send(in Message message) => Add(new Effect(false, 0, message));

    public void SetTimer(double at, in Message message) => Add(new Effect(true, at, message));

    public void SetTimerInTurn(double at, in Message message) => Add(new Effect(true, at, message, InTurn: true));

    public EffectBatch Drain()
    {
        if (_count == 0)
        {
            return EffectBatch.Empty;
        }
        var batch = new EffectBatch(_items.AsSpan(0, _count).ToArray());
        _count = 0;
        return batch;
    }

    private void Add(in Effect effect)
    {
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }
        _items[_count++] = effect;
    }
}
