using System.Collections.Concurrent;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Plugins;

/// <summary>The counters of the live runs of this process, by live run (<see cref="RoutingServiceSpec.LiveRun"/>): the
/// live host registers a run's counters before the run's grains start, and the router of that run, built by a silo of
/// the same process (the embedded silo) from the decoded scenario, counts there (<see cref="RoutingService.Resolve"/>).
/// A silo in another process finds none: its decisions wait and fall back the same, uncounted by the live host.</summary>
public static class LiveRoutingServices
{
    private static readonly ConcurrentDictionary<string, RoutingServiceCounters> Runs = new(StringComparer.Ordinal);

    /// <summary>Counts the decisions of <paramref name="liveRun"/> in <paramref name="counters"/> until the registration
    /// is disposed.</summary>
    /// <exception cref="InvalidOperationException">The live run is registered already.</exception>
    public static IDisposable Register(string liveRun, RoutingServiceCounters counters)
    {
        ArgumentException.ThrowIfNullOrEmpty(liveRun);
        ArgumentNullException.ThrowIfNull(counters);
        if (!Runs.TryAdd(liveRun, counters))
        {
            throw new InvalidOperationException($"The live run {liveRun} is registered already");
        }
        return new Registration(liveRun, counters);
    }

    /// <summary>The counters registered for <paramref name="liveRun"/>, or null.</summary>
    public static RoutingServiceCounters? Find(string liveRun)
    {
        ArgumentNullException.ThrowIfNull(liveRun);
        return Runs.TryGetValue(liveRun, out var counters) ? counters : null;
    }

    private sealed class Registration(string liveRun, RoutingServiceCounters counters) : IDisposable
    {
        public void Dispose() => Runs.TryRemove(new KeyValuePair<string, RoutingServiceCounters>(liveRun, counters));
    }
}
