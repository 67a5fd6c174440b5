using CrisisSim.Model.Components;
using CrisisSim.Model.Recording;

namespace CrisisSim.Grains;

/// <summary>Hosts one component of one replication, built by <see cref="ContactCenter.CreateComponent"/> exactly as
/// the inline engine builds it, with its own recorder. Each delivery returns the effects the component emitted,
/// in order, for the clock to post in its calendar.</summary>
public abstract class ComponentGrain : Grain, IComponentGrain
{
    private readonly EffectOutbox _outbox = new();
    private IComponent? _component;
    private Recorder? _recorder;

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
        var center = new ContactCenter(run.Scenario, run.Seed, run.Replication);
        if (!Hosts(center.Layout, address))
        {
            throw new ArgumentException($"{GetType().Name} cannot host component {address}", nameof(setup));
        }
        _recorder = center.NewRecorder(run.KeepCallLog);
        _component = center.CreateComponent(address, _recorder);
        _component.Start(_outbox);
        return new(_outbox.Drain());
    }

    public ValueTask<EffectBatch> Deliver(Delivery delivery)
    {
        var component = _component ?? throw new InvalidOperationException($"{this.GetPrimaryKeyString()} has not started");
        component.Handle(delivery.Message, delivery.Now, _outbox);
        return new(_outbox.Drain());
    }

    public ValueTask<ComponentReport> Finish()
    {
        var recorder = _recorder ?? throw new InvalidOperationException($"{this.GetPrimaryKeyString()} has not started");
        var report = new ComponentReport(recorder.ToState(), Silo);
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

    private void Release()
    {
        _component = null;
        _recorder = null;
        DeactivateOnIdle();
    }
}

[RunPlacement]
public sealed class CallerGrain : ComponentGrain, ICallerGrain
{
    protected override bool Hosts(ContactCenterLayout layout, int address) => address >= 0 && address < layout.CallTypeCount;
}

[RunPlacement]
public sealed class QueueGrain : ComponentGrain, IQueueGrain
{
    protected override bool Hosts(ContactCenterLayout layout, int address) => address == layout.Router;
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
