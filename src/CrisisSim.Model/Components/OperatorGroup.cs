using CrisisSim.Model.Distributions;
using CrisisSim.Model.Randomness;
using CrisisSim.Model.Recording;

namespace CrisisSim.Model.Components;

/// <summary>The operators of one group at work: each answered call gets a handle time drawn from the group's stream, times
/// the operator's multiplier that the router sends (proficiency, learning curve), then optionally after-call work drawn
/// from its own stream; the router is told when the talk ends and how long the after-call work lasts.</summary>
public sealed class OperatorGroup : IComponent
{
    private readonly int _group;
    private readonly int _router;
    private readonly Distribution?[] _handleTimeByCallType;
    private readonly RandomStream _handleTimes;
    private readonly RandomStream? _callbackHandleTimes;
    private readonly RandomStream? _outboundHandleTimes;
    private readonly Recorder _recorder;
    private readonly Distribution? _afterCallWork;
    private readonly RandomStream? _afterCallWorkTimes;

    public OperatorGroup(
        int group,
        ContactCenterLayout layout,
        Distribution?[] handleTimeByCallType,
        RandomStream handleTimes,
        Recorder recorder,
        RandomStream? callbackHandleTimes = null,
        RandomStream? outboundHandleTimes = null,
        Distribution? afterCallWork = null,
        RandomStream? afterCallWorkTimes = null)
    {
        _afterCallWork = afterCallWork;
        _afterCallWorkTimes = afterCallWorkTimes;
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
            var callback = _handleTimeByCallType[message.CallType]!.Sample(_callbackHandleTimes!) * message.Value;
            outbox.SetTimer(now + callback, message with { Kind = MessageKind.CallbackDone, Target = _router, Value = AfterCallWork() });
            return;
        }
        if (message.Kind == MessageKind.StartOutbound)
        {
            // An outbound call, reached: its own stream too; its talk time is counted apart from the inbound AHT.
            var talk = _handleTimeByCallType[message.CallType]!.Sample(_outboundHandleTimes!) * message.Value;
            _recorder.Count(CallCounter.OutboundHandleTimeSum, message.CallType, message.ArrivalTime, talk);
            outbox.SetTimer(now + talk, message with { Kind = MessageKind.OutboundDone, Target = _router, Value = AfterCallWork() });
            return;
        }
        if (message.Kind != MessageKind.StartService)
        {
            throw new InvalidOperationException($"Operator group cannot handle {message.Kind}");
        }
        var distribution = _handleTimeByCallType[message.CallType]
            ?? throw new InvalidOperationException($"Group {_group} was routed call type {message.CallType}, which it does not serve");
        // The draw is the same whatever the multiplier (x 1 is exact): a group without proficiency or learning is unchanged.
        var handle = distribution.Sample(_handleTimes) * message.Value;
        var afterCallWork = AfterCallWork();
        _recorder.Answered(message.CallId, message.CallType, message.ArrivalTime, now, handle, _group, message.Operator, afterCallWork);
        outbox.SetTimer(now + handle, message with { Kind = MessageKind.ServiceDone, Target = _router, Value = afterCallWork });
    }

    private double AfterCallWork() => _afterCallWork is null ? 0 : _afterCallWork.Sample(_afterCallWorkTimes!);
}
