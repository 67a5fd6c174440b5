using System.Reflection;
using System.Runtime.Loader;
using CrisisSim.Model.Routing;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Plugins;

/// <summary>Loads users' routing policies from their assemblies, for the hosts (the scenario reader, the silos): each
/// assembly from its own path only, once per full path per process, into a load context of its own that shares this
/// process's CrisisSim.Model (and any assembly the process has already loaded), so the plug-in's
/// <see cref="IRoutingPolicy"/> is the host's. The model sees a plug-in only as the <see cref="IRoutingPolicyFactory"/>
/// attached to its <see cref="RoutingSpec"/>.</summary>
public static class RoutingPlugins
{
    /// <summary>Largest plug-in assembly read (64 MiB): far above a policy's few kilobytes, and a bound on what a
    /// path naming a huge file makes the reader map.</summary>
    public const long MaxAssemblyBytes = 64L << 20;

    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, Assembly> Loaded = new(StringComparer.Ordinal);
    private static readonly Dictionary<(string Path, string Type), Type> Types = [];

    /// <summary>The plug-in assemblies this process has loaded, by full path (for messages when the process ends
    /// during a run).</summary>
    public static IReadOnlyList<string> LoadedPaths
    {
        get
        {
            lock (Gate)
            {
                return [.. Loaded.Keys];
            }
        }
    }

    /// <summary>The plug-in policy <paramref name="typeName"/> of the assembly at <paramref name="assemblyPath"/> (made
    /// absolute against the current directory), resolved: its policies are created by loading the assembly (on the
    /// first replication, unless <see cref="PolicyType"/> loaded it already).</summary>
    /// <exception cref="RoutingPluginException">The path is not a valid path.</exception>
    public static RoutingSpec Reference(string assemblyPath, string typeName, IReadOnlyDictionary<string, string>? settings = null) =>
        Resolve(RoutingSpec.Plugin(FullPath(assemblyPath), typeName, settings));

    /// <summary>The routing spec with its plug-in or service resolved (what creates its policies attached; a service is
    /// asked in simulation, see <see cref="RoutingService.Resolve"/>); a built-in policy as it is. Nothing is loaded or
    /// sent until a policy is created.</summary>
    public static RoutingSpec Resolve(RoutingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.AssemblyPath is { } path ? spec.WithFactory(new PluginPolicyFactory(path, spec.TypeName!))
            : spec.IsService ? RoutingService.Resolve(spec)
            : spec;
    }

    /// <summary>The scenario with its routing plug-in or service resolved (a scenario decoded from the wire carries the
    /// plug-in's path or the service's URL only); the same scenario when its policy is built in.</summary>
    public static ScenarioDefinition Resolve(ScenarioDefinition scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return scenario.Routing.NeedsHost ? scenario with { Routing = Resolve(scenario.Routing) } : scenario;
    }

