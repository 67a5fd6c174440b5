using System.Text.RegularExpressions;
using CrisisSim.Cli.Commands;
using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;
using CrisisSim.Testing;

namespace CrisisSim.Tests;

/// <summary>The crisis library: one documented scenario per crisis, each running with every call accounted for, and the
/// <c>list</c> command that shows it.</summary>
public sealed partial class LibraryTests : IDisposable
{
    /// <summary>Expected calls per replication at most once shortened: the first intervals of each scenario.</summary>
    private const double CallBudget = 3000;

    private static readonly string[] DataFiles =
    [
        "anonymous-bank/january-1999.txt",
        "crisis-surges/press-figures.csv",
        "nagano-covid-hotline/daily-consultations.csv",
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-list-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Files() => [.. ScenarioLibrary.Files()];

    [Fact]
    public void The_library_holds_one_scenario_per_crisis()
    {
        var crises = ScenarioLibrary.Files().ToDictionary(f => f, f => ListCommand.Crisis(Path.Combine(ScenarioLibrary.Folder, f)));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["bad-buzz.yaml"] = "Bad buzz",
                ["cyber-outage.yaml"] = "Cyber outage",
                ["fire.yaml"] = "Fire",
                ["flood.yaml"] = "Flood",
                ["health-crisis.yaml"] = "Health crisis",
                ["product-recall.yaml"] = "Product recall",
                ["receivership.yaml"] = "Receivership",
                ["storm.yaml"] = "Storm",
                ["strike.yaml"] = "Strike",
                ["terror-attack.yaml"] = "Terror attack",
            },
            crises);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Each_scenario_says_its_situation_calibration_and_assumptions(string file)
    {
        var text = File.ReadAllText(Path.Combine(ScenarioLibrary.Folder, file));
        var header = string.Join('\n', text.Split('\n').TakeWhile(l => l.StartsWith('#')));
        var s = ScenarioLibrary.Load(file);

        Assert.Equal(Path.GetFileNameWithoutExtension(file), s.Name);
        Assert.NotEmpty(s.Description);
        Assert.Contains("Calibration", header, StringComparison.Ordinal);
        Assert.Contains("Assumptions", header, StringComparison.Ordinal);
        Assert.Contains(DataFiles, d => header.Contains(d, StringComparison.Ordinal));
        // Every figure said to come from the data is next to the file it comes from; a cited file exists.
        foreach (Match m in DataFileName().Matches(header))
        {
            Assert.Contains(m.Value, DataFiles);
        }
        var provider = Assert.Single(s.Groups, g => g.Name == "provider");
        Assert.NotNull(provider.Activation);
        Assert.NotNull(provider.Learning);
        Assert.True(s.OnsetSeconds > 0, "the crisis onset is set");
        Assert.All(s.Groups, g => Assert.True(g.CostPerHour > 0, $"{g.Name} has a cost per hour"));
    }

