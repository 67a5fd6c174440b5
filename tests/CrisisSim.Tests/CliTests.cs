using CrisisSim.Testing;
using System.Globalization;
using CrisisSim.Cli;

namespace CrisisSim.Tests;

public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => CliRun.Run(args);

    /// <summary>The one result folder of a run: OUT/NAME/seedS-rR-HASH.</summary>
    private static string RunFolder(string output, string scenario, string run) =>
        Assert.Single(Directory.GetDirectories(Path.Combine(output, scenario), run + "-*"));

    private string WriteScenario(string text)
    {
        var path = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    [FactWithFonts]
    public async Task Run_prints_the_kpi_table_and_writes_identical_files_for_the_same_seed()
    {
        var scenario = Repo.Scenario("covid-hotline.yaml");
        var a = await Run("run", scenario, "--seed", "5", "-r", "3", "--out", Path.Combine(_dir, "a"), "--intervals", "--calls");
        var b = await Run("run", scenario, "--seed", "5", "-r", "3", "--out", Path.Combine(_dir, "b"), "--parallelism", "1");
        var c = await Run("run", scenario, "--seed", "6", "-r", "3", "--out", Path.Combine(_dir, "c"));
        Assert.Equal(0, a.Code);
        Assert.Equal(0, b.Code);
        Assert.Contains("service level", a.Out);
        Assert.Contains("09:00-09:30", a.Out);
        // Written to a StringWriter, not a terminal: plain text, no ANSI escape, no box drawing, no progress bar.
        Assert.DoesNotContain('\u001b', a.Out + a.Err);
        Assert.DoesNotContain(a.Out, c => c is >= '\u2500' and <= '\u259f');
        Assert.Equal("", a.Err);
        Assert.Contains("\nPer interval, call type symptoms:\n", a.Out);
        Assert.Contains("\nPer interval, call type info:\n", a.Out);
        Assert.DoesNotContain("Per interval", b.Out);
        var folderA = RunFolder(Path.Combine(_dir, "a"), "covid-hotline", "seed5-r3");
        var folderB = RunFolder(Path.Combine(_dir, "b"), "covid-hotline", "seed5-r3");
        var folderC = RunFolder(Path.Combine(_dir, "c"), "covid-hotline", "seed6-r3");
        Assert.Equal(File.ReadAllBytes(Path.Combine(folderA, "summary.json")), File.ReadAllBytes(Path.Combine(folderB, "summary.json")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(folderA, "intervals.csv")), File.ReadAllBytes(Path.Combine(folderB, "intervals.csv")));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(folderA, "summary.json")), File.ReadAllBytes(Path.Combine(folderC, "summary.json")));
        var calls = File.ReadAllLines(Path.Combine(folderA, "calls.csv"));
        Assert.Equal(CrisisSim.Reporting.CallsCsv.Header, calls[0]);
        var intervals = File.ReadAllLines(Path.Combine(folderA, "intervals.csv"));
        Assert.Equal(20 + 2, intervals.Length); // header, 20 intervals, overall row
        Assert.StartsWith("all,", intervals[^1]);
        Assert.Equal(1 + (20 + 1) * 2, File.ReadAllLines(Path.Combine(folderA, "intervals-by-call-type.csv")).Length); // header, 20 intervals and all, 2 call types
        Assert.Equal(File.ReadAllBytes(Path.Combine(folderA, "intervals-by-call-type.csv")), File.ReadAllBytes(Path.Combine(folderB, "intervals-by-call-type.csv")));
        Assert.False(File.Exists(Path.Combine(folderB, "calls.csv")));
    }

    [FactWithFonts]
    public async Task Planning_commands_print_plain_tables_and_no_progress_when_redirected()
    {
        var scenario = Repo.Scenario("erlang-c-textbook.yaml");
        var sweep = await Run("sweep", scenario, "--set", "groups.agents.staffing=18,20", "-r", "2", "--host", "threads", "--out", Path.Combine(_dir, "sweep"));
        var staff = await Run("staff", scenario, "-r", "2", "--max-iterations", "2", "--host", "threads", "--out", Path.Combine(_dir, "staff"));
        foreach (var (code, output, error) in new[] { sweep, staff })
        {
            Assert.True(code is 0 or 1, error);
            Assert.DoesNotContain('\u001b', output + error);
            Assert.DoesNotContain(output, c => c is >= '\u2500' and <= '\u259f');
            Assert.Equal("", error);
        }
        Assert.Matches(@"\n  point  agents\.staffing  +service level +ASA \(s\) +abandonment +occupancy +agent-h +below\n      0  18  ", sweep.Out);
        Assert.Matches(@"\n   #  clock  agents  Erlang A  offered +service level +abandonment +ASA \(s\)  status\n   0  00:00  ", staff.Out);
    }

    [Fact]
    public async Task Every_host_writes_the_same_summary()
    {
        var scenario = Repo.Scenario("covid-hotline.yaml");
        string[][] hosts = [["--host", "threads"], [], ["--grains", "components"]];
        var summaries = new List<byte[]>();
        foreach (var host in hosts)
        {
            var folder = Path.Combine(_dir, "host" + summaries.Count);
            var (code, _, error) = await Run(["run", scenario, "-r", "3", "--seed", "8", "--out", folder, .. host]);
            Assert.True(code == 0, error);
            summaries.Add(File.ReadAllBytes(Path.Combine(RunFolder(folder, "covid-hotline", "seed8-r3"), "summary.json")));
        }
        Assert.Equal(summaries[0], summaries[1]);
        Assert.Equal(summaries[0], summaries[2]);
    }

    [Fact]
    public async Task The_former_host_spellings_still_work_with_a_note()
    {
        var scenario = Repo.Scenario("erlang-c-textbook.yaml");
        var summaries = new List<byte[]>();
        string[][] spellings = [["--host", "threads"], ["--host", "process"], ["--grains", "replication"], ["--engine", "inline"]];
        var notes = new[] { "", "note: --host process is now spelled --host threads.\n", "", "note: --engine inline is now spelled --grains replication.\n" };
        for (var i = 0; i < spellings.Length; i++)
        {
            var folder = Path.Combine(_dir, "spelling" + i);
            var (code, _, error) = await Run(["run", scenario, "-r", "2", "--seed", "4", "--format", "summary", "--out", folder, .. spellings[i]]);
            Assert.True(code == 0, error);
            Assert.Equal(notes[i], error.Replace("\r\n", "\n", StringComparison.Ordinal));
            summaries.Add(File.ReadAllBytes(Path.Combine(RunFolder(folder, "erlang-c-textbook", "seed4-r2"), "summary.json")));
        }
        Assert.All(summaries, s => Assert.Equal(summaries[0], s));
    }

    [Fact]
    public async Task Output_files_do_not_depend_on_the_culture()
    {
        var scenario = Repo.Scenario("erlang-a-textbook.yaml");
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("fr-FR");
            Assert.Equal(0, (await Run("run", scenario, "-r", "2", "--out", Path.Combine(_dir, "fr"))).Code);
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            Assert.Equal(0, (await Run("run", scenario, "-r", "2", "--out", Path.Combine(_dir, "inv"))).Code);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
        foreach (var file in new[] { "summary.json", "intervals.csv" })
        {
            var fr = File.ReadAllText(Path.Combine(RunFolder(Path.Combine(_dir, "fr"), "erlang-a-textbook", "seed1-r2"), file));
            Assert.Equal(File.ReadAllText(Path.Combine(RunFolder(Path.Combine(_dir, "inv"), "erlang-a-textbook", "seed1-r2"), file)), fr);
        }
    }

    [Fact]
    public async Task A_bad_scenario_is_reported_with_file_line_column_and_key_and_exit_code_2()
    {
        var path = WriteScenario("""
            name: bad
            interval: 30m
            intervals: 2
            serviceLevel: { threshold: 20s }
            callTypes:
              - name: calls
                arrivals: { callsPerInterval: -5 }
                handleTime: { dist: exponential, mean: 3m }
            groups:
              - name: agents
                serves: [calls]
                staffing: 3
            """);
        var (code, output, error) = await Run("run", path);
        Assert.Equal(2, code);
        Assert.Contains($"{path}:7:", error);
        Assert.Contains("callTypes[0].arrivals.callsPerInterval", error);
        Assert.DoesNotContain("   at ", error + output);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("run", "missing.yaml")]
    [InlineData("run", "SCENARIO", "--replications", "0")]
    [InlineData("run", "SCENARIO", "--seed", "abc")]
    [InlineData("run", "SCENARIO", "--no-such-option")]
    [InlineData("run", "SCENARIO", "--parallelism", "-1")]
    [InlineData("run", "SCENARIO", "--engine", "turbo")]
    [InlineData("run", "SCENARIO", "--host", "process", "--engine", "grains")]
    [InlineData("run", "SCENARIO", "--host", "threads", "--grains", "components")]
    [InlineData("run", "SCENARIO", "--grains", "turbo")]
    [InlineData("run", "SCENARIO", "--engine", "inline", "--grains", "components")]
    [InlineData("sweep", "SCENARIO", "--set", "groups.agents.staffing=18", "--parallelism", "-1")]
    [InlineData("run", "SCENARIO", "--format", "summary,pdf")]
    [InlineData("run", "SCENARIO", "--format", "run")]
    [InlineData("frobnicate")]
    [InlineData("validate", "missing.yaml")]
    [InlineData("erlang", "--calls", "-1", "--aht", "180")]
    [InlineData("erlang", "--calls", "100", "--aht", "abc")]
    [InlineData("erlang", "--calls", "100", "--aht", "180", "--target", "1.5")]
    public async Task Bad_command_lines_exit_with_code_2_and_no_stack_trace(params string[] args)
    {
        var resolved = args.Select(a => a == "SCENARIO" ? Repo.Scenario("erlang-c-textbook.yaml") : a == "missing.yaml" ? Path.Combine(_dir, a) : a).ToArray();
        var (code, output, error) = await Run(resolved);
        Assert.Equal(2, code);
        Assert.NotEmpty(error);
        Assert.DoesNotContain("   at ", error + output);
    }

    [FactWithFonts]
    public async Task Format_chooses_the_result_files_and_the_default_adds_charts_and_the_report()
    {
        var scenario = Repo.Scenario("erlang-c-textbook.yaml");
        string Files(string output) =>
            string.Join(' ', Directory.GetFiles(RunFolder(output, "erlang-c-textbook", "seed1-r2"), "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(RunFolder(output, "erlang-c-textbook", "seed1-r2"), f).Replace('\\', '/')).Order(StringComparer.Ordinal));

        var (code, output, error) = await Run("run", scenario, "-r", "2", "--host", "threads", "--out", Path.Combine(_dir, "default"));
        Assert.True(code == 0, error);
        var folder = RunFolder(Path.Combine(_dir, "default"), "erlang-c-textbook", "seed1-r2");
        Assert.Equal("charts/calls.png charts/calls.svg charts/queue.png charts/queue.svg charts/service-level.png charts/service-level.svg charts/staffing.png charts/staffing.svg charts/waits.png charts/waits.svg intervals.csv replications.csv report.html run.json scenario.yaml summary.json",
            Files(Path.Combine(_dir, "default")));
        Assert.Contains("Report: " + Path.Combine(folder, "report.html"), output);

        Assert.Equal(0, (await Run("run", scenario, "-r", "2", "--host", "threads", "--out", Path.Combine(_dir, "summary"), "--format", "summary")).Code);
        Assert.Equal("replications.csv run.json scenario.yaml summary.json", Files(Path.Combine(_dir, "summary")));

        (code, output, _) = await Run("run", scenario, "-r", "2", "--host", "threads", "--out", Path.Combine(_dir, "calls"), "-f", "intervals", "--format", "CALLS", "--calls");
        Assert.Equal(0, code);
        Assert.Equal("calls.csv intervals.csv replications.csv run.json scenario.yaml", Files(Path.Combine(_dir, "calls")));
        Assert.DoesNotContain("Report:", output);

        (code, _, error) = await Run("run", scenario, "--format", "summary,pdf", "--host", "threads", "--out", Path.Combine(_dir, "bad"));
        Assert.Equal(2, code);
        Assert.Equal("error: --format: unknown format 'pdf'; the formats are summary, intervals, calls, charts, report (or all).", error.Trim());
        Assert.False(Directory.Exists(Path.Combine(_dir, "bad")));
    }

    [Fact]
    public async Task Erlang_prints_the_textbook_answer_as_json()
    {
        var (code, output, error) = await Run("erlang", "--calls", "100", "--interval", "1800", "--aht", "180", "--agents", "14", "--threshold", "20", "--json");
        Assert.True(code == 0, error);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        var metrics = json.RootElement.GetProperty("metrics");
        Assert.Equal(0.88835, metrics.GetProperty("serviceLevel").GetDouble(), 5); // Erlang C, 10 Erlangs on 14 agents, 20 s
        Assert.Equal(0.17413, metrics.GetProperty("probabilityOfWait").GetDouble(), 5);
        Assert.Equal(14, json.RootElement.GetProperty("minimumAgents").GetInt32());
    }

    [Fact]
    public async Task Validate_accepts_every_scenario_of_the_library()
    {
        var files = Directory.GetFiles(Path.Combine(Repo.Root, "scenarios"), "*.yaml", SearchOption.AllDirectories);
        var (code, output, error) = await Run(["validate", .. files]);
        Assert.True(code == 0, error);
        Assert.Equal(files.Length, output.Split('\n').Count(l => l.Contains(": ok")));
    }
}
