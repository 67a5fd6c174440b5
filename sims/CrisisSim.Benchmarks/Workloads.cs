using CrisisSim.Model.Scenario;
using CrisisSim.Scenarios;

namespace CrisisSim.Benchmarks;

/// <summary>The benchmark workloads of scenarios/bench, and stretched variants for memory checks.</summary>
public static class Workloads
{
    public static string Root { get; } = FindRoot();

    /// <summary>A workload of scenarios/bench by name (w, w-small), or any scenario file by its path.</summary>
    public static ScenarioDefinition Load(string name) =>
        ScenarioLoader.LoadFile(name.EndsWith(".yaml", StringComparison.Ordinal) ? name : Path.Combine(Root, "scenarios", "bench", name + ".yaml"));

    /// <summary>The same workload over a horizon <paramref name="factor"/> times longer (per-interval lists repeated).</summary>
    public static ScenarioDefinition Stretched(ScenarioDefinition s, int factor) => s with
    {
        Name = s.Name + "-x" + factor,
        IntervalCount = s.IntervalCount * factor,
        CallTypes = [.. s.CallTypes.Select(t => t with { Arrivals = new PoissonArrivalSpec([.. Enumerable.Repeat(((PoissonArrivalSpec)t.Arrivals).CallsPerInterval, factor).SelectMany(x => x)]) })],
        Groups = [.. s.Groups.Select(g => g with { Staffing = [.. Enumerable.Repeat(g.Staffing, factor).SelectMany(x => x)] })],
    };

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CrisisSim.sln")))
            {
                return dir.FullName;
            }
        }
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CrisisSim.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("CrisisSim.sln not found: run the benchmarks from the repository.");
    }
}
