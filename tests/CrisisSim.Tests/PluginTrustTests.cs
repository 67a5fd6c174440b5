using System.Diagnostics;
using System.Reflection;
using System.Reflection.Emit;
using CrisisSim.Model.Routing;
using CrisisSim.Plugins;
using CrisisSim.Testing;

namespace CrisisSim.Tests;

/// <summary>Plug-in code runs only in commands that simulate, only from the scenario file's folder or an assembly given
/// with <c>--allow-plugin</c>; listing and validating inspect plug-ins from their metadata; a plug-in path that is not a
/// regular file is refused before it is opened.</summary>
public sealed class PluginTrustTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-trust-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A private copy of the test assembly (its policies), so that whether it was loaded is this test's alone.</summary>
    private string CopyOfPolicies(string folder)
    {
        Directory.CreateDirectory(folder);
        var copy = Path.Combine(folder, "Policies.dll");
        File.Copy(typeof(MarkingPolicy).Assembly.Location, copy, overwrite: true);
        return copy;
    }

    private string Scenario(string folder, string routing, string name = "plug")
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".yaml");
        File.WriteAllText(path, PluginScenarios.Text(routing, name));
        return path;
    }

    [Fact]
    public async Task Listing_and_validating_run_no_code_of_a_plugin()
    {
        var scenarios = Path.Combine(_dir, "sent");
        var assembly = CopyOfPolicies(Path.Combine(scenarios, "plugins"));
        var scenario = Scenario(scenarios, $"routing: {{ assembly: plugins/Policies.dll, type: {typeof(MarkingPolicy).FullName} }}");

        var list = await CliRun.Run("list", scenarios);
        var validate = await CliRun.Run("validate", scenario);

        Assert.True(list.Code == 0, list.Err);
        Assert.Contains("plug.yaml", list.Out);
        Assert.True(validate.Code == 0, validate.Err);
        Assert.Contains("inspected without running it", validate.Out);
        Assert.False(File.Exists(assembly + ".ran"), "the plug-in's type initializer ran");
        Assert.DoesNotContain(assembly, RoutingPlugins.LoadedPaths);
    }

    [Fact]
    public async Task Validate_still_names_what_is_wrong_with_a_plugin_from_its_metadata()
    {
        var folder = Path.Combine(_dir, "bad");
        CopyOfPolicies(Path.Combine(folder, "plugins"));
        var missingType = Scenario(folder, "routing: { assembly: plugins/Policies.dll, type: Acme.Surge }", "type");
        var notPolicy = Scenario(folder, $"routing: {{ assembly: plugins/Policies.dll, type: {typeof(PluginTrustTests).FullName} }}", "interface");

        var (code, _, error) = await CliRun.Run("validate", missingType, notPolicy);

        Assert.Equal(2, code);
        Assert.Contains("type 'Acme.Surge' not found in", error);
        Assert.Contains(typeof(MarkingPolicy).FullName!, error);
        Assert.Contains($"type '{typeof(PluginTrustTests).FullName}' does not implement CrisisSim.Model.Routing.IRoutingPolicy", error);
    }

    [Fact]
    public async Task An_existing_assembly_that_is_no_plugin_is_named_as_such_not_as_a_missing_file()
    {
        // The runtime's core library: an assembly the loader cannot load a second time ("file not found" before).
        var core = typeof(object).Assembly.Location;
        var scenario = Scenario(_dir, $"routing: {{ assembly: '{core}', type: Acme.Surge }}");

        var (code, _, error) = await CliRun.Run("validate", scenario);

        Assert.Equal(2, code);
        Assert.DoesNotContain("file not found", error);
        Assert.Contains($"type 'Acme.Surge' not found in {core} (give the full name, with its namespace); it holds no public type implementing CrisisSim.Model.Routing.IRoutingPolicy", error);
    }

    [Fact]
    public async Task A_plugin_path_that_is_a_fifo_is_refused_before_it_is_opened()
    {
        var fifo = Path.Combine(_dir, "plugin.dll");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        var scenario = Scenario(_dir, $"routing: {{ assembly: plugin.dll, type: {typeof(MarkingPolicy).FullName} }}");

        var validate = CliRun.Run("validate", scenario);
        var finished = await Task.WhenAny(validate, Task.Delay(TimeSpan.FromSeconds(20)));

        Assert.True(finished == validate, "validate still waits on the FIFO after 20 s");
        var (code, _, error) = await validate;
        Assert.Equal(2, code);
        Assert.Contains($"{scenario}:", error);
        Assert.Contains("is a named pipe (FIFO), not a regular file", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task A_run_refuses_a_plugin_outside_the_scenario_folder_unless_allowed_and_says_which_it_loads()
    {
        var assembly = CopyOfPolicies(Path.Combine(_dir, "elsewhere"));
        var scenario = Scenario(Path.Combine(_dir, "scenarios"), $"routing: {{ assembly: '{assembly}', type: {typeof(MarkingPolicy).FullName} }}");
        var output = Path.Combine(_dir, "out");

        var refused = await CliRun.Run("run", scenario, "-r", "2", "--host", "threads", "--format", "summary", "--out", output);

        Assert.True(refused.Code == 2, refused.Err);
        Assert.Contains($"{assembly} is outside the scenario file's folder", refused.Err);
        Assert.Contains("--allow-plugin", refused.Err);
        Assert.False(File.Exists(assembly + ".ran"), "the refused plug-in ran");
        Assert.False(Directory.Exists(output));

        var allowed = await CliRun.Run("run", scenario, "-r", "2", "--host", "threads", "--format", "summary", "--out", output, "--allow-plugin", assembly);

        Assert.True(allowed.Code == 0, allowed.Err);
        var notes = allowed.Err.Split('\n').Where(l => l.StartsWith("note: loading routing plug-in", StringComparison.Ordinal)).ToList();
        Assert.Equal($"note: loading routing plug-in {typeof(MarkingPolicy).FullName} from {assembly}", Assert.Single(notes).TrimEnd('\r'));
        Assert.True(File.Exists(assembly + ".ran"));
    }

    [Theory]
    [InlineData("validate")]
    [InlineData("run")]
    public async Task An_assembly_whose_metadata_calls_environment_exit_is_refused_before_it_is_loaded(string command)
    {
        var folder = Path.Combine(_dir, "quit");
        var assembly = Path.Combine(folder, "plugins", "Quitter.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(assembly)!);
        EmitPolicyCallingExit(assembly, "Acme.Quitter");
        var scenario = Scenario(folder, "routing: { assembly: plugins/Quitter.dll, type: Acme.Quitter }");

        var (code, _, error) = await CliRun.Run(command == "run"
            ? ["run", scenario, "-r", "1", "--host", "threads", "--format", "summary", "--out", Path.Combine(_dir, "out")]
            : ["validate", scenario]);

        Assert.True(code == 2, $"exit code {code}: {error}");
        Assert.Contains($"{assembly} calls System.Environment.Exit: a routing plug-in may not end the process", error);
        Assert.DoesNotContain(assembly, RoutingPlugins.LoadedPaths);
    }

    /// <summary>Writes an assembly whose policy (a valid one by its shape) calls Environment.Exit in each decision.</summary>
    private static void EmitPolicyCallingExit(string path, string typeName)
    {
        var builder = new PersistedAssemblyBuilder(new AssemblyName(Path.GetFileNameWithoutExtension(path)), typeof(object).Assembly);
        var module = builder.DefineDynamicModule(Path.GetFileNameWithoutExtension(path));
        var type = module.DefineType(typeName, TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class, typeof(object), [typeof(IRoutingPolicy)]);
        type.DefineDefaultConstructor(MethodAttributes.Public);
        foreach (var decision in typeof(IRoutingPolicy).GetMethods())
        {
            var method = type.DefineMethod(decision.Name,
                MethodAttributes.Public | MethodAttributes.Virtual | MethodAttributes.Final | MethodAttributes.HideBySig | MethodAttributes.NewSlot,
                typeof(int), [.. decision.GetParameters().Select(p => p.ParameterType)]);
            var il = method.GetILGenerator();
            il.Emit(OpCodes.Ldc_I4_0);
            il.Emit(OpCodes.Call, typeof(Environment).GetMethod(nameof(Environment.Exit))!);
            il.Emit(OpCodes.Ldc_I4_M1);
            il.Emit(OpCodes.Ret);
            type.DefineMethodOverride(method, decision);
        }
        type.CreateType();
        builder.Save(path);
    }

    [Fact]
    public async Task A_sweep_over_the_routing_key_refuses_a_plugin_that_was_not_allowed()
    {
        var assembly = CopyOfPolicies(Path.Combine(_dir, "elsewhere"));
        var scenario = Scenario(Path.Combine(_dir, "scenarios"), "routing: fifo");

        var (code, _, error) = await CliRun.Run("sweep", scenario, "--set", $"routing={{ assembly: '{assembly}', type: {typeof(MarkingPolicy).FullName} }}",
            "-r", "2", "--host", "threads", "--out", Path.Combine(_dir, "out"));

        Assert.True(code == 2, error);
        Assert.Contains("is outside the scenario file's folder", error);
        Assert.False(File.Exists(assembly + ".ran"), "the refused plug-in ran");
    }
}

/// <summary>A small scenario (two half-hours, 100 calls each, 5 operators) routed as given.</summary>
internal static class PluginScenarios
{
    public static string Text(string routing, string name = "plug") => $$"""
        name: {{name}}
        interval: 30m
        intervals: 2
        serviceLevel:
          threshold: 20s
        {{routing}}
        callTypes:
          - name: calls
            arrivals:
              callsPerInterval: 100
            patience: { dist: exponential, mean: 300s }
            handleTime: { dist: exponential, mean: 180s }
        groups:
          - name: operators
            serves: [calls]
            staffing: 5
        """;
}
