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
/// or an invalid answer is decided by the <c>fallback</c>), and, in this process (the embedded silo), counts in the
/// counters registered here for the run. They are read at the end of each window and of the run into the report's
/// <see cref="LatencyReport.Service"/>.</summary>
internal sealed class LiveService : IDisposable
{
    private readonly RoutingServiceSpec _spec;
    private readonly RoutingServiceCounters _counters = new();
    private readonly IDisposable _registration;
    private readonly IReadOnlyList<double> _percentiles;
    private readonly List<ServiceStats> _windows = [];
    private readonly Lock _lock = new();

    private LiveService(ScenarioDefinition scenario, RoutingServiceSpec spec, long seed, LiveOptions options)
    {
        _spec = spec;
        _percentiles = options.Percentiles;
        var liveRun = GrainRunner.NewRunId(scenario, seed) + "-service";
        _registration = LiveRoutingServices.Register(liveRun, _counters);
        Scenario = RoutingService.ForLiveRun(scenario, liveRun);
        var onWindow = options.OnWindow;
        var onTick = options.OnTick;
        Options = options with
        {
            OnWindow = report =>
            {
                var withService = CloseWindows(report);
                return onWindow is null || onWindow(withService);
            },
            OnTick = onTick is null ? null : tick => onTick(tick with { Service = Tick() }),
        };
        LiveMetrics.ObserveService(this);
    }

    /// <summary>The scenario as the grains get it: its service marked with the live run.</summary>
    public ScenarioDefinition Scenario { get; }

    /// <summary>The options with the service read at each window and tick.</summary>
    public LiveOptions Options { get; }

    /// <summary>Runs <paramref name="run"/> with the scenario's routing service asked under live load and counted; as it is
    /// when the scenario's routing is not a service.</summary>
    public static async Task<LiveOutcome> RunAsync(ScenarioDefinition scenario, long seed, LiveOptions options, Func<ScenarioDefinition, LiveOptions, Task<LiveOutcome>> run)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(options);
        if (scenario.Routing.Service is not { } spec)
        {
            return await run(scenario, options);
        }
        using var service = new LiveService(scenario, spec, seed, options);
        LiveOutcome outcome;
        try
        {
            outcome = await run(service.Scenario, service.Options);
        }
        catch (LiveRunStoppedException stopped)
        {
            throw new LiveRunStoppedException(service.CloseWindows(stopped.Latency, end: true));
        }
        return outcome with { Latency = service.CloseWindows(outcome.Latency, end: true) };
    }

    /// <summary>The report with the service's counts: each window of the report closed, in order, with what was counted
    /// since the previous one, and the counts of the whole run so far. At the <paramref name="end"/>, what came after the
    /// last window (the run's close) is added to it.</summary>
    private LatencyReport CloseWindows(LatencyReport report, bool end = false)
    {
        lock (_lock)
        {
            // A window closed without a look here (none is expected) is left empty, so that windows stay aligned.
            while (_windows.Count < report.Windows.Count - 1)
            {
                _windows.Add(Stats(null));
            }
            if (_windows.Count < report.Windows.Count)
            {
                _windows.Add(Stats(_counters.TakeWindow()));
            }
            else if (end && _windows.Count > 0)
            {
                _windows[^1] = Stats(_counters.TakeWindow(extendLast: true));
            }
            var service = new ServiceReport(_spec.Url, _spec.TimeoutSeconds * 1000, _spec.Fallback, _counters.Policies > 0, Stats(_counters.Read()), [.. _windows]);
            return report with { Service = service };
        }
    }

    private LiveServiceTick Tick()
    {
        var counts = _counters.Read();
        return new LiveServiceTick(counts.Asked, counts.Fallbacks, counts.Measured == 0 ? double.NaN : counts.Percentile(99).TotalMilliseconds);
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

    /// <summary>What the service did so far, for the live metrics.</summary>
    internal RoutingServiceCounts Read() => _counters.Read();

    public void Dispose()
    {
        LiveMetrics.ObserveService(null);
        _registration.Dispose();
    }
}
