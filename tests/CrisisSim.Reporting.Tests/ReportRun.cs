using CrisisSim.Engine;
using CrisisSim.Scenarios;
using CrisisSim.Testing;

namespace CrisisSim.Reporting.Tests;

/// <summary>A short run of a library scenario (3 replications, call log kept) with fixed run facts, so that every
/// exporter's output depends only on the scenario and seed.</summary>
public sealed class ReportRun
{
    public ReportRun() : this("covid-hotline.yaml")
    {
    }

    internal ReportRun(string scenario, int replications = 3)
    {
        ScenarioPath = scenario.Contains(Path.DirectorySeparatorChar) ? scenario : Repo.Scenario(scenario);
        var definition = ScenarioLoader.LoadFile(ScenarioPath);
        Run = SimulationRunner.RunInline(definition, 7, replications, keepCallLog: true);
    }

    public string ScenarioPath { get; }

    public RunResult Run { get; }

    public static RunFacts Facts { get; } = new("process/inline", TimeSpan.FromSeconds(1.25), 2, "9.8.7+test", "test-machine",
        new DateTimeOffset(2026, 3, 14, 15, 9, 26, TimeSpan.Zero));

    /// <summary>A new report (its charts drawn afresh).</summary>
    public RunReport Report(StaffingPlan? needed = null) => new(Run, Facts, ScenarioFile.Read(ScenarioPath), needed);

    /// <summary>Writes every format to a new folder under <paramref name="root"/>.</summary>
    public ExportTarget ExportAll(string root, StaffingPlan? needed = null)
    {
        var target = new ExportTarget(Directory.CreateDirectory(Path.Combine(root, "run-" + Guid.NewGuid().ToString("N")[..8])).FullName);
        Exporters.Export(Report(needed), target, Exporters.All);
        return target;
    }
}

/// <summary>A temporary folder deleted after the test class.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("crisissim-reporting-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
