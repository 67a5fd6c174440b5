using CrisisSim.Model.Arrivals;
using CrisisSim.Model.Distributions;
using CrisisSim.Model.Randomness;
using CrisisSim.Model.Recording;

namespace CrisisSim.Model.Components;

/// <summary>The callers of one call type: arrivals at the times its arrival process gives (drawn from the stream
/// <c>arrivals/TYPE</c>). Draws each caller's patience and offers the call to the router. For an outbound type, each
/// arrival is a call to make, handed to the router the same way but counted as created, not offered.</summary>
public sealed class CallerSource : IComponent
{
    private readonly int _callType;
    private readonly int _callTypeCount;
    private readonly int _self;
    private readonly int _router;
    private readonly ArrivalProcess _process;
    private readonly Distribution? _patience;
    private readonly RandomStream _arrivals;
    private readonly RandomStream _patienceStream;
    private readonly Recorder _recorder;
    private readonly PatienceFactors? _patienceFactors;
    private readonly bool _outbound;
    private long _issued;

    public CallerSource(
        int callType,
        ContactCenterLayout layout,
        ArrivalProcess process,
        Distribution? patience,
        RandomStream arrivals,
        RandomStream patienceStream,
        Recorder recorder,
        PatienceFactors? patienceFactors = null,
        bool outbound = false)
    {
        _patienceFactors = patienceFactors;
        _outbound = outbound;
        _callType = callType;
        _callTypeCount = layout.CallTypeCount;
        _self = layout.CallerSource(callType);
        _router = layout.Router;
        _process = process;
        _patience = patience;
        _arrivals = arrivals;
        _patienceStream = patienceStream;
        _recorder = recorder;
    }

    public void Start(IOutbox outbox) => ScheduleNext(outbox);

    public void Handle(in Message message, double now, IOutbox outbox)
    {
        if (message.Kind != MessageKind.NextArrival)
        {
            throw new InvalidOperationException($"Caller source cannot handle {message.Kind}");
        }
        var callId = _issued++ * _callTypeCount + _callType;
        var patience = _patience?.Sample(_patienceStream) ?? double.PositiveInfinity;
        if (_patienceFactors is not null)
        {
            patience = _patienceFactors.Apply(patience, now);
        }
        if (_outbound)
        {
            _recorder.Count(CallCounter.OutboundCreated, _callType, now);
        }
        else
        {
            _recorder.Offered(_callType, now);
        }
        outbox.Send(Message.Offered(_router, callId, _callType, now, patience));
        ScheduleNext(outbox);
    }

    private void ScheduleNext(IOutbox outbox)
    {
        var next = _process.Next(_arrivals);
        if (next < double.PositiveInfinity)
        {
            outbox.SetTimer(next, new Message(MessageKind.NextArrival, _self));
        }
    }
}
