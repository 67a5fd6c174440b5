using System.Text;
using CrisisSim.Model.Routing;

namespace CrisisSim.Model.Scenario;

/// <summary>The routing policy of a scenario (scenario key <c>routing</c>): a built-in policy by name, a user's
/// policy type loaded from an assembly, or a user's routing service asked over HTTP (<see cref="Service"/>); with its
/// settings, as written (see <c>scenarios/README.md</c>, Routing policies).</summary>
/// <param name="BuiltInPolicy">The built-in policy's name (<c>fifo</c>, <c>priority</c>, <c>skills</c>, <c>overflow</c>,
/// <c>reserve</c>, <c>weighted</c>); null for a plug-in or a service.</param>
/// <param name="AssemblyPath">For a plug-in, the absolute path of its assembly; null for a built-in policy.</param>
/// <param name="TypeName">For a plug-in, the full name of the type implementing
/// <see cref="Routing.IRoutingPolicy"/>; null for a built-in policy.</param>
/// <param name="Settings">The policy's settings, keys and values as written in the scenario.</param>
public sealed record RoutingSpec(string? BuiltInPolicy, string? AssemblyPath, string? TypeName, IReadOnlyDictionary<string, string> Settings)
{
    /// <summary>First come, first served (the default).</summary>
    public static RoutingSpec Fifo { get; } = BuiltIn("fifo");

    /// <summary>Highest call-type priority first, oldest first within a priority.</summary>
    public static RoutingSpec Priority { get; } = BuiltIn("priority");

    public bool IsPlugin => AssemblyPath is not null;

    /// <summary>For a routing service, its URL and what it does under live load; null otherwise.</summary>
    public RoutingServiceSpec? Service { get; init; }

    public bool IsService => Service is not null;

    /// <summary>Whether a host must attach what creates the policy (<see cref="WithFactory"/>): a plug-in or a service.</summary>
    public bool NeedsHost => IsPlugin || IsService;

    /// <summary>What results call the policy: the built-in policy's name, the plug-in's type name, or the service's URL.</summary>
    public string Name => BuiltInPolicy ?? TypeName ?? Service?.Url ?? "";

    /// <summary>For a plug-in or a service, what creates its policy, given by the host that resolved it; not part of the
    /// scenario's content (neither compared nor encoded: a host decoding a scenario resolves the plug-in again from its
    /// path, the service from its URL).</summary>
    internal IRoutingPolicyFactory? Factory { get; private init; }

    /// <summary>A built-in policy by name, with settings (none when null).</summary>
    public static RoutingSpec BuiltIn(string policy, IReadOnlyDictionary<string, string>? settings = null) =>
        new(policy, null, null, settings ?? new Dictionary<string, string>());

    /// <summary>A policy type from the assembly at an absolute path, not resolved yet: a host attaches what creates
    /// the policy (<see cref="WithFactory"/>; <c>CrisisSim.Plugins.RoutingPlugins.Reference</c> does both).</summary>
    /// <exception cref="ArgumentException">The path is not absolute (the model does not know a current directory).</exception>
    public static RoutingSpec Plugin(string assemblyPath, string typeName, IReadOnlyDictionary<string, string>? settings = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(assemblyPath);
        if (!Path.IsPathFullyQualified(assemblyPath))
        {
            throw new ArgumentException($"The plug-in's assembly path must be absolute: '{assemblyPath}'", nameof(assemblyPath));
        }
        ArgumentException.ThrowIfNullOrEmpty(typeName);
        return new(null, assemblyPath, typeName, settings ?? new Dictionary<string, string>());
    }

    /// <summary>A routing service, not resolved yet: a host attaches what asks it (<see cref="WithFactory"/>;
    /// <c>CrisisSim.Plugins.RoutingService.Reference</c> does both). <paramref name="settings"/> are sent with every
    /// request, as written.</summary>
    public static RoutingSpec ServiceAt(RoutingServiceSpec service, IReadOnlyDictionary<string, string>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentException.ThrowIfNullOrEmpty(service.Url);
        return new(null, null, null, settings ?? new Dictionary<string, string>()) { Service = service };
    }

    /// <summary>This plug-in policy or service, created by <paramref name="factory"/>.</summary>
    /// <exception cref="InvalidOperationException">This is a built-in policy.</exception>
    public RoutingSpec WithFactory(IRoutingPolicyFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return NeedsHost ? this with { Factory = factory } : throw new InvalidOperationException($"{Name} is a built-in policy, not a plug-in");
    }

    /// <summary>Same policy, same assembly and type, same settings (compared by content).</summary>
    public bool Equals(RoutingSpec? other)
    {
        if (other is null || BuiltInPolicy != other.BuiltInPolicy || AssemblyPath != other.AssemblyPath || TypeName != other.TypeName
            || Service != other.Service || Settings.Count != other.Settings.Count)
        {
            return false;
        }
        foreach (var (key, value) in Settings)
        {
            if (!other.Settings.TryGetValue(key, out var otherValue) || otherValue != value)
            {
                return false;
            }
        }
        return true;
    }

    public override int GetHashCode() => HashCode.Combine(BuiltInPolicy, AssemblyPath, TypeName, Service, Settings.Count);

    /// <summary><c>fifo</c>; <c>skills (select: mostProficient)</c>; <c>Acme.Surge from Acme.dll (k: 3)</c>;
    /// <c>service http://127.0.0.1:8080/route (promoteAfter: 5m)</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(IsService ? "service " : "").Append(Name);
        if (AssemblyPath is not null)
        {
            text.Append(" from ").Append(Path.GetFileName(AssemblyPath));
        }
        if (Settings.Count > 0)
        {
            text.Append(" (");
            var first = true;
            foreach (var (key, value) in Settings.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                text.Append(first ? "" : ", ").Append(key).Append(": ").Append(value);
                first = false;
            }
            text.Append(')');
        }
        return text.ToString();
    }
}
