namespace CrisisSim.Model.Routing;

/// <summary>Creates a routing policy for one replication from its setup (settings, call types, groups). A plug-in
/// policy reaches the model only through one: the host that resolved the plug-in (loaded its assembly) gives it, with
/// <see cref="Scenario.RoutingSpec.WithFactory"/>, so the model never loads an assembly itself.</summary>
public interface IRoutingPolicyFactory
{
    /// <summary>A new policy for one replication.</summary>
    /// <exception cref="RoutingSettingsException">A setting is missing, unknown or out of range.</exception>
    /// <exception cref="ArgumentException">The policy rejected its settings.</exception>
    /// <exception cref="RoutingPluginException">The policy cannot be loaded or constructed.</exception>
    IRoutingPolicy Create(RoutingSetup setup);
}

/// <summary>A policy that stands for another, such as a host's guard around a plug-in's policy: the router's messages
/// name the policy it stands for.</summary>
public interface IRoutingPolicyGuard
{
    /// <summary>The full type name of the policy guarded.</summary>
    string PolicyName { get; }
}
