using System.Diagnostics;
using System.Text.Json;
using CrisisSim.Scenarios;
using CrisisSim.Testing;

namespace CrisisSim.Tests.Planning;

/// <summary>The staff, sweep and size commands and run --check through the whole command line, on the default host
/// (the embedded silo) unless a test says otherwise.</summary>
public sealed class PlanningCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-planning-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string Folder(string output, string scenario, string prefix) =>
        Assert.Single(Directory.GetDirectories(Path.Combine(output, scenario), prefix + "-*"));

    [FactWithFonts]
    public async Task Staff_on_the_default_host_writes_a_staffing_table_and_a_scenario_that_runs_as_found()
    {
        var scenario = Write("sine.yaml", PlanningScenarios.Yaml("sine", PlanningScenarios.Sine(6), staffing: 5));
        var output = Path.Combine(_dir, "out");
        var (code, stdout, stderr) = await CliRun.Run("staff", scenario, "-r", "6", "--max-replications", "24", "--out", output, "--max-abandon", "0.05");
        Assert.True(code == 0, stderr);
        Assert.Equal("", stderr); // no progress when standard error is not a terminal
        Assert.Contains("Every interval meets the targets.", stdout);
        Assert.Contains("agents: ", stdout);

        var folder = Folder(output, "sine", "staff-seed1-r6");
        var csv = File.ReadAllLines(Path.Combine(folder, "staffing.csv"));
        Assert.Equal("interval,clock,start_s,end_s,staffing_agents,staffing_total,erlang_a,offered_mean,service_level_mean,service_level_ci95,abandonment_rate_mean,abandonment_rate_ci95,asa_mean,asa_ci95,meets,missed,reason", csv[0]);
        Assert.Equal(7, csv.Length);
        var staffing = csv.Skip(1).Select(l => int.Parse(l.Split(',')[4], System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        // The scenario written holds that staffing, keeps the comment, and a run of it with the verification's seed and
        // replications meets the targets.
        var staffed = Path.Combine(folder, "scenario.yaml");
        Assert.Contains("# operators on duty", File.ReadAllText(staffed));
        Assert.Equal(staffing, ScenarioLoader.LoadFile(staffed).Groups[0].Staffing);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "staffing.json")));
        var (seed, replications) = Verified(json);
        var run = await CliRun.Run("run", staffed, "-r", replications, "--seed", seed, "--out", Path.Combine(_dir, "run"), "--check", "--max-abandon", "0.05", "--host", "threads");
        Assert.True(run.Code == 0, run.Err);

        Assert.True(json.RootElement.GetProperty("converged").GetBoolean());
        Assert.Equal(staffing.Sum() * 0.5, json.RootElement.GetProperty("agentHours").GetProperty("agents").GetDouble());
        Assert.True(File.Exists(Path.Combine(folder, "summary.json")));
        Assert.True(File.Exists(Path.Combine(folder, "intervals.csv")));

        // The same on the process host, to the byte.
        var again = await CliRun.Run("staff", scenario, "-r", "6", "--max-replications", "24", "--out", Path.Combine(_dir, "again"), "--max-abandon", "0.05", "--host", "threads");
        Assert.Equal(0, again.Code);
        var other = Folder(Path.Combine(_dir, "again"), "sine", "staff-seed1-r6");
        Assert.Equal(File.ReadAllBytes(Path.Combine(folder, "staffing.json")), File.ReadAllBytes(Path.Combine(other, "staffing.json")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(folder, "scenario.yaml")), File.ReadAllBytes(Path.Combine(other, "scenario.yaml")));
    }

    /// <summary>The seed and replications of a staffing's last verification round, as command-line values.</summary>
    private static (string Seed, string Replications) Verified(JsonDocument staffing)
    {
        var verification = staffing.RootElement.GetProperty("verification");
        var last = verification.GetProperty("rounds").EnumerateArray().Last();
        return (verification.GetProperty("seed").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            last.GetProperty("replications").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Staff_and_run_exit_with_1_on_a_missed_target_only_when_asked()
    {
        var scenario = Repo.Scenario("covid-hotline.yaml");
        var missed = await CliRun.Run("run", scenario, "-r", "2", "--out", _dir, "--check", "--host", "threads");
        Assert.Equal(1, missed.Code);
        Assert.Contains("check failed:", missed.Err);
        Assert.Contains("1 (09:30): ", missed.Err);
        Assert.Contains("info: service level", missed.Err); // judged per call type
        Assert.Equal(0, (await CliRun.Run("run", scenario, "-r", "2", "--out", _dir, "--host", "threads")).Code);

        // One iteration cannot reach an abandonment of 0 (every caller answered before any patience runs out).
        string[] args = ["staff", scenario, "--group", "backup", "-r", "2", "--max-iterations", "1", "--max-abandon", "0", "--out", _dir, "--host", "threads"];
        var staff = await CliRun.Run(args);
        Assert.Equal(0, staff.Code);
        Assert.Contains("cannot meet the targets", staff.Out);
        Assert.Contains("not met when the iterations ran out", staff.Out);
        var gated = await CliRun.Run([.. args, "--fail-on-miss"]);
        Assert.Equal(1, gated.Code);
        Assert.Equal(1, (await CliRun.Run([.. args, "--check"])).Code);
    }

    [Fact]
    public async Task Staff_that_runs_out_of_iterations_says_so_in_its_verdict_and_fails_when_asked()
    {
        // Calls held for 30 days: the first estimate is far above what answers every call, so the first iterations meet
        // every target without being the least staffing.
        var scenario = Write("long-calls.yaml", """
            name: long-calls
            interval: 30m
            intervals: 3
            drain: 1h
            serviceLevel: { threshold: 20s, target: 0.8 }
            callTypes:
              - name: calls
                arrivals:
                  callsPerInterval: [1000, 1000, 1000]
                patience: { dist: exponential, mean: 5m }
                handleTime: { dist: exponential, mean: 720h }
            groups:
              - name: agents
                serves: [calls]
                staffing: 1
            """);
        string[] args = ["staff", scenario, "-r", "2", "--max-iterations", "2", "--verify-rounds", "0", "--out", _dir, "--host", "threads"];
        var staff = await CliRun.Run(args);
        Assert.True(staff.Code == 0, staff.Err);
        Assert.Contains("not converged", staff.Out);
        Assert.DoesNotContain("Every interval meets the targets", staff.Out);
        Assert.Contains("Not converged: the iterations ran out after 2", staff.Out);
        Assert.Equal(1, (await CliRun.Run([.. args, "--fail-on-miss"])).Code);
    }

    [Fact]
    public async Task Staff_respects_the_operator_rules_a_provider_activated_late_and_shifts_replaced_by_a_staffing_list()
    {
        var scenario = Repo.Scenario("covid-hotline-provider.yaml");
        string[] provider = ["staff", scenario, "--group", "provider", "-r", "4", "--max-replications", "16", "--out", Path.Combine(_dir, "provider"), "--host", "threads"];
        var (code, stdout, stderr) = await CliRun.Run(provider);
        Assert.True(code == 0, stderr);
        // The provider's first operator comes at 11:00 (onset 09:00 + 2 h): the morning cannot meet the target.
        Assert.Contains("cannot meet the targets", stdout);
        Assert.Contains("0 (09:00): ", stdout);
        Assert.Contains("provider is not on duty before 11:00 (activation)", stdout);
        Assert.Contains("provider has at most 10 operators on duty by the end of the interval (activation from 11:00, 20 more per hour, at most 40)", stdout);
        Assert.Contains("cost ", stdout);
        Assert.Equal(1, (await CliRun.Run([.. provider, "--fail-on-miss"])).Code);
        var folder = Folder(Path.Combine(_dir, "provider"), "covid-hotline-provider", "staff-seed1-r4");
        var staffed = ScenarioLoader.LoadFile(Path.Combine(folder, "scenario.yaml"));
        Assert.Equal([0, 0, 0, 0], staffed.Groups[1].Staffing.Take(4));
        // The fixed group as it was.
        Assert.Equal(ScenarioLoader.LoadFile(scenario).Groups[0].Shifts!.Select(x => (x.StartSeconds, x.EndSeconds, x.Operators)),
            staffed.Groups[0].Shifts!.Select(x => (x.StartSeconds, x.EndSeconds, x.Operators)));

        var tele = await CliRun.Run("staff", scenario, "--group", "teleadvisors", "-r", "4", "--max-replications", "16", "--out", Path.Combine(_dir, "tele"), "--host", "threads");
        Assert.True(tele.Code == 0, tele.Err);
        Assert.Contains("Targets judged on each of the call types symptoms, info; fixed: provider.", tele.Out);
        var teleFolder = Folder(Path.Combine(_dir, "tele"), "covid-hotline-provider", "staff-seed1-r4");
        var text = File.ReadAllText(Path.Combine(teleFolder, "scenario.yaml"));
        var s = ScenarioLoader.Parse(text, "staffed.yaml");
        Assert.Null(s.Groups[0].Shifts);
        Assert.Contains("shrinkage: 0.1", text);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(teleFolder, "staffing.json")));
        var interval = json.RootElement.GetProperty("intervals")[10];
        Assert.Equal(s.Groups[0].Staffing[10], interval.GetProperty("staffing").GetProperty("teleadvisors").GetInt32());
        Assert.True(interval.GetProperty("callTypes").GetProperty("symptoms").GetProperty("serviceLevel").GetProperty("mean").GetDouble() >= 0.8);
        Assert.True(json.RootElement.GetProperty("agentHours").GetProperty("teleadvisors").GetDouble() < json.RootElement.GetProperty("scheduledHours").GetProperty("teleadvisors").GetDouble());
        // Run as written, with the verification's seed and replications, every call type meets the target in every interval.
        var (seed, replications) = Verified(json);
        var check = await CliRun.Run("run", Path.Combine(teleFolder, "scenario.yaml"), "-r", replications, "--seed", seed, "--check", "--out", Path.Combine(_dir, "check"), "--host", "threads");
        Assert.True(check.Code == 0, check.Err);
    }

    [Theory]
    [InlineData("staff", "{scenario}", "--group", "nobody")]
    [InlineData("staff", "{scenario}")]
    [InlineData("staff", "{scenario}", "--group", "backup", "--target-sl", "0")]
    [InlineData("staff", "{scenario}", "--group", "backup", "--max-asa", "soon")]
    [InlineData("staff", "{scenario}", "--group", "backup", "-r", "1")]
    [InlineData("staff", "{scenario}", "--group", "backup", "--max-iterations", "1000")]
    [InlineData("staff", "{scenario}", "--group", "backup", "--confidence", "1")]
    [InlineData("staff", "{scenario}", "--group", "backup", "--verify-rounds", "11")]
    [InlineData("staff", "{scenario}", "--group", "backup", "--max-replications", "2000000")]
    [InlineData("sweep", "{scenario}", "--set", "groups.backup.staffingg=3")]
    [InlineData("sweep", "{scenario}", "--set", "groups.backup.staffing=1..20000")]
    [InlineData("sweep", "{scenario}", "--set", "groups.backup.staffing=1..100", "--set", "drain=1m..101m:1m")]
    [InlineData("sweep", "{scenario}", "--set", "groups.backup.staffing=1..1000", "-r", "2000")]
    [InlineData("sweep", "{scenario}")]
    [InlineData("size", "{scenario}", "--seats", "groups.backup.staffing=1.5")]
    [InlineData("size", "{scenario}", "--seats", "drain=1..3")]
    [InlineData("size", "{scenario}", "--seats", "groups.backup.staffing=1..3", "--risk", "2")]
    [InlineData("size", "{scenario}", "--seats", "groups.backup.staffing=1..3", "--committed-cost", "-1")]
    [InlineData("size", "{scenario}", "--seats", "groups.backup.staffing=1..3", "--contract", "{contract}")]
    [InlineData("size", "{missing}", "--seats", "groups.backup.staffing=1..3")]
    public async Task Bad_input_exits_with_2_before_anything_runs(params string[] template)
    {
        var contract = Write("contract.yaml", "committed: { costPerHour: 30 }\npenalty: { perHour: 5 }\n");
        var args = template.Select(a => a.Replace("{scenario}", Repo.Scenario("covid-hotline.yaml")).Replace("{contract}", contract)
            .Replace("{missing}", Path.Combine(_dir, "missing.yaml"))).Append("--out").Append(Path.Combine(_dir, "out")).ToArray();
        var clock = Stopwatch.StartNew();
        var (code, stdout, stderr) = await CliRun.Run(args);
        Assert.True(code == 2, $"exit {code}: {stdout}{stderr}");
        Assert.StartsWith(template[0] == "sweep" && template.Length == 2 ? "crisissim:" : "error:", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out", "covid-hotline")) && Directory.EnumerateFileSystemEntries(Path.Combine(_dir, "out", "covid-hotline")).Any());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "bad input must be refused before any simulation");
    }

    [Fact]
    public async Task Bad_input_messages_name_the_problem()
    {
        var scenario = Repo.Scenario("covid-hotline.yaml");
        var contract = Write("contract.yaml", "committed: { costPerHour: 30 }\npenalty: { perHour: 5 }\n");
        var unknown = await CliRun.Run("sweep", scenario, "--set", "groups.backup.staffingg=3", "--out", _dir);
        Assert.Contains("covid-hotline.yaml:50:5: groups[1].staffingg: unknown key", unknown.Err);
        Assert.Contains("the limit is 10,000", (await CliRun.Run("sweep", scenario, "--set", "groups.backup.staffing=1..100", "--set", "drain=1m..101m:1m", "--out", _dir)).Err);
        Assert.Contains("name the groups to staff with --group", (await CliRun.Run("staff", scenario, "--out", _dir)).Err);
        Assert.Contains("contract.yaml:2:12: penalty.perHour: unknown key", (await CliRun.Run("size", scenario, "--seats", "groups.backup.staffing=1", "--contract", contract, "--out", _dir)).Err);
    }

    [FactWithFonts]
    public async Task Result_files_do_not_depend_on_the_culture()
    {
        var scenario = Write("day.yaml", PlanningScenarios.Yaml("day", [150.5, 210.25], staffing: 20));
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        var folders = new List<string>();
        try
        {
            foreach (var culture in new[] { "fr-FR", "" })
            {
                System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo(culture);
                var output = Path.Combine(_dir, "culture" + folders.Count);
                Assert.Equal(0, (await CliRun.Run("staff", scenario, "-r", "3", "--max-asa", "20s", "--out", output, "--host", "threads")).Code);
                Assert.Equal(0, (await CliRun.Run("sweep", scenario, "--set", "groups.agents.staffing=18,20", "--set", "serviceLevel.target=0.75", "-r", "3", "--out", output, "--host", "threads")).Code);
                Assert.Equal(0, (await CliRun.Run("size", scenario, "--seats", "groups.agents.staffing=18,20", "--committed-cost", "12.5", "-r", "3", "--out", output, "--host", "threads")).Code);
                folders.Add(output);
            }
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
        var files = Directory.GetFiles(folders[0], "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folders[0], f)).Order().ToList();
        Assert.Equal(files, Directory.GetFiles(folders[1], "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folders[1], f)).Order());
        Assert.Contains(files, f => f.EndsWith("staffing.csv", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("sweep.json", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("size.md", StringComparison.Ordinal));
        // report.html states the run's facts (its duration, when it ran); every other file depends only on the inputs.
        foreach (var f in files.Where(f => !f.EndsWith("report.html", StringComparison.Ordinal)))
        {
            Assert.Equal(File.ReadAllText(Path.Combine(folders[1], f)), File.ReadAllText(Path.Combine(folders[0], f)));
        }
        Assert.Contains("12.5", File.ReadAllText(Path.Combine(folders[0], files.Single(f => f.EndsWith("size.md", StringComparison.Ordinal)))));
    }

    [FactWithFonts]
    public async Task Sweep_and_size_write_their_tables()
    {
        var scenario = Write("day.yaml", PlanningScenarios.Yaml("day", [.. Enumerable.Repeat(200.0, 4)], staffing: 20));
        var sweep = await CliRun.Run("sweep", scenario, "--set", "groups.agents.staffing=18..24:3", "-r", "3", "--out", _dir);
        Assert.True(sweep.Code == 0, sweep.Err);
        Assert.Equal("", sweep.Err);
        Assert.Contains("3 point(s), 3 replication(s) each", sweep.Out);
        var folder = Folder(_dir, "day", "sweep-seed1-r3");
        Assert.Equal(4, File.ReadAllLines(Path.Combine(folder, "sweep.csv")).Length);
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "sweep.json"))))
        {
            Assert.Equal(3, json.RootElement.GetProperty("points").GetArrayLength());
            Assert.Equal("21", json.RootElement.GetProperty("points")[1].GetProperty("values").GetProperty("groups.agents.staffing").GetString());
        }

        var contract = Write("contract.yaml", "committed: { costPerHour: 30 }\npenalty: { perInterval: 100 }\nrisk: 0.8\n");
        var size = await CliRun.Run("size", scenario, "--set", "callTypes.calls.arrivals.callsPerInterval=180,220", "--seats", "groups.agents.staffing=16..28:4",
            "--contract", contract, "-r", "10", "--out", _dir);
        Assert.True(size.Code == 0, size.Err);
        Assert.Contains("4 option(s) x 2 scenario(s)", size.Out);
        Assert.Contains("Recommended at 80 %", size.Out);
        var sized = Folder(_dir, "day", "size-seed1-r10");
        Assert.Equal(File.ReadAllText(Path.Combine(sized, "size.md")), size.Out[size.Out.IndexOf('|')..size.Out.IndexOf("\nResults:", StringComparison.Ordinal)].TrimEnd('\n') + "\n");
        var rows = File.ReadAllLines(Path.Combine(sized, "size.csv"));
        Assert.Equal(5, rows.Length);
        Assert.StartsWith("committed,on_demand,p_all_days,p_day_1,min_p_interval,", rows[0]);
        Assert.Equal(4 * 4 + 1, File.ReadAllLines(Path.Combine(sized, "risk-intervals.csv")).Length);
    }
}
