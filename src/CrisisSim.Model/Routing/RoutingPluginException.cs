namespace CrisisSim.Model.Routing;

/// <summary>What is wrong with a plug-in routing policy.</summary>
public enum RoutingPluginProblem
{
    FileNotFound,
    NotAnAssembly,
    TypeNotFound,
    NotAPolicy,
    ConstructorFailed,
}

/// <summary>A plug-in routing policy that cannot be loaded or constructed; the message says why in plain words.</summary>
public sealed class RoutingPluginException(RoutingPluginProblem problem, string message, Exception? inner = null) : Exception(message, inner)
{
    public RoutingPluginProblem Problem { get; } = problem;
}
