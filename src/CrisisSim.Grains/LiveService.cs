using CrisisSim.Engine;
using CrisisSim.Model.Scenario;
using CrisisSim.Plugins;

namespace CrisisSim.Grains;

/// <summary>The run so far of the scenario's routing service, for a live display.</summary>
/// <param name="P99Ms">The 99th percentile of the requests' latency so far (NaN before the first).</param>
public readonly record struct LiveServiceTick(long Asked, long Fallbacks, double P99Ms);

/// <summary>The scenario's routing service in a live run (<c>routing: { service: URL }</c>). The scenario handed to the
/// grains names the run (<see cref="RoutingServiceSpec.LiveRun"/>), so the router that a silo builds from it asks the
/// service under live load wherever it runs (each decision waits at most the <c>timeout</c>; a timeout, an HTTP error
/// or an invalid answer is decided by the <c>fallback</c>), and counts in counters of the router grain, in the silo's
/// process. The live host reads them through the router grain (<see cref="IRouterGrain.ReadService"/>) the same way
/// on the embedded silo and on a cluster: at the end of each window, without holding the driver up, and at the end of
/// the run with the router's report; they make the report's <see cref="LatencyReport.Service"/>. The live display
/// (about once a second) shows the latest reading, and asks for the next one.</summary>
internal sealed class LiveService
{
    private readonly RoutingServiceSpec _spec;
    private readonly RoutingServiceWindows _split = new();
    private readonly IReadOnlyList<double> _percentiles;
    private readonly List<ServiceStats> _windows = [];
    private readonly Lock _lock = new();
    private IRouterGrain? _router;
    private ServiceReading? _latest;
    private ServiceReading? _final;
    private Task _tickRead = Task.CompletedTask;

    private LiveService(ScenarioDefinition scenario, RoutingServiceSpec spec, long seed, LiveOptions options)
    {
        _spec = spec;
        _percentiles = options.Percentiles;
        Scenario = RoutingService.ForLiveRun(scenario, GrainRunner.NewRunId(scenario, seed) + "-service");
        var onTick = options.OnTick;
        Options = options with
        {
            CompleteWindow = CloseWindowAsync,
            OnTick = onTick is null ? null : tick => onTick(tick with { Service = Tick() }),
        };
    }

    /// <summary>The scenario as the grains get it: its service marked with the live run.</summary>
    public ScenarioDefinition Scenario { get; }

    /// <summary>The options with the service read at each window and tick.</summary>
    public LiveOptions Options { get; }

