using CrisisSim.Model.Routing;

namespace CrisisSim.Plugins;

/// <summary>What the scenario reader does with a routing plug-in it meets.</summary>
public enum PluginUse
{
    /// <summary>Check the assembly's metadata only: no code of it runs, its settings are not checked.</summary>
    Inspect,

    /// <summary>Load the assembly and construct the policy once, to check its settings.</summary>
    Load,

    /// <summary>Refuse the scenario: the plug-in is not trusted.</summary>
    Refuse,
}

/// <summary>Which routing plug-ins a command may run. Reading a scenario never runs a plug-in's code unless its trust says
/// so: <c>list</c> and <c>validate</c> inspect plug-ins (metadata only); commands that simulate load only assemblies
/// under the scenario file's folder or allowed by name (<c>--allow-plugin</c>). Code that names a plug-in itself
/// (<see cref="RoutingPlugins.Reference"/>, or a scenario read outside a command) asked for it: the default,
/// <see cref="Everything"/>, loads it.</summary>
public sealed class PluginTrust
{
    private static readonly AsyncLocal<PluginTrust?> Ambient = new();
    private readonly HashSet<string> _allowed;
    private readonly bool _scenarioFolder;
    private readonly PluginUse _otherwise;
    private readonly Action<string, string>? _loading;
    private readonly HashSet<string> _announced = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private string[] _serviceHosts = [];

    private PluginTrust(IEnumerable<string> allowed, bool scenarioFolder, PluginUse otherwise, Action<string, string>? loading)
    {
        _allowed = new HashSet<string>(allowed.Select(Full), StringComparer.Ordinal);
        _scenarioFolder = scenarioFolder;
        _otherwise = otherwise;
        _loading = loading;
    }

    /// <summary>Loads every plug-in (the default outside a command).</summary>
    public static PluginTrust Everything { get; } = new([], scenarioFolder: false, PluginUse.Load, null);

    /// <summary>The trust of the current flow of work (set by <see cref="Use"/>); <see cref="Everything"/> when none.</summary>
    public static PluginTrust Current => Ambient.Value ?? Everything;

    /// <summary>Inspects every plug-in, loading only the assemblies of <paramref name="allowed"/> (<c>list</c>,
    /// <c>validate</c>).</summary>
    public static PluginTrust InspectOnly(IEnumerable<string>? allowed = null, Action<string, string>? loading = null) =>
        new(allowed ?? [], scenarioFolder: false, PluginUse.Inspect, loading);

    /// <summary>Loads the assemblies under the scenario file's folder and those of <paramref name="allowed"/>, refuses
    /// any other (the commands that simulate); <paramref name="loading"/> is told once per assembly (path, type) before
    /// it is loaded.</summary>
    public static PluginTrust ForRuns(IEnumerable<string> allowed, Action<string, string>? loading = null) =>
        new(allowed, scenarioFolder: true, PluginUse.Refuse, loading);

    /// <summary>The hosts other than the loopback interface that routing services may be asked on (the user's
    /// <c>--allow-routing-host</c>).</summary>
    public IReadOnlyList<string> ServiceHosts => _serviceHosts;

    /// <summary>A copy of this trust that also allows routing services on <paramref name="hosts"/>.</summary>
    public PluginTrust AllowingServiceHosts(IEnumerable<string> hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        return new PluginTrust(_allowed, _scenarioFolder, _otherwise, _loading) { _serviceHosts = [.. _serviceHosts, .. hosts] };
    }

    /// <summary>Why a scenario may not name the routing service at <paramref name="url"/>, or null: on the loopback
    /// interface, or on a host allowed by name (see <see cref="RoutingService.TargetProblem"/>). Applies to every
    /// trust, so that no scenario file makes a command send its states elsewhere unless the user said so.</summary>
    public string? TargetProblem(string url) => RoutingService.TargetProblem(url, _serviceHosts);

    /// <summary>Makes <paramref name="trust"/> the current trust of this flow of work (and of the tasks it starts) until
    /// disposed.</summary>
    public static IDisposable Use(PluginTrust trust)
    {
        ArgumentNullException.ThrowIfNull(trust);
        var before = Ambient.Value;
        Ambient.Value = trust;
        return new Restore(before);
    }

    /// <summary>What to do with the plug-in at <paramref name="assemblyPath"/> (absolute) named by a scenario file in
    /// <paramref name="scenarioFolder"/>.</summary>
    public PluginUse For(string assemblyPath, string scenarioFolder)
    {
        if (_otherwise == PluginUse.Load || _allowed.Contains(Full(assemblyPath)))
        {
            return PluginUse.Load;
        }
        if (_scenarioFolder && IsUnder(Full(assemblyPath), Full(scenarioFolder)))
        {
            return PluginUse.Load;
        }
        return _otherwise;
    }

    /// <summary>Why the plug-in is refused, for the reader's message.</summary>
    public static string Refusal(string assemblyPath, string scenarioFolder) =>
        $"{assemblyPath} is outside the scenario file's folder ({scenarioFolder}): a routing plug-in runs only from there, or when allowed with --allow-plugin {assemblyPath}";

    /// <summary>Tells the command, once per assembly, that it is about to be loaded.</summary>
    public void Loading(string assemblyPath, string typeName)
    {
        if (_loading is null)
        {
            return;
        }
        lock (_gate)
        {
            if (!_announced.Add(Full(assemblyPath)))
            {
                return;
            }
        }
        _loading(assemblyPath, typeName);
    }

    private static bool IsUnder(string path, string folder)
    {
        var prefix = folder.EndsWith(Path.DirectorySeparatorChar) ? folder : folder + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, StringComparison.Ordinal);
    }

    private static string Full(string path)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new RoutingPluginException(RoutingPluginProblem.FileNotFound, $"'{path}' is not a valid path: {ex.Message}", ex);
        }
    }

    private sealed class Restore(PluginTrust? before) : IDisposable
    {
        public void Dispose() => Ambient.Value = before;
    }
}
