using CrisisSim.Model.Scenario;
using CrisisSim.Plugins;
using CrisisSim.Scenarios;
using CrisisSim.Testing;

namespace CrisisSim.Grains.Tests;

/// <summary>The scenario library, shortened to keep the suite fast, and the scenarios built in code.</summary>
internal static class GrainTestScenarios
{
    /// <summary>Expected calls per replication at most, after shortening.</summary>
    public const double CallBudget = 6000;

    /// <summary>Every scenario file under scenarios/, by path relative to it.</summary>
    public static IEnumerable<string> Files() =>
        Directory.EnumerateFiles(Repo.Scenarios, "*.yaml", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Repo.Scenarios, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    public static ScenarioDefinition File(string relativePath) =>
        TestScenarios.Shorten(ScenarioLoader.LoadFile(Path.Combine(Repo.Scenarios, relativePath)), CallBudget);

    public static IEnumerable<string> CodeBuiltNames() => ["single", "mixed", "closing", "ties", "demand", "journey", "outbound", "overflow", "plugin", "playbook", "recorded"];

    public static ScenarioDefinition CodeBuilt(string name) => name switch
    {
        "single" => TestScenarios.Single(1.0 / 30, 180, 7, 300, 20, intervalSeconds: 1800, intervals: 8),
        "mixed" => TestScenarios.Mixed(),
        "closing" => TestScenarios.Closing(),
        "ties" => TestScenarios.Ties(),
        "demand" => TestScenarios.Demand(),
        "journey" => TestScenarios.Journey(),
        "outbound" => TestScenarios.Outbound(),
        "playbook" => TestScenarios.Playbook(),
        "recorded" => TestScenarios.Recorded(),
        // Wake-up timers asked for by the policy: the nurses take urgent calls only once they waited a minute.
        "overflow" => TestScenarios.Mixed() with
        {
            Name = "overflow",
            Routing = RoutingSpec.BuiltIn("overflow", new Dictionary<string, string> { ["group"] = "nurses", ["after"] = "1m" }),
        },
        // The sample plug-in, loaded from its assembly by every host.
        "plugin" => TestScenarios.Mixed() with
        {
            Name = "plugin",
            Routing = RoutingPlugins.Reference(SamplePlugin.AssemblyPath, SamplePlugin.TypeName, new Dictionary<string, string> { ["promoteAfter"] = "2m" }),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such scenario"),
    };
}