    /// <summary>The policy type <paramref name="typeName"/> of the assembly at <paramref name="assemblyPath"/>.</summary>
    /// <exception cref="RoutingPluginException">The file is missing or not an assembly, the type is missing, or it is
    /// not a usable policy type; the message says which.</exception>
    public static Type PolicyType(string assemblyPath, string typeName)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        var path = FullPath(assemblyPath);
        lock (Gate)
        {
            if (Types.TryGetValue((path, typeName), out var known))
            {
                return known;
            }
        }
        // Nothing is loaded that its metadata does not show to be a usable policy (and to end no process).
        PluginInspector.Check(path, typeName);
        var type = LoadedPolicyType(path, typeName);
        lock (Gate)
        {
            Types[(path, typeName)] = type;
        }
        return type;
    }

    private static Type LoadedPolicyType(string assemblyPath, string typeName)
    {
        var assembly = Load(assemblyPath);
        Type? type;
        try
        {
            type = assembly.GetType(typeName, throwOnError: false, ignoreCase: false);
        }
        catch (Exception ex) when (ex is ArgumentException or FileLoadException or FileNotFoundException or BadImageFormatException)
        {
            throw new RoutingPluginException(RoutingPluginProblem.TypeNotFound, $"type '{typeName}' cannot be read from {assembly.Location}: {ex.Message}", ex);
        }
        if (type is null)
        {
            var candidates = PolicyTypes(assembly);
            var hint = candidates.Count == 0
                ? "; it holds no public type implementing CrisisSim.Model.Routing.IRoutingPolicy"
                : "; its policy types: " + string.Join(", ", candidates.Take(10));
            throw new RoutingPluginException(RoutingPluginProblem.TypeNotFound, $"type '{typeName}' not found in {assembly.Location} (give the full name, with its namespace){hint}");
        }
        if (!typeof(IRoutingPolicy).IsAssignableFrom(type))
        {
            var other = type.GetInterfaces().FirstOrDefault(i => i.FullName == typeof(IRoutingPolicy).FullName);
            throw new RoutingPluginException(RoutingPluginProblem.NotAPolicy, other is null
                ? $"type '{typeName}' does not implement CrisisSim.Model.Routing.IRoutingPolicy"
                : $"type '{typeName}' implements IRoutingPolicy of another CrisisSim.Model ({other.Assembly.Location}), not this one ({typeof(IRoutingPolicy).Assembly.Location})");
        }
        if (type.IsAbstract || type.IsGenericTypeDefinition || !type.IsPublic && !type.IsNestedPublic)
        {
            throw new RoutingPluginException(RoutingPluginProblem.NotAPolicy, $"type '{typeName}' must be a public, concrete, non-generic class");
        }
        if (Constructor(type) is null)
        {
            throw new RoutingPluginException(RoutingPluginProblem.NotAPolicy,
                $"type '{typeName}' has no public constructor taking a RoutingSetup, an IReadOnlyDictionary<string, string> of settings, or nothing");
        }
        return type;
    }

    /// <summary>A new instance of the policy type, given the setup, guarded (see <see cref="GuardedPolicy"/>).</summary>
    /// <exception cref="RoutingPluginException">As <see cref="PolicyType"/>, or the constructor failed with another
    /// exception than <see cref="ArgumentException"/>.</exception>
    /// <exception cref="ArgumentException">The constructor rejected its settings (passed on as thrown).</exception>
    public static IRoutingPolicy Create(string assemblyPath, string typeName, RoutingSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var type = PolicyType(assemblyPath, typeName);
        var constructor = Constructor(type)!;
        var parameters = constructor.GetParameters();
        object?[] arguments;
        if (parameters.Length == 0)
        {
            if (setup.Settings.Count > 0)
            {
                var key = setup.Settings.Keys.Order(StringComparer.Ordinal).First();
                throw new RoutingSettingsException(key, $"unknown setting: {typeName} takes no settings (its constructor has no parameter)");
            }
            arguments = [];
        }
        else
        {
            arguments = [parameters[0].ParameterType == typeof(RoutingSetup) ? setup : setup.Settings];
        }
        try
        {
            // Guarded: a failing decision names the policy, and the watchdog sees a decision that never ends.
            return new GuardedPolicy((IRoutingPolicy)constructor.Invoke(arguments), typeName);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is ArgumentException argument)
        {
            throw argument;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is { } inner)
        {
            throw new RoutingPluginException(RoutingPluginProblem.ConstructorFailed, $"the constructor of {typeName} failed: {inner.GetType().Name}: {inner.Message}", inner);
        }
    }

    private static ConstructorInfo? Constructor(Type type)
    {
        ConstructorInfo? dictionary = null;
        ConstructorInfo? none = null;
        foreach (var constructor in type.GetConstructors())
        {
            var parameters = constructor.GetParameters();
            if (parameters.Length == 1 && parameters[0].ParameterType == typeof(RoutingSetup))
            {
                return constructor;
            }
            if (parameters.Length == 1 && parameters[0].ParameterType == typeof(IReadOnlyDictionary<string, string>))
            {
                dictionary = constructor;
            }
            else if (parameters.Length == 0)
            {
                none = constructor;
            }
        }
        return dictionary ?? none;
    }

    private static List<string> PolicyTypes(Assembly assembly)
    {
        try
        {
            return [.. assembly.GetExportedTypes().Where(t => typeof(IRoutingPolicy).IsAssignableFrom(t) && !t.IsAbstract).Select(t => t.FullName ?? t.Name).Order(StringComparer.Ordinal)];
        }
        catch (Exception ex) when (ex is ReflectionTypeLoadException or FileNotFoundException or FileLoadException)
        {
            return [];
        }
    }

    private static string FullPath(string assemblyPath)
    {
        try
        {
            return Path.GetFullPath(assemblyPath);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new RoutingPluginException(RoutingPluginProblem.FileNotFound, $"'{assemblyPath}' is not a valid path: {ex.Message}", ex);
        }
    }

    private static Assembly Load(string assemblyPath)
    {
        var path = FullPath(assemblyPath);
        lock (Gate)
        {
            if (Loaded.TryGetValue(path, out var loaded))
            {
                return loaded;
            }
            PluginInspector.CheckFile(path);
            try
            {
                var assembly = new PluginLoadContext(path).LoadFromAssemblyPath(path);
                Loaded.Add(path, assembly);
                return assembly;
            }
            catch (FileNotFoundException ex)
            {
                throw new RoutingPluginException(RoutingPluginProblem.FileNotFound, $"file not found: {path}", ex);
            }
            catch (BadImageFormatException ex)
            {
                throw new RoutingPluginException(RoutingPluginProblem.NotAnAssembly, $"{path} is not a .NET assembly", ex);
            }
            catch (Exception ex) when (ex is FileLoadException or UnauthorizedAccessException or IOException)
            {
                throw new RoutingPluginException(RoutingPluginProblem.NotAnAssembly, $"{path} cannot be loaded: {ex.Message}", ex);
            }
        }
    }

    /// <summary>Creates the plug-in's policy per replication, loading its assembly on first use.</summary>
    private sealed class PluginPolicyFactory(string assemblyPath, string typeName) : IRoutingPolicyFactory
    {
        public IRoutingPolicy Create(RoutingSetup setup) => RoutingPlugins.Create(assemblyPath, typeName, setup);
    }

    /// <summary>One plug-in and its private dependencies (found through its .deps.json, or beside it); the host's
    /// CrisisSim.Model and every assembly already loaded by the host are shared, so types are the same.</summary>
    private sealed class PluginLoadContext(string path) : AssemblyLoadContext("routing:" + path)
    {
        private AssemblyDependencyResolver? _resolver;

        protected override Assembly? Load(AssemblyName name)
        {
            var model = typeof(IRoutingPolicy).Assembly;
            if (AssemblyName.ReferenceMatchesDefinition(name, model.GetName()) || name.Name == model.GetName().Name)
            {
                return model;
            }
            foreach (var shared in Default.Assemblies)
            {
                if (shared.GetName().Name == name.Name)
                {
                    return shared;
                }
            }
            string? own;
            try
            {
                own = (_resolver ??= new AssemblyDependencyResolver(path)).ResolveAssemblyToPath(name);
            }
            catch (InvalidOperationException)
            {
                own = Path.Combine(Path.GetDirectoryName(path) ?? ".", name.Name + ".dll"); // no usable .deps.json: beside it
            }
            try
            {
                return own is null ? null : LoadFromAssemblyPath(own);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
        }
    }
}
