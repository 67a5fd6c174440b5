using CrisisSim.Cli;
using CrisisSim.Testing;

namespace CrisisSim.Tests;

/// <summary>A run's result folder always holds the files of exactly one run, whatever ran before or beside it.</summary>
public sealed class ResultFolderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-results-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => CliRun.Run(args);

    private string Scenario(string file, string? edit = null)
    {
        var text = File.ReadAllText(Repo.Scenario("erlang-c-textbook.yaml"));
        var path = Path.Combine(_dir, file);
        File.WriteAllText(path, edit is null ? text : text.Replace("intervals: 48", edit, StringComparison.Ordinal));
        return path;
    }

    private string[] RunFolders(string output) => Directory.GetDirectories(Path.Combine(output, "erlang-c-textbook"));

    [Fact]
    public async Task A_run_without_the_call_log_leaves_no_stale_call_log_behind()
    {
        var scenario = Scenario("a.yaml");
        var output = Path.Combine(_dir, "out");
        Assert.Equal(0, (await Run("run", scenario, "-r", "2", "--out", output, "--calls", "--host", "threads")).Code);
        var folder = Assert.Single(RunFolders(output));
        Assert.True(File.Exists(Path.Combine(folder, "calls.csv")));
        Assert.Equal(0, (await Run("run", scenario, "-r", "2", "--out", output, "--host", "threads")).Code);
        Assert.Equal(folder, Assert.Single(RunFolders(output)));
        Assert.Equal(["intervals.csv", "replications.csv", "report.html", "run.json", "scenario.yaml", "summary.json"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Two_scenarios_with_the_same_name_never_share_a_folder()
    {
        var output = Path.Combine(_dir, "out");
        Assert.Equal(0, (await Run("run", Scenario("a.yaml"), "-r", "2", "--out", output, "--host", "threads")).Code);
        Assert.Equal(0, (await Run("run", Scenario("b.yaml", "intervals: 24"), "-r", "2", "--out", output, "--host", "threads")).Code);
        var folders = RunFolders(output);
        Assert.Equal(2, folders.Length);
        foreach (var folder in folders)
        {
            // Each folder holds its own scenario beside its own results.
            var intervals = File.ReadAllText(Path.Combine(folder, "scenario.yaml")).Contains("intervals: 24", StringComparison.Ordinal) ? 24 : 48;
            Assert.Equal(intervals + 2, File.ReadAllLines(Path.Combine(folder, "intervals.csv")).Length);
        }
    }

    [FactWithFonts]
    public async Task Concurrent_runs_to_the_same_folder_all_succeed_and_leave_one_whole_run()
    {
        var scenario = Scenario("a.yaml");
        var output = Path.Combine(_dir, "out");
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => Run("run", scenario, "-r", "3", "--out", output, "--host", "threads", i % 2 == 0 ? "--calls" : "--intervals"))));
        Assert.All(runs, r => Assert.True(r.Code == 0, r.Err));
        var folder = Assert.Single(RunFolders(output));
        var files = Directory.GetFiles(folder).Select(Path.GetFileName).Order().ToArray();
        // One run's files: with or without its call log, never a mix of two runs nor a temporary folder left.
        Assert.True(files.SequenceEqual(["intervals.csv", "replications.csv", "report.html", "run.json", "scenario.yaml", "summary.json"])
            || files.SequenceEqual(["calls.csv", "intervals.csv", "replications.csv", "report.html", "run.json", "scenario.yaml", "summary.json"]), string.Join(", ", files));
        Assert.Equal(10, Directory.GetFiles(Path.Combine(folder, "charts")).Length);
        Assert.Empty(Directory.GetDirectories(Path.Combine(output, "erlang-c-textbook"), ".*"));
    }

    [Fact]
    public void A_staging_folder_whose_run_is_dead_is_removed_by_the_next_run_and_a_live_one_never()
    {
        var output = Path.Combine(_dir, "out");
        var parent = Path.Combine(output, "s");
        // Left by runs killed outright: a staging folder whose lock file nobody holds, one without its lock file, a lock
        // file without its folder, and the old folder of an interrupted commit.
        Directory.CreateDirectory(Path.Combine(parent, ".staging-seed1-r2-0000-1-1"));
        File.WriteAllText(Path.Combine(parent, ".staging-seed1-r2-0000-1-1.alive"), "");
        Directory.CreateDirectory(Path.Combine(parent, ".staging-seed1-r2-0000-2-1"));
        File.WriteAllText(Path.Combine(parent, ".staging-seed1-r2-0000-3-1.alive"), "");
        Directory.CreateDirectory(Path.Combine(parent, ".old-seed1-r2-0000-4-1"));
        Directory.CreateDirectory(Path.Combine(parent, "seed1-r2-kept"));

        using var live = ResultFolder.Create(output, "s", "seed1-r2-a");
        Assert.Equal([Path.GetFileName(live.StagingPath), "seed1-r2-kept"], Directory.GetDirectories(parent).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal([".lock", Path.GetFileName(live.StagingPath) + ".alive"], Directory.GetFiles(parent).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        // A second run beside the first never takes the live one's folder for a stale one.
        using (var second = ResultFolder.Create(output, "s", "seed1-r2-b"))
        {
            Assert.True(Directory.Exists(live.StagingPath));
            File.WriteAllText(second.File("x.csv"), "x");
            second.Commit();
        }
        Assert.True(Directory.Exists(live.StagingPath));
        File.WriteAllText(live.File("y.csv"), "y");
        live.Commit();
        Assert.Equal(["seed1-r2-a", "seed1-r2-b", "seed1-r2-kept"], Directory.GetDirectories(parent).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal([".lock"], Directory.GetFiles(parent).Select(Path.GetFileName));
    }

    [Fact]
    public void A_run_that_does_not_commit_leaves_neither_its_staging_folder_nor_an_empty_scenario_folder()
    {
        var output = Path.Combine(_dir, "out");
        using (var folder = ResultFolder.Create(output, "s", "seed1-r2-a"))
        {
            File.WriteAllText(folder.File("x.csv"), "x");
        }
        Assert.False(Directory.Exists(Path.Combine(output, "s")));

        // A scenario folder holding other results stays, without the failed run's staging folder.
        using (var kept = ResultFolder.Create(output, "s", "seed1-r2-a"))
        {
            kept.Commit();
        }
        using (ResultFolder.Create(output, "s", "seed1-r2-b"))
        {
        }
        Assert.Equal(["seed1-r2-a"], Directory.GetDirectories(Path.Combine(output, "s")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_run_without_the_chart_fonts_writes_everything_but_the_charts_and_says_why()
    {
        var output = Path.Combine(_dir, "out");
        var noFonts = Directory.CreateDirectory(Path.Combine(_dir, "no-fonts")).FullName;
        using var process = Cli.Start(["run", Scenario("a.yaml"), "-r", "2", "--out", output, "--host", "threads"],
            new Dictionary<string, string> { ["CRISISSIM_FONTS"] = noFonts, ["CRISISSIM_FONTS_ONLY"] = "1" });
        var error = await process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(120)), "the run did not end");
        Assert.True(process.ExitCode == 0, error);
        Assert.StartsWith("warning: charts need the font DejaVu Sans", error);
        Assert.DoesNotContain("   at ", error);
        var folder = Assert.Single(RunFolders(output));
        Assert.Equal(["intervals.csv", "replications.csv", "report.html", "run.json", "scenario.yaml", "summary.json"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        Assert.False(Directory.Exists(Path.Combine(folder, "charts")));
        var report = File.ReadAllText(Path.Combine(folder, "report.html"));
        Assert.Contains("<p id=\"charts-missing\" class=\"note\">The charts are missing from this report: charts need the font DejaVu Sans", report);
        Assert.DoesNotContain("<img", report);
    }

    /// <summary>The planning commands without the chart fonts: their tables are the result, written with a warning; the
    /// staffing plan's report says why its charts are missing.</summary>
    [Theory]
    [InlineData("sweep", "warning: no charts written: charts need the font")]
    [InlineData("staff", "warning: no plan charts written: charts need the font")]
    public async Task A_planning_command_without_the_chart_fonts_writes_its_tables_and_warns(string command, string warning)
    {
        var output = Path.Combine(_dir, "out");
        var noFonts = Directory.CreateDirectory(Path.Combine(_dir, "no-fonts")).FullName;
        string[] args = command == "sweep"
            ? ["sweep", Scenario("a.yaml", "intervals: 4"), "--set", "groups.agents.staffing=5..7", "-r", "2", "--out", output, "--host", "threads"]
            : ["staff", Scenario("a.yaml", "intervals: 4"), "-r", "2", "--out", output, "--host", "threads"];
        using var process = Cli.Start(args, new Dictionary<string, string> { ["CRISISSIM_FONTS"] = noFonts, ["CRISISSIM_FONTS_ONLY"] = "1" });
        var error = await process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(120)), "the command did not end");
        Assert.True(process.ExitCode == 0, error);
        Assert.StartsWith(warning, error);
        Assert.DoesNotContain("   at ", error);
        var folder = Assert.Single(RunFolders(output));
        Assert.NotEmpty(Directory.GetFiles(folder, "*.csv"));
        if (command == "staff")
        {
            Assert.Contains("id=\"charts-missing\"", File.ReadAllText(Assert.Single(Directory.GetFiles(folder, "report.html", SearchOption.AllDirectories))));
        }
    }

    [Fact]
    public async Task An_unwritable_output_is_refused_before_the_run_starts()
    {
        var file = Path.Combine(_dir, "not-a-folder");
        File.WriteAllText(file, "");
        var (code, output, error) = await Run("run", Scenario("a.yaml"), "-r", "100000", "--out", Path.Combine(file, "sub"), "--host", "threads");
        Assert.Equal(1, code); // README: 1 when the results cannot be written
        Assert.Contains("cannot write results", error);
        Assert.Contains($"'{file}' is a file, not a folder", error);
        Assert.DoesNotContain("service level", output); // nothing was simulated
        Assert.DoesNotContain("   at ", error);
    }

    [Theory]
    [InlineData("--out", "")]
    [InlineData("--out", " ")]
    [InlineData("-r", "2147483647")]
    [InlineData("-r", "100001")]
    [InlineData("--parallelism", "100000")]
    public async Task Numbers_and_names_out_of_bounds_exit_2_before_anything_runs(string option, string value)
    {
        string[] args = option == "--out" ? ["run", Scenario("a.yaml"), option, value] : ["run", Scenario("a.yaml"), option, value, "--out", Path.Combine(_dir, "out")];
        var (code, output, error) = await Run(args);
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", error);
        Assert.DoesNotContain("   at ", error + output);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    [Fact]
    public async Task The_call_log_is_refused_for_a_scenario_too_large_to_log()
    {
        var big = Path.Combine(_dir, "big.yaml");
        File.WriteAllText(big, File.ReadAllText(Repo.Scenario("bench/w.yaml")).Replace("intervals: 8", "intervals: 120", StringComparison.Ordinal));
        var (code, _, error) = await Run("run", big, "--calls", "--out", Path.Combine(_dir, "out2"));
        Assert.Equal(2, code);
        Assert.Contains("--calls writes a row of calls.csv per call, redial and transfer leg: this scenario may write up to 5,400,000 rows per replication", error);
    }

    [Theory]
    [InlineData("help")]
    [InlineData("help", "run")]
    [InlineData("--help")]
    public async Task Help_is_a_command(params string[] args)
    {
        var (code, output, _) = await Run(args);
        Assert.Equal(0, code);
        Assert.Contains("Usage:", output);
    }

    [Fact]
    public async Task Help_on_an_unknown_command_exits_2()
    {
        var (code, _, error) = await Run("help", "frobnicate");
        Assert.Equal(2, code);
        Assert.Contains("no command 'frobnicate'", error);
    }
}
