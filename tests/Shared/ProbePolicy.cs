using CrisisSim.Model.Routing;
using CrisisSim.Model.Scenario;
using CrisisSim.Plugins;

namespace CrisisSim.Testing;

/// <summary>FIFO routing that shows a test when a run is under way: it counts the calls it routes and, given the setting
/// <c>marker</c>, creates that file at its first decision. Loaded as a plug-in from the test assembly, it runs wherever
/// the run runs (another process, a silo of this one).</summary>
public sealed class ProbePolicy : IRoutingPolicy
{
    private static long _calls;
    private readonly string? _marker;
    private bool _marked;

    public ProbePolicy(RoutingSetup setup)
    {
        _marker = setup.Text("marker");
        setup.RejectUnknown();
    }

    /// <summary>Calls routed by every instance of this copy of the type.</summary>
    public static long Calls => Interlocked.Read(ref _calls);

    public int SelectGroup(OfferedCall call, IRoutingView view)
    {
        Interlocked.Increment(ref _calls);
        if (!_marked && _marker is not null)
        {
            _marked = true;
            try
            {
                File.Create(_marker).Dispose();
            }
            catch (IOException)
            {
                // Another replication created it at the same moment.
            }
        }
        return FifoPolicy.Instance.SelectGroup(call, view);
    }

    public int SelectCallType(int group, IRoutingView view) => FifoPolicy.Instance.SelectCallType(group, view);
}

/// <summary>The probe as a scenario names it, and what it saw in the hosts of this process.</summary>
internal static class Probe
{
    private static string AssemblyPath => typeof(ProbePolicy).Assembly.Location;

    private static string TypeName => typeof(ProbePolicy).FullName!;

    /// <summary>The probe's routing, for a scenario built in code.</summary>
    public static RoutingSpec Routing() => RoutingPlugins.Reference(AssemblyPath, TypeName);

    /// <summary>The probe's <c>routing</c> line, for a scenario file; it creates <paramref name="marker"/> once a
    /// replication routes its first call.</summary>
    public static string RoutingLine(string marker) =>
        $"routing: {{ assembly: '{AssemblyPath}', type: {TypeName}, settings: {{ marker: '{marker}' }} }}";

    /// <summary>Calls routed by the probe as the hosts of this process loaded it (its own load context, so statics of its
    /// own, not those of <see cref="ProbePolicy"/> as this assembly sees it).</summary>
    public static long Calls =>
        (long)RoutingPlugins.PolicyType(AssemblyPath, TypeName).GetProperty(nameof(ProbePolicy.Calls))!.GetValue(null)!;

    /// <summary>Waits until <paramref name="condition"/> holds, checking every 20 ms; fails the test after
    /// <paramref name="timeout"/>, or as soon as <paramref name="stop"/> is true.</summary>
    public static async Task Until(Func<bool> condition, TimeSpan timeout, string what, Func<string?>? stop = null)
    {
        using var expiry = new CancellationTokenSource(timeout);
        while (!condition())
        {
            if (stop?.Invoke() is { } reason)
            {
                Assert.Fail($"stopped waiting for {what}: {reason}");
            }
            if (expiry.IsCancellationRequested)
            {
                Assert.Fail($"{what}: not seen within {timeout.TotalSeconds:F0} s");
            }
            await Task.Delay(20, CancellationToken.None);
        }
    }
}
