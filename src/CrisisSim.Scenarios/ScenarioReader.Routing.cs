using CrisisSim.Model.Routing;
using CrisisSim.Model.Scenario;
using CrisisSim.Plugins;
using YamlDotNet.RepresentationModel;

namespace CrisisSim.Scenarios;

/// <summary>The <c>routing</c> key: a built-in policy by name, with settings, or a plug-in policy from an assembly.
/// The policy is constructed once at load time with the scenario's call types and groups, so that a bad setting or a
/// plug-in that cannot be used is reported with the file and line, never at run time. A plug-in is first inspected
/// (metadata only) and loaded only as <see cref="PluginTrust.Current"/> allows.</summary>
internal sealed partial class ScenarioReader
{
    private static IReadOnlyList<string> PolicyNames => Choices(ScenarioFormat.Routing, "policy");

    private static string RoutingAllowed => string.Join(", ", PolicyNames) + ", or a plug-in { assembly: PATH, type: TYPE }";

    /// <summary><c>routing: NAME</c>, <c>routing: { policy: NAME, settings: {...} }</c> or
    /// <c>routing: { assembly: PATH, type: TYPE, settings: {...} }</c>; null after an error.</summary>
    private RoutingEntry? ReadRouting(YamlNode node, YamlNode keyNode)
    {
        if (node is YamlScalarNode)
        {
            if (Text(node, "routing") is not { } name)
            {
                return null;
            }
            if (!PolicyNames.Contains(name))
            {
                Error(node, "routing", $"unknown routing policy '{Shorten(name)}'; allowed: {RoutingAllowed}");
                return null;
            }
            return new RoutingEntry(RoutingSpec.BuiltIn(name), node, keyNode, new Dictionary<string, YamlNode>(), null);
        }
        var fields = Fields(node, "routing", "the routing policy", ScenarioFormat.Routing);
        if (fields is null)
        {
            return null;
        }
        var policyNode = fields.Get("policy");
        var assemblyNode = fields.Get("assembly");
        var typeNode = fields.Get("type");
        var serviceNode = fields.Get("service");
        var (settings, settingNodes, settingsOk) = ReadRoutingSettings(fields.Get("settings"), "routing.settings");

        if (serviceNode is not null && (policyNode ?? assemblyNode ?? typeNode) is { } other)
        {
            Error(other, "routing.service", "give either service (a routing service's URL), policy (a built-in policy) or assembly and type (a plug-in), not two of them");
            return null;
        }
        if (serviceNode is null && (fields.Get("timeout") ?? fields.Get("fallback")) is { } serviceOnly)
        {
            Error(serviceOnly, fields.Get("timeout") is null ? "routing.fallback" : "routing.timeout", "is a setting of a routing service: give service: URL, or remove it");
            return null;
        }
        if (serviceNode is not null)
        {
            return ReadService(fields, node, keyNode, serviceNode, settings, settingNodes, settingsOk);
        }

        if (policyNode is not null && (assemblyNode is not null || typeNode is not null))
        {
            Error(policyNode, "routing.policy", "give either policy (a built-in policy) or assembly and type (a plug-in), not both");
            return null;
        }
        if (policyNode is not null)
        {
            if (Text(policyNode, "routing.policy") is not { } name)
            {
                return null;
            }
            if (!PolicyNames.Contains(name))
            {
                Error(policyNode, "routing.policy", $"unknown routing policy '{Shorten(name)}'; allowed: {string.Join(", ", PolicyNames)} (a plug-in is given by assembly and type instead of policy)");
                return null;
            }
            return settingsOk ? new RoutingEntry(RoutingSpec.BuiltIn(name, settings), node, keyNode, settingNodes, fields.Get("settings")) : null;
        }
        if (assemblyNode is null && typeNode is null)
        {
            Error(node, "routing", $"give policy: NAME ({string.Join(", ", PolicyNames)}), assembly: PATH and type: TYPE for a plug-in, or service: URL for a routing service");
            return null;
        }
        if (assemblyNode is null || typeNode is null)
        {
            Error(fields.Map, assemblyNode is null ? "routing.assembly" : "routing.type",
                assemblyNode is null
                    ? "missing required key: a plug-in needs the path of its assembly (relative to the scenario file's folder)"
                    : "missing required key: a plug-in needs the full name of its policy type (namespace.Type)");
            return null;
        }
        var assemblyText = Text(assemblyNode, "routing.assembly");
        var typeName = Text(typeNode, "routing.type");
        if (assemblyText is null || typeName is null)
        {
            return null;
        }
        if (assemblyText.Length == 0 || assemblyText.Length > ScenarioLimits.MaxRoutingTextLength)
        {
            Error(assemblyNode, "routing.assembly", $"must be a path of 1 to {ScenarioLimits.MaxRoutingTextLength:N0} characters");
            return null;
        }
        if (typeName.Length == 0 || typeName.Length > ScenarioLimits.MaxRoutingTextLength)
        {
            Error(typeNode, "routing.type", $"must be a type name of 1 to {ScenarioLimits.MaxRoutingTextLength:N0} characters");
            return null;
        }
        string path;
        try
        {
            path = Path.GetFullPath(Path.Combine(ScenarioDirectory(), assemblyText));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            Error(assemblyNode, "routing.assembly", $"'{Shorten(assemblyText)}' is not a valid path: {ex.Message}");
            return null;
        }
        if (Directory.Exists(path))
        {
            Error(assemblyNode, "routing.assembly", $"{path} is a folder; give the path of the plug-in's .dll");
            return null;
        }
        if (!File.Exists(path))
        {
            Error(assemblyNode, "routing.assembly", $"file not found: {path} (a relative path is taken from the scenario file's folder, {ScenarioDirectory()})");
            return null;
        }
        var trust = PluginTrust.Current;
        var use = trust.For(path, ScenarioDirectory());
        if (use == PluginUse.Refuse)
        {
            Error(assemblyNode, "routing.assembly", PluginTrust.Refusal(path, ScenarioDirectory()));
            return null;
        }
        try
        {
            // Metadata first: nothing is loaded (no code runs) unless the trust says so and the metadata shows a policy.
            PluginInspector.Check(path, typeName);
            if (use == PluginUse.Load)
            {
                trust.Loading(path, typeName);
                RoutingPlugins.PolicyType(path, typeName);
            }
        }
        catch (RoutingPluginException ex)
        {
            var onAssembly = ex.Problem is RoutingPluginProblem.FileNotFound or RoutingPluginProblem.NotAnAssembly or RoutingPluginProblem.Forbidden or RoutingPluginProblem.NotTrusted;
            Error(onAssembly ? assemblyNode : typeNode, onAssembly ? "routing.assembly" : "routing.type", ex.Message);
            return null;
        }
        catch (Exception ex) when (ex is TypeLoadException or FileNotFoundException or FileLoadException or System.Reflection.ReflectionTypeLoadException)
        {
            Error(typeNode, "routing.type", $"type '{Shorten(typeName)}' cannot be loaded from {path}: {ex.Message}");
            return null;
        }
        if (!settingsOk)
        {
            return null;
        }
        // An inspected plug-in is described, not resolved: running it stops with a message saying no host resolved it.
        return use == PluginUse.Load
            ? new RoutingEntry(RoutingPlugins.Reference(path, typeName, settings), node, keyNode, settingNodes, fields.Get("settings"))
            : new RoutingEntry(RoutingSpec.Plugin(path, typeName, settings), node, keyNode, settingNodes, fields.Get("settings"), Inspected: true);
    }

