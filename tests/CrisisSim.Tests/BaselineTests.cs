using CrisisSim.Reporting;
using CrisisSim.Testing;

namespace CrisisSim.Tests;

/// <summary>Every library scenario, run as its baseline was (same seed and replications), stays within the regression
/// thresholds of its committed baseline (results/baselines).</summary>
public sealed class BaselineTests : IDisposable
{
    /// <summary>The gate a change must pass on every library scenario; the README documents the same list.</summary>
    public static readonly string[] Thresholds =
        ["service_level>-2pp", "abandonment_rate<2pp", "blocking_rate<2pp", "callers_served_share>-2pp", "asa<20%"];

    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-baseline-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Baselines => Path.Combine(Repo.Root, "results", "baselines");

    private static string[] LibraryNames() =>
        [.. Directory.GetFiles(Path.Combine(Repo.Root, "scenarios", "library"), "*.yaml").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> Names() => [.. LibraryNames()];

    [Fact]
    public void Every_library_scenario_has_a_baseline_and_every_baseline_a_scenario()
    {
        var baselines = Directory.GetDirectories(Baselines).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(LibraryNames(), baselines);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task The_library_scenario_holds_the_regression_thresholds_of_its_baseline(string name)
    {
        var baseline = RunSummary.Load(Path.Combine(Baselines, name));
        Assert.NotNull(baseline.ReplicationValues);
        var output = Path.Combine(_dir, name);
        var run = await CliRun.Run("run", Path.Combine(Repo.Root, "scenarios", "library", name + ".yaml"),
            "--seed", baseline.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--replications", baseline.Replications.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--host", "threads", "--format", "summary", "--out", output);
        Assert.True(run.Code == 0, run.Err);
        var compare = await CliRun.Run(["compare", Path.Combine(Baselines, name), output, .. Thresholds.SelectMany(t => new[] { "--threshold", t })]);
        Assert.True(compare.Code == 0, $"{name} moved beyond the regression thresholds of results/baselines/{name} (update them with scripts/update-baselines.sh if the change is meant):\n{compare.Out}{compare.Err}");
        Assert.Contains("paired t-test", compare.Out);
    }
}
