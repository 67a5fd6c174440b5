using CrisisSim.Model.Arrivals;
using CrisisSim.Model.Distributions;
using CrisisSim.Model.Randomness;
using CrisisSim.Model.Recording;

namespace CrisisSim.Model.Components;

/// <summary>The callers of one call type: arrivals at the times its arrival process gives (drawn from the stream
/// <c>arrivals/TYPE</c>). Draws each caller's patience (or takes the recorded one, see <see cref="RecordedCalls"/>) and
/// offers the call to the router. For an outbound type, each arrival is a call to make, handed to the router the same
/// way but counted as created, not offered.</summary>
/// <remarks>The arrival process is open (nothing that happens in the contact center changes it), so the source draws
/// its next arrivals ahead, up to <see cref="ArrivalsAhead"/> at a time: each but the last is a timer set for the router
/// (<see cref="MessageKind.CallOffered"/> at its arrival time), and the last is the source's own timer
/// (<see cref="MessageKind.NextArrival"/>), which offers that call and draws the next ones. A call is one event, not
/// two, and the draws are those of one arrival at a time, in the same streams and order.</remarks>
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
    private readonly RecordedCalls? _recorded;
    private readonly int _ahead;
    private long _issued;

    /// <summary>Arrivals a source draws ahead at most: 16, fewer with many call types (the calendar holds them all, about
    /// 100,000 at most); 1 draws one arrival at a time.</summary>
    public static int ArrivalsAhead(int callTypeCount) => Math.Clamp(100_000 / Math.Max(1, callTypeCount), 1, 16);

    public CallerSource(
        int callType,
        ContactCenterLayout layout,
        ArrivalProcess process,
        Distribution? patience,
        RandomStream arrivals,
        RandomStream patienceStream,
        Recorder recorder,
        PatienceFactors? patienceFactors = null,
        bool outbound = false,
        RecordedCalls? recorded = null)
    {
        _recorded = recorded;
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
        _ahead = ArrivalsAhead(layout.CallTypeCount);
    }

    public void Start(IOutbox outbox) => ScheduleNext(outbox);

    public void Handle(in Message message, double now, IOutbox outbox)
    {
        if (message.Kind != MessageKind.NextArrival)
        {
            throw new InvalidOperationException($"Caller source cannot handle {message.Kind}");
        }
        outbox.Send(Arrival(now));
        ScheduleNext(outbox);
    }

    /// <summary>The call arriving at <paramref name="at"/>: its id and patience drawn, counted as offered (or created).</summary>
    private Message Arrival(double at)
    {
        var index = _issued++;
        var callId = CallIds.First(index, _callType, _callTypeCount);
        var patience = _recorded is null ? DrawnPatience(at) : RecordedPatience(index, at);
        if (_outbound)
        {
            _recorder.Count(CallCounter.OutboundCreated, _callType, at);
        }
        else
        {
            _recorder.Offered(_callType, at);
        }
        return Message.Offered(_router, callId, _callType, at, patience);
    }

    private double DrawnPatience(double at)
    {
        var patience = _patience?.Sample(_patienceStream) ?? double.PositiveInfinity;
        return _patienceFactors is null ? patience : _patienceFactors.Apply(patience, at);
    }

    /// <summary>The recorded caller's patience: as observed; or drawn above the wait it was served after, by rejection
    /// (at most <see cref="RecordedCalls.PatienceTries"/> draws, then the wait itself); or drawn as usual.</summary>
    private double RecordedPatience(long index, double at)
    {
        var observed = _recorded!.Patience(index);
        if (!double.IsNaN(observed))
        {
            return observed;
        }
        var atLeast = _recorded.PatienceAtLeast(index);
        if (double.IsNaN(atLeast))
        {
            return DrawnPatience(at);
        }
        for (var i = 0; i < RecordedCalls.PatienceTries; i++)
        {
            var patience = DrawnPatience(at);
            if (patience > atLeast)
            {
                return patience;
            }
        }
        return atLeast;
    }

    /// <summary>Draws the next arrivals: all but the last offered to the router by timers, the last the source's own timer.</summary>
    private void ScheduleNext(IOutbox outbox)
    {
        var next = _process.Next(_arrivals);
        for (var drawn = 1; drawn < _ahead && next < double.PositiveInfinity; drawn++)
        {
            var following = _process.Next(_arrivals);
            outbox.SetTimer(next, Arrival(next));
            next = following;
        }
        if (next < double.PositiveInfinity)
        {
            outbox.SetTimer(next, new Message(MessageKind.NextArrival, _self));
        }
    }
}