    /// <summary><c>routing: { service: URL, timeout: 100ms, fallback: fifo, settings: {...} }</c>: the URL checked (an
    /// http(s) URL, on the loopback interface unless the command allows its host), the numbers within their bounds; the
    /// service is resolved but not asked (nothing is sent before a run).</summary>
    private RoutingEntry? ReadService(FieldSet fields, YamlNode node, YamlNode keyNode, YamlNode serviceNode,
        Dictionary<string, string> settings, Dictionary<string, YamlNode> settingNodes, bool settingsOk)
    {
        if (Text(serviceNode, "routing.service") is not { } url)
        {
            return null;
        }
        if (RoutingService.UrlProblem(url) is { } problem)
        {
            Error(serviceNode, "routing.service", problem);
            return null;
        }
        if (PluginTrust.Current.TargetProblem(url) is { } target)
        {
            Error(serviceNode, "routing.service", target);
            return null;
        }
        var timeout = RoutingServiceSpec.DefaultTimeoutSeconds;
        if (fields.Get("timeout") is not null)
        {
            if (BoundedDuration(fields, "timeout", "routing") is not { } given)
            {
                return null;
            }
            timeout = given;
        }
        var fallback = RoutingServiceSpec.DefaultFallback;
        if (fields.Get("fallback") is { } fallbackNode)
        {
            var allowed = Choices(ScenarioFormat.Routing, "fallback");
            if (Text(fallbackNode, "routing.fallback") is not { } name)
            {
                return null;
            }
            if (!allowed.Contains(name))
            {
                Error(fallbackNode, "routing.fallback", $"unknown fallback policy '{Shorten(name)}'; allowed: {string.Join(", ", allowed)} (built-in policies without settings)");
                return null;
            }
            fallback = name;
        }
        if (!settingsOk)
        {
            return null;
        }
        var spec = RoutingService.Resolve(RoutingSpec.ServiceAt(new RoutingServiceSpec(url, timeout, fallback), settings));
        return new RoutingEntry(spec, node, keyNode, settingNodes, fields.Get("settings"));
    }

