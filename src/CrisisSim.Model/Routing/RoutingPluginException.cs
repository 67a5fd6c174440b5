namespace CrisisSim.Model.Routing;

/// <summary>What is wrong with a plug-in routing policy.</summary>
public enum RoutingPluginProblem
{
    FileNotFound,
    NotAnAssembly,
    TypeNotFound,
    NotAPolicy,
    ConstructorFailed,

    /// <summary>The assembly calls what a plug-in may not (ending the process).</summary>
    Forbidden,

    /// <summary>The assembly is not one the command was allowed to load.</summary>
    NotTrusted,
}

/// <summary>A plug-in routing policy that cannot be loaded or constructed; the message says why in plain words.</summary>
public sealed class RoutingPluginException(RoutingPluginProblem problem, string message, Exception? inner = null) : Exception(message, inner)
{
    public RoutingPluginProblem Problem { get; } = problem;
}