    [Fact]
    public void The_library_uses_the_routing_policies_where_they_fit()
    {
        var policies = ScenarioLibrary.Files().ToDictionary(f => f, f => ScenarioLibrary.Load(f).Routing.Name);
        Assert.Equal(["overflow", "priority", "reserve", "skills", "weighted"], policies.Values.Distinct().Order(StringComparer.Ordinal));
        Assert.Equal("reserve", policies["terror-attack.yaml"]);
        Assert.Equal("weighted", policies["cyber-outage.yaml"]);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Each_scenario_accounts_for_every_call_on_its_first_intervals(string file)
    {
        var s = TestScenarios.Shorten(ScenarioLibrary.Load(file), CallBudget);
        var run = SimulationRunner.RunInline(s, 17, 2, keepCallLog: true);

        Assert.Equal(2, run.Replications.Count);
        foreach (var r in run.Replications)
        {
            ScenarioLibrary.AssertConservation(s, r.Records);
        }
        ScenarioLibrary.AssertSaneKpis(s, run);
        // First attempts follow the arrival processes: within 50 % of the expected calls (waves and busyness vary more
        // than Poisson, and the long-run rate of waves overstates the first hours).
        var expected = s.CallTypes.Where(t => t.Outbound is null).Sum(t => t.Arrivals.ExpectedCalls(ArrivalGrid.Of(s)));
        Assert.InRange(run.Overall["unique_callers"].Mean, 0.5 * expected, 1.5 * expected);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Each_scenario_accounts_for_every_call_over_its_whole_horizon(string file)
    {
        var s = ScenarioLibrary.Load(file);
        var r = InlineEngine.RunReplication(s, 3, 0, keepCallLog: true);

        var offered = ScenarioLibrary.AssertConservation(s, r.Records);
        var expected = s.CallTypes.Where(t => t.Outbound is null).Sum(t => t.Arrivals.ExpectedCalls(ArrivalGrid.Of(s)));
        Assert.True(offered >= 0.8 * expected, $"{s.Name}: {offered} calls offered, {expected:F0} expected");
        // The provider answers its first call once activated, not before: onset + delay.
        var provider = s.Groups.Select((g, i) => (g, i)).Single(x => x.g.Name == "provider");
        var first = r.Records.CallLog!.Where(c => c.Outcome == CallOutcome.Answered && c.Group == provider.i).Min(c => c.WaitEnd);
        Assert.InRange(first, s.OnsetSeconds + provider.g.Activation!.DelaySeconds, s.HorizonSeconds);
    }

    [Fact]
    public void The_health_crisis_makes_its_follow_up_calls_between_callers()
    {
        var run = SimulationRunner.RunInline(ScenarioLibrary.Load("health-crisis.yaml"), 1, 2);

        // 200 people a day to call, 80 % of them reached: most calls are made in time even on the surge day.
        Assert.InRange(run.Overall["outbound_created"].Mean, 340, 460);
        Assert.True(run.Overall["outbound_in_time"].Mean > 0.6 * run.Overall["outbound_created"].Mean);
        Assert.True(run.Overall["outbound_unreached"].Mean > 0);
        Assert.True(run.Overall["transfers_in"].Mean > 0 && run.Overall["deflected"].Mean > 0);
    }

    [Fact]
    public async Task List_shows_every_scenario_of_the_library_with_its_crisis_and_horizon()
    {
        var (code, output, error) = await CliRun.Run("list", ScenarioLibrary.Folder);

        Assert.True(code == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("10 scenario(s) in ", lines[0]);
        Assert.Matches(@"^file +name +crisis +horizon +call types +groups +description$", lines[1]);
        Assert.Equal(12, lines.Length);
        Assert.Matches(@"^cyber-outage\.yaml +cyber-outage +Cyber outage +17 h \(68 x 15 min\) +4 +2 +A bank's online banking", lines.Single(l => l.StartsWith("cyber-outage", StringComparison.Ordinal)));
        Assert.Matches(@"^flood\.yaml +flood +Flood +10 d \(120 x 2 h\) +3 +3 +A river flood", lines.Single(l => l.StartsWith("flood", StringComparison.Ordinal)));
        Assert.Matches(@"^terror-attack\.yaml +terror-attack +Terror attack +36 h \(72 x 30 min\) ", lines.Single(l => l.StartsWith("terror", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task List_of_a_folder_that_does_not_exist_is_bad_input()
    {
        var missing = Path.Combine(_dir, "nowhere");
        var (code, output, error) = await CliRun.Run("list", missing);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains($"no scenario folder '{missing}'", error);
    }

    [Fact]
    public async Task List_shows_the_good_files_and_names_the_bad_one()
    {
        File.Copy(Path.Combine(ScenarioLibrary.Folder, "storm.yaml"), Path.Combine(_dir, "storm.yaml"));
        File.WriteAllText(Path.Combine(_dir, "broken.yaml"), "name: broken\ninterval: 30m\nintervals: four\n");
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "not a scenario");

        var (code, output, error) = await CliRun.Run("list", _dir);

        Assert.Equal(2, code);
        Assert.Contains("broken.yaml:3:12: intervals:", error);
        Assert.StartsWith("1 scenario(s) in ", output);
        Assert.Contains("storm.yaml", output);
        Assert.DoesNotContain("notes.txt", output);
    }

    [Fact]
    public async Task List_of_an_empty_folder_says_so()
    {
        var (code, output, _) = await CliRun.Run("list", _dir);

        Assert.Equal(0, code);
        Assert.Equal($"0 scenario(s) in {_dir}; run one with: crisissim run {Path.Combine(_dir, "FILE")}\n", output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void The_default_folder_is_found_from_the_working_directory_up_then_beside_the_executable()
    {
        var checkout = Directory.CreateDirectory(Path.Combine(_dir, "checkout", ListCommand.LibraryFolder)).FullName;
        var deep = Directory.CreateDirectory(Path.Combine(_dir, "checkout", "src", "deep")).FullName;
        var tool = Directory.CreateDirectory(Path.Combine(_dir, "tool", ListCommand.LibraryFolder)).FullName;
        var elsewhere = Directory.CreateDirectory(Path.Combine(_dir, "elsewhere")).FullName;

        Assert.Equal(checkout, ListCommand.DefaultFolder(Path.Combine(_dir, "checkout"), Path.Combine(_dir, "tool")));
        Assert.Equal(checkout, ListCommand.DefaultFolder(deep, Path.Combine(_dir, "tool")));
        Assert.Equal(tool, ListCommand.DefaultFolder(elsewhere, Path.Combine(_dir, "tool")));
        Assert.Null(ListCommand.DefaultFolder(elsewhere, elsewhere));
    }

    [Fact]
    public void The_build_puts_the_library_beside_the_executable()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, ListCommand.LibraryFolder);
        Assert.Equal(ScenarioLibrary.Files(), Directory.EnumerateFiles(beside, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_library_readme_has_a_row_per_scenario_and_the_main_readme_links_to_it()
    {
        var readme = File.ReadAllText(Path.Combine(ScenarioLibrary.Folder, "README.md"));
        foreach (var file in ScenarioLibrary.Files())
        {
            Assert.Contains($"[`{file}`]({file})", readme);
        }
        Assert.Contains("(scenarios/library/README.md)", File.ReadAllText(Path.Combine(Repo.Root, "README.md")));
    }

    [GeneratedRegex(@"[a-z-]+/[a-z0-9-]+\.(?:txt|csv)")]
    private static partial Regex DataFileName();
}
