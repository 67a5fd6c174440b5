using CrisisSim.Model.Distributions;
using CrisisSim.Model.Randomness;
using CrisisSim.Model.Recording;

namespace CrisisSim.Model.Components;

/// <summary>The operators of one group at work: each answered call gets a handle time drawn from the group's stream, times
/// the operator's multiplier that the router passes (proficiency, learning curve), then optionally after-call work drawn
/// from its own stream; the router is told when the talk ends and how long the after-call work lasts. A recorded caller
/// (a trace-driven replay) talks for its recorded time instead of a drawn one (see <see cref="RecordedCalls"/>).</summary>
/// <remarks>The router puts an operator to work with a direct call (<see cref="Take"/>), in the same process in every
/// host; its timers are set in turn, so every order is the one a message from the router would have given. The group
/// keeps its own address and recorder, so records merge in address order as before.</remarks>
public sealed class OperatorGroup : IComponent
{
    private readonly int _group;
    private readonly int _router;
    private readonly ByServedCallType<Distribution> _handleTimeByCallType;
    private readonly RandomStream _handleTimes;
    private readonly RandomStream? _callbackHandleTimes;
    private readonly RandomStream? _outboundHandleTimes;
    private readonly Recorder _recorder;
    private readonly Distribution? _afterCallWork;
    private readonly RandomStream? _afterCallWorkTimes;
    private readonly ByServedCallType<RecordedCalls>? _recorded;
    private readonly int _callTypeCount;

    public OperatorGroup(
        int group,
        ContactCenterLayout layout,
        ByServedCallType<Distribution> handleTimeByCallType,
        RandomStream handleTimes,
        Recorder recorder,
        RandomStream? callbackHandleTimes = null,
        RandomStream? outboundHandleTimes = null,
        Distribution? afterCallWork = null,
        RandomStream? afterCallWorkTimes = null,
        ByServedCallType<RecordedCalls>? recorded = null)
    {
        _recorded = recorded;
        _callTypeCount = layout.CallTypeCount;
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

    /// <summary>Delivered as a message: the work of <see cref="Take"/>, the timers set now.</summary>
    public void Handle(in Message message, double now, IOutbox outbox) => Work(message, now, outbox, inTurn: false);

    /// <summary>The router puts an operator to work now (<see cref="MessageKind.StartService"/>,
    /// <see cref="MessageKind.StartCallback"/> or <see cref="MessageKind.StartOutbound"/>): draws in the order the
    /// router asks, the end of the talk as a timer set in turn (<see cref="IOutbox.SetTimerInTurn"/>).</summary>
    public void Take(in Message message, double now, IOutbox outbox) => Work(message, now, outbox, inTurn: true);

    private void Work(in Message message, double now, IOutbox outbox, bool inTurn)
    {
        double end;
        Message done;
        if (message.Kind == MessageKind.StartCallback)
        {
            // A callback: its own handle-time stream, so that the inbound calls' draws do not shift.
            var callback = Talk(message, _handleTimeByCallType[message.CallType]!, _callbackHandleTimes!) * message.HandleTimeMultiplier;
            end = now + callback;
            done = message.Done(MessageKind.CallbackDone, _router, AfterCallWork());
        }
        else if (message.Kind == MessageKind.StartOutbound)
        {
            // An outbound call, reached: its own stream too; its talk time is counted apart from the inbound AHT.
            var talk = Talk(message, _handleTimeByCallType[message.CallType]!, _outboundHandleTimes!) * message.HandleTimeMultiplier;
            _recorder.Count(CallCounter.OutboundHandleTimeSum, message.CallType, message.ArrivalTime, talk);
            end = now + talk;
            done = message.Done(MessageKind.OutboundDone, _router, AfterCallWork());
        }
        else if (message.Kind == MessageKind.StartService)
        {
            var distribution = _handleTimeByCallType[message.CallType]
                ?? throw new InvalidOperationException($"Group {_group} was routed call type {message.CallType}, which it does not serve");
            // The draw is the same whatever the multiplier (x 1 is exact): a group without proficiency or learning is unchanged.
            var handle = Talk(message, distribution, _handleTimes) * message.HandleTimeMultiplier;
            var afterCallWork = AfterCallWork();
            _recorder.Answered(message.CallId, message.CallType, message.ArrivalTime, now, handle, _group, message.Operator, afterCallWork);
            end = now + handle;
            done = message.Done(MessageKind.ServiceDone, _router, afterCallWork);
        }
        else
        {
            throw new InvalidOperationException($"Operator group cannot handle {message.Kind}");
        }
        if (inTurn)
        {
            outbox.SetTimerInTurn(end, done);
        }
        else
        {
            outbox.SetTimer(end, done);
        }
    }

    /// <summary>The talk before the operator's multiplier: the recorded talk time of the call's caller on its first leg,
    /// otherwise drawn from <paramref name="stream"/> (a recorded talk draws nothing).</summary>
    private double Talk(in Message message, Distribution distribution, RandomStream stream)
    {
        if (_recorded?[message.CallType] is { HasHandleTimes: true } recorded && CallIds.Leg(message.CallId) == 1
            && recorded.HandleTime(CallIds.Index(message.CallId, _callTypeCount)) is var talk && !double.IsNaN(talk))
        {
            return talk;
        }
        return distribution.Sample(stream);
    }

    private double AfterCallWork() => _afterCallWork is null ? 0 : _afterCallWork.Sample(_afterCallWorkTimes!);
}
