using CrisisSim.Model.Distributions;
using CrisisSim.Model.Randomness;
using CrisisSim.Model.Recording;

namespace CrisisSim.Model.Components;

/// <summary>The operators of one group at work: each answered call gets a handle time drawn from the group's stream,
/// and the router is told when the operator is done.</summary>
public sealed class OperatorGroup : IComponent
{
    private readonly int _group;
    private readonly int _router;
    private readonly Distribution?[] _handleTimeByCallType;
    private readonly RandomStream _handleTimes;
    private readonly RandomStream? _callbackHandleTimes;
    private readonly RandomStream? _outboundHandleTimes;
    private readonly Recorder _recorder;

    public OperatorGroup(int group, ContactCenterLayout layout, Distribution?[] handleTimeByCallType, RandomStream handleTimes, Recorder recorder, RandomStream? callbackHandleTimes = null, RandomStream? outboundHandleTimes = null)
    {
        _callbackHandleTimes = callbackHandleTimes;
        _outboundHandleTimes = outboundHandleTimes;
        _group = group;
        _router = layout.Router;
        _handleTimeByCallType = handleTimeByCallType;
        _handleTimes = handleTimes;
        _recorder = recorder;
    }

    public void Start(IOutbox outbox)
    {
    }

    public void Handle(in Message message, double now, IOutbox outbox)
    {
        if (message.Kind == MessageKind.StartCallback)
        {
            // A callback: its own handle-time stream, so that the inbound calls' draws do not shift.
            var callback = _handleTimeByCallType[message.CallType]!.Sample(_callbackHandleTimes!);
            outbox.SetTimer(now + callback, message with { Kind = MessageKind.CallbackDone, Target = _router });
            return;
        }
        if (message.Kind == MessageKind.StartOutbound)
        {
            // An outbound call, reached: its own stream too; its talk time is counted apart from the inbound AHT.
            var talk = _handleTimeByCallType[message.CallType]!.Sample(_outboundHandleTimes!);
            _recorder.Count(CallCounter.OutboundHandleTimeSum, message.CallType, message.ArrivalTime, talk);
            outbox.SetTimer(now + talk, message with { Kind = MessageKind.OutboundDone, Target = _router });
            return;
        }
        if (message.Kind != MessageKind.StartService)
        {
            throw new InvalidOperationException($"Operator group cannot handle {message.Kind}");
        }
        var distribution = _handleTimeByCallType[message.CallType]
            ?? throw new InvalidOperationException($"Group {_group} was routed call type {message.CallType}, which it does not serve");
        var handle = distribution.Sample(_handleTimes);
        _recorder.Answered(message.CallId, message.CallType, message.ArrivalTime, now, handle, _group, message.Operator);
        outbox.SetTimer(now + handle, message with { Kind = MessageKind.ServiceDone, Target = _router });
    }
}
