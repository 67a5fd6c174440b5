using System.Diagnostics;
using CrisisSim.Engine;
using CrisisSim.Model.Components;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Routing;
using CrisisSim.Model.Scenario;
using HdrHistogram;
using Orleans.Serialization.Invocation;
using Recorder = CrisisSim.Model.Recording.Recorder;

namespace CrisisSim.Grains;

/// <summary>How a live run is driven.</summary>
public sealed record LiveOptions
{
    /// <summary>Scaled seconds per wall-clock second.</summary>
    public required double Speed { get; init; }

    /// <summary>Scaled time after which no call is offered (the scenario's arrivals are cut there); infinity: none.</summary>
    public double ArrivalsUntilSeconds { get; init; } = double.PositiveInfinity;

    /// <summary>Grain calls in flight at most; an event due beyond it waits (and shows as lag).</summary>
    public int MaxInFlight { get; init; } = 1000;

    /// <summary>An event dispatched more than this after its intended time is late.</summary>
    public TimeSpan LateAfter { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Length of a window of the wall clock for the per-window latencies.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(5);

    public IReadOnlyList<double> Percentiles { get; init; } = [50, 90, 95, 99, 99.9];

    /// <summary>Hand back a record per call (the call log) with the replication: memory then follows the calls, so it is
    /// for checks on short runs, not for the command.</summary>
    public bool KeepCallLog { get; init; }

    /// <summary>Called about once a second on the driver's thread with the run so far.</summary>
    public Action<LiveTick>? OnTick { get; init; }

    /// <summary>Called at the end of each window with the report so far, in window order, off the driver's thread (the
    /// driver goes on meanwhile); false stops the run (<see cref="LiveRunStoppedException"/>) as soon as the driver sees
    /// it.</summary>
    public Func<LatencyReport, bool>? OnWindow { get; init; }

    /// <summary>Completes the report of each window before <see cref="OnWindow"/> sees it (the routing service's counts,
    /// read where the router runs), without holding the driver up.</summary>
    internal Func<LatencyReport, Task<LatencyReport>>? CompleteWindow { get; init; }
}

/// <summary>The run so far, for a live display.</summary>
/// <param name="LagMs">How far the driver is behind the scaled clock now (0 when it keeps up).</param>
public readonly record struct LiveTick(double WallSeconds, double ScaledSeconds, double HorizonSeconds, long Offered, double OfferedPerSecond, double RouteP99Ms, double LagMs, long Late, long Events)
{
    /// <summary>The scenario's routing service so far (null when its routing is not a service).</summary>
    public LiveServiceTick? Service { get; init; }

    /// <summary>First legs of calls answered so far within the scenario's service-level threshold (their wait measured
    /// to when the router answered them, as the model measures it): over <see cref="Offered"/>, the service level so far
    /// for a live view (the run's KPIs give the exact one, over every attempt offered).</summary>
    public long AnsweredWithinThreshold { get; init; }
}

/// <summary>What a live run produced: the replication's records, as every host hands them back, and its latencies.</summary>
public sealed record LiveOutcome(ReplicationResult Replication, LatencyReport Latency);

/// <summary>The run was stopped by <see cref="LiveOptions.OnWindow"/>; <see cref="Latency"/> is the report at that moment.</summary>
public sealed class LiveRunStoppedException(LatencyReport latency) : Exception("The live run was stopped at the end of a window")
{
    public LatencyReport Latency { get; } = latency;
}

/// <summary>The live host: the model's component grains (the same <see cref="CallerGrain"/>, <see cref="RouterGrain"/> and
/// <see cref="OperatorGroupGrain"/> as in virtual time, the same components and random streams) driven by the wall clock
/// scaled by a speed. Each message is dispatched when the wall clock reaches its scaled due time, without waiting for
/// earlier messages to be answered (an open-model load, bounded by <see cref="LiveOptions.MaxInFlight"/>); the component
/// handles it at the scaled time of the wall clock when its grain takes it. Latencies are measured from each message's
/// intended wall time, so a driver or a grain that falls behind shows as latency and late events, never as fewer samples.</summary>
/// <remarks>Once every caller source is done (its arrivals ended, or were cut) and no call is left with a timer of its
/// own, what remains (staffing changes, the close) changes no call: it is delivered at once, in (time, sequence) order,
/// at its own scaled time, and not measured.</remarks>
public sealed class LiveRun
{
    private const long HighestMicroseconds = 3_600_000_000;

