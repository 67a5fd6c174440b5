using CrisisSim.Model.Routing;
using CrisisSim.Plugins;

namespace CrisisSim.Testing;

/// <summary>FIFO routing that sleeps <c>sleep</c> milliseconds (setting) in each decision on an offered call: a slow
/// routing service, for the latency the live host measures. Loaded as a plug-in from the test assembly.</summary>
public sealed class SleepyPolicy : IRoutingPolicy
{
    private readonly int _sleepMs;

    public SleepyPolicy(RoutingSetup setup)
    {
        _sleepMs = setup.Integer("sleep", 0, 1000, 10);
        setup.RejectUnknown();
    }

    public int SelectGroup(OfferedCall call, IRoutingView view)
    {
        Thread.Sleep(_sleepMs);
        return FifoPolicy.Instance.SelectGroup(call, view);
    }

    public int SelectCallType(int group, IRoutingView view) => FifoPolicy.Instance.SelectCallType(group, view);

    /// <summary>The routing of a scenario built in code: this policy, sleeping <paramref name="sleepMs"/> per offered call.</summary>
    public static Model.Scenario.RoutingSpec Routing(int sleepMs) => RoutingPlugins.Reference(
        typeof(SleepyPolicy).Assembly.Location, typeof(SleepyPolicy).FullName!, new Dictionary<string, string> { ["sleep"] = sleepMs.ToString(System.Globalization.CultureInfo.InvariantCulture) });
}
