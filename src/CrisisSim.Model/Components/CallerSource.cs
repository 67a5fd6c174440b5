using CrisisSim.Model.Distributions;
using CrisisSim.Model.Randomness;
using CrisisSim.Model.Recording;

namespace CrisisSim.Model.Components;

/// <summary>The callers of one call type: a Poisson stream whose rate is constant within each interval.
/// Draws each caller's patience and offers the call to the router.</summary>
public sealed class CallerSource : IComponent
{
    private readonly int _callType;
    private readonly int _callTypeCount;
    private readonly int _self;
    private readonly int _router;
    private readonly double[] _ratePerSecond;
    private readonly double _intervalSeconds;
    private readonly Distribution? _patience;
    private readonly RandomStream _arrivals;
    private readonly RandomStream _patienceStream;
    private readonly Recorder _recorder;
    private long _issued;

    public CallerSource(
        int callType,
        ContactCenterLayout layout,
        IReadOnlyList<double> callsPerInterval,
        double intervalSeconds,
        Distribution? patience,
        RandomStream arrivals,
        RandomStream patienceStream,
        Recorder recorder)
    {
        _callType = callType;
        _callTypeCount = layout.CallTypeCount;
        _self = layout.CallerSource(callType);
        _router = layout.Router;
        _intervalSeconds = intervalSeconds;
        _ratePerSecond = [.. callsPerInterval.Select(c => c / intervalSeconds)];
        _patience = patience;
        _arrivals = arrivals;
        _patienceStream = patienceStream;
        _recorder = recorder;
    }

    public void Start(IOutbox outbox) => ScheduleNext(0, outbox);

    public void Handle(in Message message, double now, IOutbox outbox)
    {
        if (message.Kind != MessageKind.NextArrival)
        {
            throw new InvalidOperationException($"Caller source cannot handle {message.Kind}");
        }
        var callId = _issued++ * _callTypeCount + _callType;
        var patience = _patience?.Sample(_patienceStream) ?? double.PositiveInfinity;
        _recorder.Offered(_callType, now);
        outbox.Send(new Message(MessageKind.CallOffered, _router, callId, _callType, ArrivalTime: now, Value: patience));
        ScheduleNext(now, outbox);
    }

    /// <summary>Next arrival by inversion of the piecewise-constant cumulative rate: exact, and zero-rate intervals are skipped.</summary>
    private void ScheduleNext(double from, IOutbox outbox)
    {
        var work = _arrivals.NextExponential(1.0);
        var k = (int)(from / _intervalSeconds);
        var t = from;
        while (k < _ratePerSecond.Length)
        {
            var end = (k + 1) * _intervalSeconds;
            var rate = _ratePerSecond[k];
            if (rate > 0)
            {
                var dt = work / rate;
                if (t + dt < end)
                {
                    outbox.SetTimer(t + dt, new Message(MessageKind.NextArrival, _self));
                    return;
                }
                work -= rate * (end - t);
            }
            t = end;
            k++;
        }
    }
}