    private readonly IComponentGrain[] _grains;
    private readonly ContactCenterLayout _layout;
    private readonly LiveOptions _options;
    private readonly ScenarioDefinition _scenario;
    private readonly PlayedAheadQueues _ahead;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);
    private readonly PriorityQueue<(double Due, Message Message), (double, long)> _pending = new();
    private readonly KindHistograms _overall;
    private KindHistograms _window;
    private readonly List<LatencyWindow> _windows = [];
    private readonly long _lateAfterTicks;
    private long _sequence;
    private long _epoch;
    private int _inFlight;
    private int _inFlightPeak;
    private int _windowInFlightPeak;
    private int _arrivalTimers;
    private int _callTimers;
    private long _offered;
    private long _answeredWithin;
    private long _windowOffered;
    private long _events;
    private long _backPressureWaits;
    private double _maxLagMs;
    private double _windowMaxLagMs;
    private double _lastLiveDue;
    private long _allocatedAtStart;
    private double _frontier;
    private double _slowestWindowSpeed = double.PositiveInfinity;
    private long _lastLiveTimestamp;
    private Exception? _failure;
    private Task _windowsHandled = Task.CompletedTask;
    private LatencyReport? _stoppedAt;

    private LiveRun(IComponentGrain[] grains, ContactCenterLayout layout, ScenarioDefinition scenario, LiveOptions options)
    {
        _grains = grains;
        _layout = layout;
        _scenario = scenario;
        _options = options;
        _ahead = new PlayedAheadQueues(grains.Length);
        _overall = new KindHistograms();
        _window = new KindHistograms();
        _lateAfterTicks = (long)(options.LateAfter.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Plays replication 0 of <paramref name="scenario"/> live on the grains of <paramref name="grains"/>; a routing
    /// service is asked under live load and counted (<see cref="LiveService"/>).</summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled: the run's grains
    /// are dropped first.</exception>
    public static Task<LiveOutcome> RunAsync(IGrainFactory grains, ScenarioDefinition scenario, long seed, LiveOptions options, CancellationToken cancellationToken) =>
        LiveService.RunAsync(scenario, seed, options, (live, liveOptions, service) => RunLiveAsync(grains, live, seed, liveOptions, service, cancellationToken));

    private static async Task<LiveOutcome> RunLiveAsync(IGrainFactory grains, ScenarioDefinition scenario, long seed, LiveOptions options, LiveService? service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.Speed > 0) || double.IsInfinity(options.Speed))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Speed, "The speed must be positive and finite");
        }
        var center = new ContactCenter(scenario, seed, 0);
        var runId = RunKeys.Replication(GrainRunner.NewRunId(scenario, seed) + "-live", 0);
        var components = new IComponentGrain[center.Layout.ComponentCount];
        for (var address = 0; address < components.Length; address++)
        {
            var key = RunKeys.Component(runId, address);
            components[address] = address < center.Layout.CallTypeCount ? grains.GetGrain<ICallerGrain>(key)
                : address == center.Layout.Router ? grains.GetGrain<IRouterGrain>(key)
                : grains.GetGrain<IOperatorGroupGrain>(key);
        }
        var run = new LiveRun(components, center.Layout, scenario, options);
        service?.Attach((IRouterGrain)components[center.Layout.Router]);
        var finished = false;
        try
        {
            var request = new RunRequest(scenario, seed, 0, options.KeepCallLog ? ReplicationOutput.CallLog : ReplicationOutput.Records, ArrivalsUntilSeconds: options.ArrivalsUntilSeconds);
            for (var address = 0; address < components.Length; address++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = await components[address].Start(new ComponentSetup(request, address));
                run.PostStart(address, batch);
            }
            LiveMetrics.Observe(run);
            // The driver waits on a thread of its own, so that a busy thread pool does not delay a due message.
            var latency = await Task.Factory.StartNew(
                () => run.Drive(cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            await run.WindowsHandled();
            await run.PlayRest(cancellationToken);
            if (service is not null)
            {
                await service.Idle();
            }
            var recorders = new Recorder[components.Length];
            for (var address = 0; address < components.Length; address++)
            {
                var report = await components[address].Finish();
                recorders[address] = Recorder.FromState(report.Records);
                if (address == center.Layout.Router)
                {
                    service?.Finished(report.Service);
                }
            }
            finished = true;
            var merged = InlineEngine.MergeInAddressOrder(center, recorders, keepCallLog: options.KeepCallLog);
            return new LiveOutcome(new ReplicationResult(0, merged, latency.Facts.Events), latency);
        }
        finally
        {
            LiveMetrics.Observe(null);
            if (!finished)
            {
                await AbandonAll(components);
            }
        }
    }

    private void PostStart(int address, EffectBatch batch)
    {
        lock (_lock)
        {
            PostEffects(batch.Items, 0);
            if (batch.Ahead is { Length: > 0 } played)
            {
                _ahead.Set(address, played);
            }
        }
    }

    /// <summary>The driver's loop, on a thread of its own: waits for each message's due time and dispatches it.</summary>
    private LatencyReport Drive(CancellationToken cancellationToken)
    {
        var frequency = (double)Stopwatch.Frequency;
        var speed = _options.Speed;
        _epoch = Stopwatch.GetTimestamp();
        _lastLiveTimestamp = _epoch;
        _allocatedAtStart = GC.GetTotalAllocatedBytes();
        var windowTicks = (long)(_options.Window.TotalSeconds * frequency);
        var nextWindow = _epoch + windowTicks;
        var tickEvery = Stopwatch.Frequency;
        var nextTick = _epoch + tickEvery;
        var windowStart = _epoch;
        var offeredAtTick = 0L;
        var lastTick = _epoch;
        var heldBack = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = Stopwatch.GetTimestamp();
            if (now >= nextWindow)
            {
                CloseWindow(windowStart, now);
                windowStart = now;
                nextWindow = now + windowTicks;
                if (_options.OnWindow is not null || _options.CompleteWindow is not null)
                {
                    _windowsHandled = HandleWindow(_windowsHandled, Report(now, live: true));
                }
            }
            if (Volatile.Read(ref _stoppedAt) is { } stopped)
            {
                throw new LiveRunStoppedException(stopped);
            }
            if (now >= nextTick && _options.OnTick is { } onTick)
            {
                var offered = Interlocked.Read(ref _offered);
                onTick(Tick(now, (offered - offeredAtTick) * frequency / Math.Max(1, now - lastTick)));
                offeredAtTick = offered;
                lastTick = now;
                nextTick = now + tickEvery;
            }
            double due;
            Message message;
            lock (_lock)
            {
                if (_failure is not null)
                {
                    break;
                }
                if (_pending.Count == 0 && _inFlight == 0)
                {
                    break;
                }
                if (_inFlight == 0 && _arrivalTimers == 0 && _callTimers == 0)
                {
                    // No call is left with a timer: the rest changes no call (see the remarks).
                    break;
                }
                if (!_pending.TryPeek(out var next, out _))
                {
                    due = double.NaN;
                    message = default;
                }
                else
                {
                    (due, message) = next;
                }
            }
            if (double.IsNaN(due))
            {
                WaitSignal(Math.Min(nextTick, nextWindow) - now, cancellationToken);
                continue;
            }
            var intended = _epoch + (long)(due / speed * frequency);
            if (intended > now)
            {
                // Woken early by a new message (maybe due sooner), a tick or a window.
                WaitSignal(Math.Min(intended, Math.Min(nextTick, nextWindow)) - now, cancellationToken);
                continue;
            }
            if (Volatile.Read(ref _inFlight) >= _options.MaxInFlight)
            {
                if (!heldBack)
                {
                    heldBack = true;
                    Interlocked.Increment(ref _backPressureWaits);
                }
                WaitSignal(Math.Min(nextTick, nextWindow) - now, cancellationToken);
                continue;
            }
            lock (_lock)
            {
                // A call that ended meanwhile may have posted a message due even sooner: take the earliest, due as well.
                (due, message) = _pending.Dequeue();
                intended = _epoch + (long)(due / speed * frequency);
                Untrack(message);
                var lagMs = (now - intended) * 1000.0 / frequency;
                _maxLagMs = Math.Max(_maxLagMs, lagMs);
                _windowMaxLagMs = Math.Max(_windowMaxLagMs, lagMs);
                _lastLiveDue = Math.Max(_lastLiveDue, due);
                _lastLiveTimestamp = Math.Max(_lastLiveTimestamp, now);
            }
            heldBack = false;
            Dispatch(due, message, intended, now);
        }
        lock (_lock)
        {
            if (_failure is not null)
            {
                throw _failure;
            }
        }
        var end = Stopwatch.GetTimestamp();
        CloseWindow(windowStart, end);
        return Report(end, live: false);
    }

    /// <summary>Hands a window's report, completed (<see cref="LiveOptions.CompleteWindow"/>), to
    /// <see cref="LiveOptions.OnWindow"/> once the previous window's is handled: without a completion to wait for, at once
    /// on the driver's thread; otherwise when it comes, while the driver goes on. A stop or a failure reaches the driver
    /// through <see cref="_stoppedAt"/> and <see cref="_failure"/>.</summary>
    private async Task HandleWindow(Task previous, LatencyReport report)
    {
        await previous;
        try
        {
            if (Volatile.Read(ref _stoppedAt) is not null)
            {
                return;
            }
            if (_options.CompleteWindow is { } complete)
            {
                report = await complete(report);
            }
            if (_options.OnWindow is { } onWindow && !onWindow(report))
            {
                Volatile.Write(ref _stoppedAt, report);
                Wake();
            }
        }
        catch (Exception ex)
        {
            lock (_lock)
            {
                _failure ??= ex;
            }
            Wake();
        }
    }

    /// <summary>Once the driver is done: waits until every window's report is handled, and stops the run if the last
    /// one said so.</summary>
    private async Task WindowsHandled()
    {
        await _windowsHandled;
        if (Volatile.Read(ref _stoppedAt) is { } stopped)
        {
            throw new LiveRunStoppedException(stopped);
        }
        lock (_lock)
        {
            if (_failure is not null)
            {
                throw _failure;
            }
        }
    }

    /// <summary>Waits for a new message, a completed call, or the given number of ticks, whichever comes first.</summary>
    private void WaitSignal(long ticks, CancellationToken cancellationToken)
    {
        if (ticks <= 0)
        {
            return;
        }
        var ms = ticks * 1000.0 / Stopwatch.Frequency;
        if (ms >= 1.5)
        {
            _signal.Wait(TimeSpan.FromMilliseconds(ms - 1), cancellationToken);
        }
        else if (!_signal.Wait(0, CancellationToken.None))
        {
            // Less than the timer's resolution: give the core away without sleeping past the due time.
            Thread.Yield();
        }
    }

    private void Dispatch(double due, Message message, long intended, long now)
    {
        var target = message.Target;
        var toCaller = target < _layout.CallTypeCount;
        EffectBatch? played = null;
        lock (_lock)
        {
            if (toCaller && _ahead.TryTake(due, message) is { } effects)
            {
                PostEffects(effects, due);
                played = EffectBatch.Empty;
            }
        }
        if (played is not null)
        {
            Wake();
            return;
        }
        var late = now - intended > _lateAfterTicks;
        var kind = KindOf(message.Kind);
        lock (_lock)
        {
            _inFlight++;
            _inFlightPeak = Math.Max(_inFlightPeak, _inFlight);
            _windowInFlightPeak = Math.Max(_windowInFlightPeak, _inFlight);
            if (message.Kind == MessageKind.CallOffered)
            {
                _offered++;
                _windowOffered++;
                LiveMetrics.CallsOffered.Add(1);
            }
            if (!toCaller)
            {
                _events++;
                if (late)
                {
                    _overall.Late(kind);
                    _window.Late(kind);
                    LiveMetrics.Late.Add(1, new KeyValuePair<string, object?>("kind", kind.Name()));
                }
            }
        }
        ValueTask<EffectBatch> call;
        try
        {
            // A caller source receives only its own arrivals, at their intended (scaled) times, as in virtual time.
            call = toCaller ? _grains[target].Deliver(new Delivery(due, message))
                : _grains[target].DeliverLive(new LiveDelivery(_epoch, _options.Speed, due, message));
        }
        catch (Exception ex)
        {
            Complete(null, ex, due, message, intended, toCaller);
            return;
        }
        if (call.IsCompletedSuccessfully)
        {
            Complete(call.Result, null, due, message, intended, toCaller);
            return;
        }
        _ = call.AsTask().ContinueWith(
            t =>
            {
                DropPooledSource();
                Complete(t.IsCompletedSuccessfully ? t.Result : null, t.Exception?.InnerException ?? (t.IsCanceled ? new TaskCanceledException() : null), due, message, intended, toCaller);
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Takes back, and drops, the completion source that the call just completed on this thread returned to Orleans'
    /// pool. The pool keeps one stack per thread, without bound: a call's source is taken on the driver's thread and returned
    /// on the thread that completes it, so over a long run the completing threads' stacks grew by one source per call (135,866
    /// sources, 10 MB, held after 210 s of a 14-day scenario at 4000x) while the driver kept creating new ones. Taken here,
    /// on the thread that returned it, each source is released to the collector instead, and memory stays flat.</summary>
    private static void DropPooledSource() => _ = ResponseCompletionSourcePool.Get<EffectBatch>();

    private void Complete(EffectBatch? batch, Exception? failure, double due, Message message, long intended, bool toCaller)
    {
        var done = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            _inFlight--;
            var kind = KindOf(message.Kind);
            if (batch is null)
            {
                if (failure is TimeoutException || failure?.GetType().Name.Contains("Timeout", StringComparison.Ordinal) == true)
                {
                    _overall.Timeout(kind);
                    _window.Timeout(kind);
                    LiveMetrics.Failed.Add(1, new("kind", kind.Name()), new("reason", "timeout"));
                }
                else if (IsModelFailure(failure))
                {
                    _failure ??= failure;
                }
                else
                {
                    _overall.Error(kind);
                    _window.Error(kind);
                    LiveMetrics.Failed.Add(1, new("kind", kind.Name()), new("reason", "error"));
                }
            }
            else
            {
                PostEffects(batch.Items, due, batch.Now);
                if (toCaller)
                {
                    if (batch.Ahead is { Length: > 0 } played)
                    {
                        _ahead.Set(message.Target, played);
                    }
                }
                else
                {
                    var microseconds = Math.Clamp((done - intended) * 1_000_000 / Stopwatch.Frequency, 0, HighestMicroseconds);
                    _overall.Record(kind, microseconds);
                    _window.Record(kind, microseconds);
                    var ms = microseconds / 1000.0;
                    LiveMetrics.Latency.Record(ms, new KeyValuePair<string, object?>("kind", kind.Name()));
                    var starts = StartsOperator(batch.Items);
                    if (starts)
                    {
                        _overall.Record(LatencyKind.Setup, microseconds);
                        _window.Record(LatencyKind.Setup, microseconds);
                        LiveMetrics.Latency.Record(ms, new KeyValuePair<string, object?>("kind", LatencyKind.Setup.Name()));
                    }
                    if (kind == LatencyKind.Route)
                    {
                        (starts ? LiveMetrics.CallsRouted : Queued(batch.Items) ? LiveMetrics.CallsQueued : null)?.Add(1);
                    }
                }
            }
        }
        Wake();
    }

    /// <summary>Wakes the driver (once: a wake not yet taken is enough).</summary>
    private void Wake()
    {
        if (_signal.CurrentCount == 0)
        {
            _signal.Release();
        }
    }

    /// <summary>A failure of the model itself (an unstable replication, a routing policy that failed): the run stops
    /// with it, as it would on any other host.</summary>
    private static bool IsModelFailure(Exception? failure)
    {
        for (var current = failure; current is not null; current = current.InnerException)
        {
            if (current is UnstableReplicationException or RoutingPolicyException or RoutingPluginException
                || current.GetType().Name is nameof(RoutingPolicyException) or nameof(UnstableReplicationException))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether the effects put an operator to work: the operator group's end-of-work timer for the router.</summary>
    private static bool StartsOperator(Effect[] effects)
    {
        foreach (var effect in effects)
        {
            if (effect.IsTimer && effect.Message.Kind is MessageKind.ServiceDone or MessageKind.CallbackDone or MessageKind.OutboundDone)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether the effects put a caller in a queue: the caller's patience timer.</summary>
    private static bool Queued(Effect[] effects)
    {
        foreach (var effect in effects)
        {
            if (effect.IsTimer && effect.Message.Kind == MessageKind.PatienceExpired)
            {
                return true;
            }
        }
        return false;
    }

    private static LatencyKind KindOf(MessageKind kind) => kind switch
    {
        MessageKind.CallOffered => LatencyKind.Route,
        MessageKind.ServiceDone or MessageKind.AfterCallWorkDone or MessageKind.CallbackDone or MessageKind.OutboundDone => LatencyKind.NextCall,
        _ => LatencyKind.All,
    };

    /// <summary>Whether a message belongs to a call (or brings one): while one is pending, the run is live.</summary>
    private static bool IsCallTimer(MessageKind kind) => kind.BelongsToCall();

    /// <summary>Posts the effects of a delivery due at <paramref name="due"/>: a message sent now is due then, a timer at
    /// its time. Arrivals beyond the cut are dropped. Called under the lock.</summary>
    /// <param name="handledAt">When the component handled the delivery (NaN: at <paramref name="due"/>).</param>
    private void PostEffects(Effect[] effects, double due, double handledAt = double.NaN)
    {
        var answeredAt = double.IsNaN(handledAt) ? due : handledAt;
        foreach (var effect in effects)
        {
            var at = effect.IsTimer ? Math.Max(effect.At, due) : due;
            var message = effect.Message;
            if (message.Kind == MessageKind.NextArrival)
            {
                if (at > _options.ArrivalsUntilSeconds)
                {
                    continue;
                }
                _arrivalTimers++;
            }
            else if (IsCallTimer(message.Kind))
            {
                _callTimers++;
            }
            if (effect.IsTimer && message.Kind == MessageKind.ServiceDone && CallIds.Leg(message.CallId) == 1
                && answeredAt - message.ArrivalTime <= _scenario.ServiceLevel.ThresholdSeconds)
            {
                _answeredWithin++; // answered by this delivery: its talk ends at this timer
            }
            _pending.Enqueue((at, message), (at, _sequence++));
        }
    }

    private void Untrack(in Message message)
    {
        if (message.Kind == MessageKind.NextArrival)
        {
            _arrivalTimers--;
        }
        else if (IsCallTimer(message.Kind))
        {
            _callTimers--;
        }
    }

    /// <summary>Delivers what is left (no call is concerned) in order, at its own scaled time, without waiting.</summary>
    private async Task PlayRest(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            (double Due, Message Message) next;
            lock (_lock)
            {
                if (!_pending.TryDequeue(out next, out _))
                {
                    return;
                }
                Untrack(next.Message);
            }
            var batch = await _grains[next.Message.Target].Deliver(new Delivery(next.Due, next.Message));
            lock (_lock)
            {
                PostEffects(batch.Items, next.Due);
                if (next.Message.Target < _layout.CallTypeCount && batch.Ahead is { Length: > 0 } played)
                {
                    _ahead.Set(next.Message.Target, played);
                }
            }
        }
    }

    internal int InFlight => Volatile.Read(ref _inFlight);

    internal int Pending
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    internal double LagMs
    {
        get
        {
            lock (_lock)
            {
                var frequency = (double)Stopwatch.Frequency;
                return _pending.TryPeek(out var next, out _)
                    ? Math.Max(0, (Stopwatch.GetTimestamp() - (_epoch + (long)(next.Due / _options.Speed * frequency))) * 1000.0 / frequency)
                    : 0;
            }
        }
    }

    private LiveTick Tick(long now, double offeredPerSecond)
    {
        lock (_lock)
        {
            var frequency = (double)Stopwatch.Frequency;
            var lag = _pending.TryPeek(out var next, out _) ? Math.Max(0, (now - (_epoch + (long)(next.Due / _options.Speed * frequency))) * 1000.0 / frequency) : 0;
            return new LiveTick(
                (now - _epoch) / frequency,
                (now - _epoch) / frequency * _options.Speed,
                _scenario.HorizonSeconds,
                _offered,
                offeredPerSecond,
                _overall.Percentile(LatencyKind.Route, 99),
                lag,
                _overall.LateCount,
                _events)
            {
                AnsweredWithinThreshold = _answeredWithin,
            };
        }
    }

    private void CloseWindow(long start, long end)
    {
        lock (_lock)
        {
            var frequency = (double)Stopwatch.Frequency;
            if (_window.IsEmpty && _windowOffered == 0 && end - start < Stopwatch.Frequency / 100)
            {
                return;
            }
            // The driver has reached the scaled time of the oldest message still waiting to be dispatched, or now.
            var scaledEnd = (end - _epoch) / frequency * _options.Speed;
            var frontier = _pending.TryPeek(out var oldest, out _) ? Math.Min(scaledEnd, oldest.Due) : scaledEnd;
            frontier = Math.Max(frontier, _frontier);
            var wall = (end - start) / frequency;
            var speed = wall > 0 ? (frontier - _frontier) / wall : _options.Speed;
            _frontier = frontier;
            if (wall >= _options.Window.TotalSeconds / 2)
            {
                _slowestWindowSpeed = Math.Min(_slowestWindowSpeed, speed);
            }
            _windows.Add(new LatencyWindow(
                _windows.Count,
                (start - _epoch) / frequency,
                (end - _epoch) / frequency,
                frontier,
                speed,
                _windowOffered,
                _windowMaxLagMs,
                _windowInFlightPeak,
                _window.Stats(_options.Percentiles)));
            _window = new KindHistograms();
            _windowOffered = 0;
            _windowMaxLagMs = 0;
            _windowInFlightPeak = _inFlight;
        }
    }

    private LatencyReport Report(long now, bool live)
    {
        lock (_lock)
        {
            var frequency = (double)Stopwatch.Frequency;
            var wall = (now - _epoch) / frequency;
            var lastWall = (_lastLiveTimestamp - _epoch) / frequency;
            var facts = new LiveFacts(
                _options.Speed,
                wall,
                live ? wall * _options.Speed : _lastLiveDue,
                double.IsFinite(_slowestWindowSpeed) ? _slowestWindowSpeed : lastWall > 0 ? Math.Min(_options.Speed, _lastLiveDue / lastWall) : _options.Speed,
                _options.ArrivalsUntilSeconds,
                _events,
                _offered,
                _options.LateAfter.TotalMilliseconds,
                _overall.LateCount,
                _overall.ErrorCount,
                _overall.TimeoutCount,
                _maxLagMs,
                _options.MaxInFlight,
                _inFlightPeak,
                Interlocked.Read(ref _backPressureWaits),
                GC.GetTotalAllocatedBytes() - _allocatedAtStart);
            return new LatencyReport(_options.Percentiles, _overall.Stats(_options.Percentiles), [.. _windows], facts);
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

    /// <summary>A histogram of latencies (microseconds) and the late, error and timeout counts of each kind.</summary>
    private sealed class KindHistograms
    {
        private readonly LongHistogram[] _histograms = [.. Enumerable.Range(0, LatencyKinds.Names.Count).Select(_ => new LongHistogram(HighestMicroseconds, 3))];
        private readonly long[] _late = new long[LatencyKinds.Names.Count];
        private readonly long[] _errors = new long[LatencyKinds.Names.Count];
        private readonly long[] _timeouts = new long[LatencyKinds.Names.Count];

        public bool IsEmpty => _histograms[(int)LatencyKind.All].TotalCount == 0 && _errors.Sum() == 0 && _timeouts.Sum() == 0;

        public long LateCount => _late[(int)LatencyKind.All];

        public long ErrorCount => _errors[(int)LatencyKind.All];

        public long TimeoutCount => _timeouts[(int)LatencyKind.All];

        public void Record(LatencyKind kind, long microseconds)
        {
            _histograms[(int)kind].RecordValue(microseconds);
            if (kind is LatencyKind.Route or LatencyKind.NextCall)
            {
                _histograms[(int)LatencyKind.All].RecordValue(microseconds);
            }
        }

        public void Late(LatencyKind kind) => Count(_late, kind);

        public void Error(LatencyKind kind) => Count(_errors, kind);

        public void Timeout(LatencyKind kind) => Count(_timeouts, kind);

        private static void Count(long[] counts, LatencyKind kind)
        {
            counts[(int)kind]++;
            if (kind != LatencyKind.All)
            {
                counts[(int)LatencyKind.All]++;
            }
        }

        public double Percentile(LatencyKind kind, double percentile) =>
            _histograms[(int)kind] is { TotalCount: > 0 } h ? h.GetValueAtPercentile(percentile) / 1000.0 : double.NaN;

        public LatencyStats[] Stats(IReadOnlyList<double> percentiles) =>
        [
            .. Enumerable.Range(0, _histograms.Length).Select(k =>
            {
                var h = _histograms[k];
                var empty = h.TotalCount == 0;
                return new LatencyStats(
                    (LatencyKind)k,
                    h.TotalCount,
                    [.. percentiles.Select(p => empty ? double.NaN : h.GetValueAtPercentile(p) / 1000.0)],
                    empty ? double.NaN : h.GetMaxValue() / 1000.0,
                    empty ? double.NaN : h.GetMean() / 1000.0,
                    _late[k],
                    _errors[k],
                    _timeouts[k]);
            }),
        ];
    }
}
