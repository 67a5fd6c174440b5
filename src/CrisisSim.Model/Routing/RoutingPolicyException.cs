using System.Globalization;

namespace CrisisSim.Model.Routing;

/// <summary>A routing policy failed while deciding: it threw, or it asked for more wake-ups at one instant than
/// <see cref="RoutingPolicyException.MaxWakeUpsPerInstant"/>. The message names the policy, the decision, the virtual
/// time and the cause; the replication (and the run) stops.</summary>
public sealed class RoutingPolicyException : InvalidOperationException
{
    /// <summary>Wake-ups the router delivers at one virtual instant before it stops the replication: a policy that asks
    /// for a wake-up now at every wake-up would otherwise never let time move on.</summary>
    public const int MaxWakeUpsPerInstant = 10_000;

    public RoutingPolicyException(string policy, string decision, double virtualTime, string reason, Exception? inner = null)
        : base(string.Create(CultureInfo.InvariantCulture, $"the routing policy {policy} failed in {decision} at {virtualTime:0.###} s of virtual time: {reason}"), inner)
    {
        Policy = policy;
        Decision = decision;
        VirtualTime = virtualTime;
    }

    /// <summary>The policy's name (a built-in name, or the plug-in's type name).</summary>
    public string Policy { get; }

    /// <summary><c>SelectGroup</c>, <c>SelectCallType</c>, or <c>WakeAt</c>.</summary>
    public string Decision { get; }

    /// <summary>Seconds from the start of the run.</summary>
    public double VirtualTime { get; }

    /// <summary>The exception a policy threw, for the message: "InvalidOperationException: the text".</summary>
    public static string Describe(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex.GetType().Name + ": " + ex.Message;
    }
}
