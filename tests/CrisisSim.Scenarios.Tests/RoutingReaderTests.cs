using CrisisSim.Cli;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Scenarios.Tests;

/// <summary>The <c>routing</c> key: built-in policies with settings, plug-ins from an assembly relative to the scenario
/// file, and every mistake reported with file, line and key (exit code 2 from the command).</summary>
public sealed class RoutingReaderTests : IDisposable
{
    // Line 4 is the routing line.
    private const string Text = """
        name: test
        interval: 30m
        intervals: 4
        ROUTING
        serviceLevel:
          threshold: 20s
        callTypes:
          - name: info
            arrivals:
              callsPerInterval: 10
            handleTime: { dist: exponential, mean: 3m }
          - name: urgent
            priority: 2
            arrivals:
              callsPerInterval: 5
            handleTime: { dist: exponential, mean: 3m }
        groups:
          - name: agents
            serves: [info, urgent]
            staffing: 3
          - name: backup
            serves: [info]
            staffing: 2

        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-routing-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("routing: fifo", "fifo", "")]
    [InlineData("routing: priority", "priority", "")]
    [InlineData("routing: { policy: skills }", "skills", "")]
    [InlineData("routing: { policy: skills, settings: { select: mostProficient } }", "skills", "select=mostProficient")]
    [InlineData("routing: { policy: overflow, settings: { group: backup, after: 2m } }", "overflow", "after=2m;group=backup")]
    [InlineData("routing: { policy: reserve, settings: { group: agents, operators: 1, minPriority: 2 } }", "reserve", "group=agents;minPriority=2;operators=1")]
    [InlineData("routing: { policy: weighted, settings: { secondsPerPriority: 90 } }", "weighted", "secondsPerPriority=90")]
    public void Built_in_policies_are_read_with_their_settings_as_written(string routing, string policy, string settings)
    {
        var s = Parse(routing);
        Assert.Equal(policy, s.BuiltInPolicy);
        Assert.Null(s.AssemblyPath);
        Assert.Equal(settings, string.Join(";", s.Settings.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value)));
    }

    [Fact]
    public void No_routing_key_is_fifo() => Assert.Equal(RoutingSpec.Fifo, Parse(""));

    [Theory]
    [InlineData("routing: random", 4, 10, "routing", "unknown routing policy 'random'; allowed: fifo, priority, skills, overflow, reserve, weighted, or a plug-in { assembly: PATH, type: TYPE }")]
    [InlineData("routing: { policy: random }", 4, 20, "routing.policy", "unknown routing policy 'random'; allowed: fifo, priority, skills, overflow, reserve, weighted (a plug-in is given by assembly and type instead of policy)")]
    [InlineData("routing: { policy: skills, settings: { select: fastest } }", 4, 48, "routing.settings.select", "'fastest' is not allowed; use one of longestIdle, mostProficient")]
    [InlineData("routing: { policy: skills, settings: { pick: longestIdle } }", 4, 46, "routing.settings.pick", "unknown setting of skills; allowed: select")]
    [InlineData("routing: { policy: fifo, settings: { k: 1 } }", 4, 41, "routing.settings.k", "unknown setting of fifo; fifo takes no settings")]
    [InlineData("routing: { policy: overflow, settings: { group: backup, after: soon } }", 4, 64, "routing.settings.after", "expected a duration such as 90s, 3m, 1.5h, 2d or a number of seconds, found 'soon'")]
    [InlineData("routing: { policy: overflow, settings: { group: nurses, after: 1m } }", 4, 49, "routing.settings.group", "no group is named 'nurses'; groups: agents, backup")]
    [InlineData("routing: { policy: overflow, settings: { after: 1m } }", 4, 40, "routing.settings.group", "missing required setting")]
    [InlineData("routing: { policy: reserve, settings: { group: agents, operators: -1 } }", 4, 67, "routing.settings.operators", "must be from 0 to 100000, found '-1'")]
    [InlineData("routing: { policy: weighted, settings: { secondsPerPriority: [1, 2] } }", 4, 62, "routing.settings.secondsPerPriority", "a setting is a single value (text, number or duration), found a list")]
    [InlineData("routing: { policy: fifo, assembly: x.dll, type: X }", 4, 20, "routing.policy", "give either policy (a built-in policy) or assembly and type (a plug-in), not both")]
    [InlineData("routing: { settings: { k: 1 } }", 4, 10, "routing", "give policy: NAME (fifo, priority, skills, overflow, reserve, weighted), assembly: PATH and type: TYPE for a plug-in, or service: URL for a routing service")]
    [InlineData("routing: { assembly: x.dll }", 4, 10, "routing.type", "missing required key: a plug-in needs the full name of its policy type (namespace.Type)")]
    [InlineData("routing: { policy: fifo, colour: red }", 4, 26, "routing.colour", "unknown key; allowed keys: policy, assembly, type, service, timeout, fallback, settings")]
    public void Mistakes_are_reported_at_their_line_and_key(string routing, int line, int column, string key, string reason)
    {
        var error = SingleError(Scenario(routing), "t.yaml");
        Assert.Equal((line, column, key, reason), (error.Line, error.Column, error.Key, error.Reason));
    }

    [Fact]
    public void A_plugin_path_is_taken_from_the_scenario_files_folder_and_kept_absolute()
    {
        var path = WriteScenario($"routing: {{ assembly: plugins/Surge.dll, type: {SamplePlugin.TypeName}, settings: {{ promoteAfter: 5m }} }}");

        var s = ScenarioLoader.LoadFile(path);

        Assert.Equal(Path.Combine(_dir, "plugins", "Surge.dll"), s.Routing.AssemblyPath);
        Assert.Equal(SamplePlugin.TypeName, s.Routing.TypeName);
        Assert.Equal(SamplePlugin.TypeName, s.Routing.Name);
        Assert.Equal("5m", s.Routing.Settings["promoteAfter"]);
    }

    [Theory]
    [InlineData("missing", "routing.assembly", "file not found: {dir}/plugins/Missing.dll (a relative path is taken from the scenario file's folder, {dir})")]
    [InlineData("text", "routing.assembly", "{dir}/plugins/NotAnAssembly.dll is not a .NET assembly")]
    [InlineData("folder", "routing.assembly", "{dir}/plugins is a folder; give the path of the plug-in's .dll")]
    [InlineData("type", "routing.type", "type 'Acme.Surge' not found in {dir}/plugins/Surge.dll (give the full name, with its namespace); its policy types: CrisisSim.Samples.Routing.SurgePolicy")]
    [InlineData("interface", "routing.type", "type 'CrisisSim.Scenarios.Tests.RoutingReaderTests' does not implement CrisisSim.Model.Routing.IRoutingPolicy")]
    [InlineData("rejected", "routing", "CrisisSim.Samples.Routing.SurgePolicy rejected its settings: promoteAfter must be longer than 0 s: every waiting call would be promoted at once (use routing: fifo)")]
    [InlineData("setting", "routing.settings.promoteAfter", "expected a duration such as 90s, 3m, 1.5h, 2d or a number of seconds, found 'soon'")]
    [InlineData("unknown", "routing.settings.colour", "unknown setting of CrisisSim.Samples.Routing.SurgePolicy; allowed: boost, promoteAfter")]
    public async Task A_plugin_that_cannot_be_used_is_refused_at_load_time_with_exit_code_2(string problem, string key, string reason)
    {
        var (assembly, type, settings) = problem switch
        {
            "missing" => ("plugins/Missing.dll", SamplePlugin.TypeName, "promoteAfter: 5m"),
            "text" => ("plugins/NotAnAssembly.dll", SamplePlugin.TypeName, "promoteAfter: 5m"),
            "folder" => ("plugins", SamplePlugin.TypeName, "promoteAfter: 5m"),
            "type" => ("plugins/Surge.dll", "Acme.Surge", "promoteAfter: 5m"),
            "interface" => ("plugins/Tests.dll", typeof(RoutingReaderTests).FullName!, "promoteAfter: 5m"),
            "rejected" => ("plugins/Surge.dll", SamplePlugin.TypeName, "promoteAfter: 0s"),
            "setting" => ("plugins/Surge.dll", SamplePlugin.TypeName, "promoteAfter: soon"),
            _ => ("plugins/Surge.dll", SamplePlugin.TypeName, "promoteAfter: 5m, colour: red"),
        };
        var path = WriteScenario($"routing: {{ assembly: {assembly}, type: {type}, settings: {{ {settings} }} }}");

        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadFile(path));
        var error = Assert.Single(ex.Errors);
        Assert.Equal((path, 4, key, reason.Replace("{dir}", _dir, StringComparison.Ordinal)), (error.File, error.Line, error.Key, error.Reason));

        var o = new StringWriter();
        var e = new StringWriter();
        // Settings are checked by the plug-in's own constructor: validate runs it only for an assembly allowed by name.
        Assert.Equal(2, await CliApp.InvokeAsync(["validate", path, "--allow-plugin", Path.Combine(_dir, "plugins", "Surge.dll")], o, e));
        Assert.Contains($"{path}:4:", e.ToString());
        Assert.DoesNotContain("   at ", e.ToString());
    }

    private string WriteScenario(string routing)
    {
        var plugins = Directory.CreateDirectory(Path.Combine(_dir, "plugins")).FullName;
        File.Copy(SamplePlugin.AssemblyPath, Path.Combine(plugins, "Surge.dll"), overwrite: true);
        File.Copy(typeof(RoutingReaderTests).Assembly.Location, Path.Combine(plugins, "Tests.dll"), overwrite: true);
        File.WriteAllText(Path.Combine(plugins, "NotAnAssembly.dll"), "not a program\n");
        var path = Path.Combine(_dir, "scenario.yaml");
        File.WriteAllText(path, Scenario(routing));
        return path;
    }

    private static string Scenario(string routing) => Text.Replace("ROUTING", routing, StringComparison.Ordinal);

    private static RoutingSpec Parse(string routing) => ScenarioLoader.Parse(Scenario(routing), "t.yaml").Routing;

    private static ScenarioError SingleError(string yaml, string file)
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(yaml, file));
        return Assert.Single(ex.Errors);
    }
}