    /// <summary><c>settings: { key: value, … }</c>: single values, kept as written (<paramref name="settingsPath"/>: the
    /// path of the settings map).</summary>
    private (Dictionary<string, string> Settings, Dictionary<string, YamlNode> Nodes, bool Ok) ReadRoutingSettings(YamlNode? node, string settingsPath)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        var nodes = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        if (node is null || IsNull(node))
        {
            return (settings, nodes, true);
        }
        var fields = Fields(node, settingsPath, "the routing policy's settings", null);
        if (fields is null)
        {
            return (settings, nodes, false);
        }
        if (fields.Keys.Count > ScenarioLimits.MaxRoutingSettings)
        {
            Error(node, settingsPath, $"has {fields.Keys.Count:N0} settings; the limit is {ScenarioLimits.MaxRoutingSettings}");
            return (settings, nodes, false);
        }
        var ok = true;
        foreach (var (key, keyNode) in fields.Keys)
        {
            var path = Join(settingsPath, key);
            var valueNode = fields.Get(key)!;
            if (key.Length > ScenarioLimits.MaxRoutingTextLength)
            {
                Error(keyNode, settingsPath, $"a key is longer than {ScenarioLimits.MaxRoutingTextLength:N0} characters");
                ok = false;
                continue;
            }
            if (valueNode is not YamlScalarNode { Value: { } value } || IsNull(valueNode))
            {
                Error(valueNode, path, $"a setting is a single value (text, number or duration), found {Describe(valueNode)}");
                ok = false;
                continue;
            }
            if (value.Length > ScenarioLimits.MaxRoutingTextLength)
            {
                Error(valueNode, path, $"is {value.Length:N0} characters long; the limit is {ScenarioLimits.MaxRoutingTextLength:N0}");
                ok = false;
                continue;
            }
            settings[key] = value;
            nodes[key] = valueNode;
        }
        return (settings, nodes, ok);
    }

    /// <summary>Constructs the policy once with the scenario's call types and groups: settings it refuses are reported
    /// at their line; a plug-in's own refusal at the line of <c>routing</c> (<paramref name="path"/>: the path of the
    /// routing key, the top level's or a playbook action's).</summary>
    private void CheckRouting(RoutingEntry routing, IReadOnlyList<CallTypeSpec> callTypes, IReadOnlyList<OperatorGroupSpec> groups, string path = "routing")
    {
        var spec = routing.Spec;
        if (routing.Inspected)
        {
            return; // its settings are checked only by its own constructor, which inspection does not run
        }
        var setup = new RoutingSetup(spec.Name, spec.Settings, [.. callTypes.Select(c => c.Name)], [.. callTypes.Select(c => c.Priority)], [.. groups.Select(g => g.Name)]);
        if (spec.IsService)
        {
            var bound = RoutingService.RequestBytesBound(setup.CallTypes, setup.Groups, [.. groups.Select(g => g.Serves.Count)], spec.Settings);
            if (bound > RoutingService.MaxRequestBytes)
            {
                Error(routing.KeyNode, path, $"a request to the routing service for this scenario could be {bound:N0} bytes, above the limit of {RoutingService.MaxRequestBytes:N0} (fewer call types, groups or settings)");
                return;
            }
        }
        try
        {
            RoutingPolicies.Create(spec, setup);
        }
        catch (RoutingSettingsException ex)
        {
            Error(routing.SettingNodes.GetValueOrDefault(ex.Key) ?? routing.SettingsNode ?? routing.Node, Join(path, "settings." + ex.Key), ex.Reason);
        }
        catch (RoutingPluginException ex)
        {
            Error(routing.KeyNode, path, ex.Message);
        }
        catch (Exception ex) when (ex is TypeLoadException or FileNotFoundException or FileLoadException)
        {
            Error(routing.KeyNode, path, $"{spec.Name} cannot be constructed: {ex.Message}");
        }
        catch (ArgumentException ex)
        {
            // A plug-in's constructor rejected its settings, in its own words.
            var suffix = ex.ParamName is null ? "" : $" (Parameter '{ex.ParamName}')";
            var reason = ex.ParamName is not null && ex.Message.EndsWith(suffix, StringComparison.Ordinal) ? ex.Message[..^suffix.Length] : ex.Message;
            if (ex.ParamName is { } key && routing.SettingNodes.TryGetValue(key, out var settingNode))
            {
                Error(settingNode, Join(path, "settings." + key), $"{spec.Name} rejected this setting: {reason}");
            }
            else
            {
                Error(routing.KeyNode, path, $"{spec.Name} rejected its settings: {reason}");
            }
        }
    }

    /// <summary>The folder of the scenario file: plug-in paths are relative to it (the current folder for text
    /// without a file).</summary>
    private string ScenarioDirectory()
    {
        try
        {
            return _file.Length == 0 ? Environment.CurrentDirectory : Path.GetDirectoryName(Path.GetFullPath(_file)) ?? Environment.CurrentDirectory;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return Environment.CurrentDirectory;
        }
    }

    private sealed record RoutingEntry(
        RoutingSpec Spec,
        YamlNode Node,
        YamlNode KeyNode,
        IReadOnlyDictionary<string, YamlNode> SettingNodes,
        YamlNode? SettingsNode,
        bool Inspected = false);
}
