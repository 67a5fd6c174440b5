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

    [Fact]
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
        Assert.Contains("--calls keeps every call", error);
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