    /// <summary>Runs <paramref name="run"/> with the scenario's routing service asked under live load and counted; as it is
    /// when the scenario's routing is not a service (no <see cref="LiveService"/> then).</summary>
    public static async Task<LiveOutcome> RunAsync(ScenarioDefinition scenario, long seed, LiveOptions options, Func<ScenarioDefinition, LiveOptions, LiveService?, Task<LiveOutcome>> run)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(options);
        if (scenario.Routing.Service is not { } spec)
        {
            return await run(scenario, options, null);
        }
        var service = new LiveService(scenario, spec, seed, options);
        LiveMetrics.ObserveService(service);
        try
        {
            LiveOutcome outcome;
            try
            {
                outcome = await run(service.Scenario, service.Options, service);
            }
            catch (LiveRunStoppedException stopped)
            {
                throw new LiveRunStoppedException(service.CloseWindows(stopped.Latency, null, end: true));
            }
            return outcome with { Latency = service.CloseWindows(outcome.Latency, service._final, end: true) };
        }
        finally
        {
            LiveMetrics.ObserveService(null);
        }
    }

    /// <summary>The run's router grain, where the service is counted: read from now on.</summary>
    public void Attach(IRouterGrain router) => _router = router;

    /// <summary>The router's last reading, handed back with its report when the run finished.</summary>
    public void Finished(ServiceReading? reading)
    {
        lock (_lock)
        {
            _final = reading;
            Keep(reading);
        }
    }

    /// <summary>Waits for a reading of the live display still on its way, so that none reaches the router after it has
    /// finished.</summary>
    public Task Idle()
    {
        lock (_lock)
        {
            _router = null;
            return _tickRead;
        }
    }

    /// <summary>The window's report with the service's counts, read from the router (a new window begun there).</summary>
    private async Task<LatencyReport> CloseWindowAsync(LatencyReport report) => CloseWindows(report, await ReadAsync(newWindow: true));

    /// <summary>A reading of the router's counters; null when it cannot be had (no router yet or any more, or a grain
    /// call that failed: the next reading takes in what this one would have held).</summary>
    private async Task<ServiceReading?> ReadAsync(bool newWindow)
    {
        IRouterGrain? router;
        lock (_lock)
        {
            router = _router;
        }
        if (router is null)
        {
            return null;
        }
        try
        {
            var reading = await router.ReadService(newWindow);
            lock (_lock)
            {
                Keep(reading);
            }
            return reading;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null;
        }
    }

    /// <summary>Keeps <paramref name="reading"/> as the latest unless a later one is kept already. Under the lock.</summary>
    private void Keep(ServiceReading? reading)
    {
        if (reading is not null && (_latest is null || reading.Counts.Asked + reading.Counts.Measured >= _latest.Counts.Asked + _latest.Counts.Measured))
        {
            _latest = reading;
        }
    }

    /// <summary>The report with the service's counts: each window of the report closed, in order, with what was counted
    /// since the previous one (<paramref name="reading"/>, taken when the last window closed), and the counts of the whole
    /// run so far. At the <paramref name="end"/>, what came after the last window (the run's close) is added to it.</summary>
    private LatencyReport CloseWindows(LatencyReport report, ServiceReading? reading, bool end = false)
    {
        lock (_lock)
        {
            // A window closed without a reading is left empty, so that windows stay aligned; the next reading holds its
            // counts.
            while (_windows.Count < report.Windows.Count - 1)
            {
                _windows.Add(Stats(null));
            }
            if (_windows.Count < report.Windows.Count)
            {
                _windows.Add(Stats(reading is null ? null : _split.Take(reading.Counts, reading.LongestInWindow)));
            }
            else if (end && reading is not null)
            {
                var last = _split.Take(reading.Counts, reading.LongestInWindow, extendLast: _windows.Count > 0);
                if (_windows.Count > 0)
                {
                    _windows[^1] = Stats(last);
                }
            }
            var service = new ServiceReport(_spec.Url, _spec.TimeoutSeconds * 1000, _spec.Fallback, _latest?.Policies > 0, Stats(_latest?.Counts), [.. _windows]);
            return report with { Service = service };
        }
    }

    /// <summary>The latest reading for the live display, and the next one asked for (one at a time).</summary>
    private LiveServiceTick Tick()
    {
        ServiceReading? latest;
        lock (_lock)
        {
            if (_tickRead.IsCompleted && _router is not null)
            {
                _tickRead = ReadAsync(newWindow: false);
            }
            latest = _latest;
        }
        var counts = latest?.Counts;
        return counts is null ? new LiveServiceTick(0, 0, double.NaN) : new LiveServiceTick(counts.Asked, counts.Fallbacks, counts.Measured == 0 ? double.NaN : counts.Percentile(99).TotalMilliseconds);
    }

    private ServiceStats Stats(RoutingServiceCounts? counts)
    {
        if (counts is null || counts.Measured == 0)
        {
            return new ServiceStats(counts?.Asked ?? 0, counts?.Answered ?? 0, counts?.Timeouts ?? 0, counts?.HttpErrors ?? 0, counts?.InvalidAnswers ?? 0, counts?.Fallbacks ?? 0,
                [.. _percentiles.Select(_ => double.NaN)], double.NaN, double.NaN);
        }
        return new ServiceStats(counts.Asked, counts.Answered, counts.Timeouts, counts.HttpErrors, counts.InvalidAnswers, counts.Fallbacks,
            [.. _percentiles.Select(p => counts.Percentile(p).TotalMilliseconds)], counts.MaxLatency.TotalMilliseconds, counts.MeanLatency.TotalMilliseconds);
    }

    /// <summary>What the service did so far, for the live metrics: the latest reading (null before the first).</summary>
    internal RoutingServiceCounts? Read()
    {
        lock (_lock)
        {
            return _latest?.Counts;
        }
    }
}
