using System.Diagnostics;
using System.Globalization;
using CrisisSim.Planning;
using CrisisSim.Reporting;
using CrisisSim.Testing;

namespace CrisisSim.Tests;

/// <summary>Every file a command reads goes through one guard: a FIFO, a device, a folder or an oversized file named as
/// a result file, a contract file or a rate table is refused at once with a message naming it (exit 2); and the smaller
/// command-line mistakes (an unwritable --out, a range that is not one, a control character, an empty --format).</summary>
public sealed class InputGuardTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-inputs-").FullName;
    private readonly string _tiny;

    public InputGuardTests()
    {
        _tiny = Path.Combine(_dir, "tiny.yaml");
        File.WriteAllText(_tiny, """
            name: tiny
            interval: 10m
            intervals: 2
            serviceLevel: { threshold: 20s }
            callTypes:
              - name: calls
                arrivals: { callsPerInterval: 30 }
                patience: { dist: exponential, mean: 2m }
                handleTime: { dist: exponential, mean: 3m }
            groups:
              - { name: agents, serves: [calls], staffing: 4 }
            """);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The command, failed (not hung) within <see cref="Patience"/>.</summary>
    private static async Task<(int Code, string Out, string Err)> Within(params string[] args)
    {
        var run = CliRun.Run(args);
        var done = await Task.WhenAny(run, Task.Delay(Patience));
        Assert.True(done == run, $"crisissim {string.Join(' ', args)} did not end within {Patience}");
        return await run;
    }

    private async Task<string> Run(string name)
    {
        var output = Path.Combine(_dir, name);
        var (code, _, error) = await CliRun.Run("run", _tiny, "-r", "3", "--host", "threads", "--format", "summary", "--out", output);
        Assert.True(code == 0, error);
        return Assert.Single(Directory.GetDirectories(Path.Combine(output, "tiny")));
    }

    private void MakeFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", path);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    private static void Sparse(string path, long length)
    {
        using var file = File.Create(path);
        file.SetLength(length); // nothing is written
    }

    // ---- compare ----

    [Theory]
    [InlineData("summary.json", "fifo", "is a named pipe (FIFO)")]
    [InlineData("summary.json", "zero", "is a character device")]
    [InlineData("summary.json", "folder", "is a directory, not a summary.json")]
    [InlineData("summary.json", "huge", "the limit is 268,435,456 bytes (256 MiB) for a summary.json")]
    [InlineData("replications.csv", "fifo", "is a named pipe (FIFO)")]
    [InlineData("replications.csv", "zero", "is a character device")]
    [InlineData("replications.csv", "folder", "is a directory, not a replications.csv")]
    [InlineData("replications.csv", "huge", "the limit is 67,108,864 bytes (64 MiB) for a replications.csv")]
    public async Task Compare_refuses_a_result_file_that_is_not_a_regular_file_within_its_limit(string file, string kind, string reason)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var baseline = await Run("a");
        var other = await Run("b");
        var path = Path.Combine(other, file);
        File.Delete(path);
        switch (kind)
        {
            case "fifo":
                MakeFifo(path);
                break;
            case "zero":
                File.CreateSymbolicLink(path, "/dev/zero");
                break;
            case "folder":
                Directory.CreateDirectory(path);
                break;
            default:
                Sparse(path, (file == "summary.json" ? RunSummary.MaxSummaryBytes : RunSummary.MaxReplicationsBytes) + 1);
                break;
        }

        var (code, _, error) = await Within("compare", baseline, other);

        Assert.True(code == 2, error);
        Assert.Contains($"error: {path}: ", error);
        Assert.Contains(reason, error);
    }

    [Fact]
    public async Task Compare_refuses_a_summary_that_disagrees_with_its_replications()
    {
        var baseline = await Run("a");
        var other = await Run("b");
        var summary = Path.Combine(other, "summary.json");
        // The overall service level's mean, edited in place (summary.json names "intervals" twice: a count, then the list).
        var text = File.ReadAllText(summary);
        var at = text.IndexOf("\"mean\": ", text.IndexOf("\"service_level\"", text.IndexOf("\"overall\"", StringComparison.Ordinal), StringComparison.Ordinal), StringComparison.Ordinal) + "\"mean\": ".Length;
        var end = text.IndexOf(',', at);
        File.WriteAllText(summary, text[..at] + "1e300" + text[end..]);

        var (code, output, error) = await Within("compare", baseline, other, "--threshold", "service_level>-2pp");

        Assert.True(code == 2, output + error);
        Assert.Contains($"{summary} and {Path.Combine(other, "replications.csv")} disagree: overall service_level is 1E+300", error);
        Assert.DoesNotContain("holds", output);
    }

    // ---- size --contract ----

    [Theory]
    [InlineData("fifo", "is a named pipe (FIFO)")]
    [InlineData("zero", "is a character device")]
    [InlineData("folder", "is a directory, not a contract file")]
    [InlineData("huge", "the limit is 1,048,576 bytes (1 MiB) for a contract file")]
    public async Task Size_refuses_a_contract_that_is_not_a_regular_file_within_its_limit(string kind, string reason)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var contract = Path.Combine(_dir, "contract.yaml");
        switch (kind)
        {
            case "fifo":
                MakeFifo(contract);
                break;
            case "zero":
                File.CreateSymbolicLink(contract, "/dev/zero");
                break;
            case "folder":
                Directory.CreateDirectory(contract);
                break;
            default:
                Sparse(contract, PlanningLimits.MaxContractFileBytes + 1L);
                break;
        }

        var (code, _, error) = await Within("size", _tiny, "--seats", "groups.agents.staffing=1..3", "--contract", contract,
            "--host", "threads", "--out", Path.Combine(_dir, "out"));

        Assert.True(code == 2, error);
        Assert.Contains($"error: {contract}: ", error);
        Assert.Contains(reason, error);
    }

    // ---- CSV rate tables ----

    [Theory]
    [InlineData("fifo", "is a named pipe (FIFO)")]
    [InlineData("zero", "is a character device")]
    [InlineData("folder", "is a directory, not a CSV rate table")]
    [InlineData("huge", "the limit is 16,777,216 bytes (16 MiB) for a CSV rate table")]
    public async Task A_csv_rate_table_that_is_not_a_regular_file_within_the_limit_is_refused(string kind, string reason)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var csv = Path.Combine(_dir, "rates.csv");
        switch (kind)
        {
            case "fifo":
                MakeFifo(csv);
                break;
            case "zero":
                File.CreateSymbolicLink(csv, "/dev/zero");
                break;
            case "folder":
                Directory.CreateDirectory(csv);
                break;
            default:
                Sparse(csv, CrisisSim.Model.Scenario.ScenarioLimits.MaxFileBytes + 1L);
                break;
        }
        File.WriteAllText(_tiny, File.ReadAllText(_tiny).Replace("{ callsPerInterval: 30 }", "{ csv: rates.csv }"));

        var (code, _, error) = await Within("validate", _tiny);

        Assert.True(code == 2, error);
        Assert.Contains($"callTypes[0].arrivals.csv: CSV file '{csv}' ", error);
        Assert.Contains(reason, error);
    }

    [Fact]
    public async Task A_csv_path_to_a_file_that_is_no_rate_table_quotes_nothing_of_it()
    {
        var secret = Path.Combine(_dir, "secret.txt");
        File.WriteAllText(secret, "root:x:0:0:hunter2:/root:/bin/bash\nmore\n");
        File.WriteAllText(_tiny, File.ReadAllText(_tiny).Replace("{ callsPerInterval: 30 }", "{ csv: secret.txt }"));

        var (code, _, error) = await Within("validate", _tiny);

        Assert.True(code == 2, error);
        Assert.Contains("this file is not a rate table (nothing of it is shown)", error);
        Assert.DoesNotContain("hunter2", error);
        Assert.DoesNotContain("root:x", error);
    }

    // ---- --out ----

    [Fact]
    public async Task An_out_that_is_a_file_fails_with_exit_1_and_says_so()
    {
        var file = Path.Combine(_dir, "taken");
        File.WriteAllText(file, "");

        var (code, _, error) = await Within("run", _tiny, "-r", "1", "--host", "threads", "--format", "summary", "--out", file);
        Assert.True(code == 1, error);
        Assert.Contains($"error: cannot write results under --out '{file}': it is a file; give a folder", error);

        (code, _, error) = await Within("sweep", _tiny, "--set", "groups.agents.staffing=1,2", "-r", "2", "--host", "threads", "--out", Path.Combine(file, "below"));
        Assert.True(code == 1, error);
        Assert.Contains($"'{file}' is a file, not a folder", error);
        Assert.DoesNotContain("Could not find a part of the path", error);
    }

    [Fact]
    public async Task Schema_out_naming_a_folder_says_it_is_a_folder()
    {
        var (code, _, error) = await Within("schema", "--out", _dir);
        Assert.True(code == 1, error);
        Assert.Contains($"error: --out '{_dir}': cannot write the schema: it is a folder; give the path of the file to write", error);
        Assert.DoesNotContain("denied", error);

        (code, _, error) = await Within("schema", "--out", Path.Combine(_dir, "missing", "schema.json"));
        Assert.True(code == 1, error);
        Assert.Contains($"cannot write the schema: the folder '{Path.Combine(_dir, "missing")}' does not exist", error);
    }

    [Fact]
    public async Task An_output_file_that_is_a_fifo_is_refused_instead_of_blocking()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var fifo = Path.Combine(_dir, "out.json");
        MakeFifo(fifo);

        var (code, _, error) = await Within("schema", "--out", fifo);
        Assert.True(code == 1, error);
        Assert.Contains($"error: --out '{fifo}': cannot write the schema: it is a named pipe (FIFO), not a regular file", error);

        var run = await Run("a");
        (code, _, error) = await Within("compare", run, run, "--json", fifo);
        Assert.True(code == 1, error);
        Assert.Contains($"error: --json '{fifo}': cannot write the comparison: it is a named pipe (FIFO), not a regular file", error);
    }

    // ---- command-line values ----

    [Theory]
    [InlineData("groups.agents.staffing=1..10:-1", "the step of a range must be above 0")]
    [InlineData("groups.agents.staffing=1..1e9:1", "is not a valid range A..B:STEP")]
    public async Task A_sweep_range_that_is_not_one_is_refused(string set, string reason)
    {
        var (code, _, error) = await Within("sweep", _tiny, "--set", set, "-r", "2", "--host", "threads", "--out", Path.Combine(_dir, "out"));
        Assert.True(code == 2, error);
        Assert.Contains(reason, error);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out", "tiny")), "nothing is simulated");
    }

    [Theory]
    [InlineData("\u0000")]
    [InlineData("a\u001B[31mred")]
    [InlineData("x\nerror: fake")]
    public async Task A_control_character_in_an_argument_is_refused_and_never_echoed_raw(string value)
    {
        foreach (var args in new[] { new[] { "run", _tiny, "--out", value }, ["compare", value, _dir], ["sweep", _tiny, "--set", "groups.agents.staffing=" + value], [value] })
        {
            var (code, output, error) = await Within(args);
            Assert.True(code == 2, error);
            Assert.Contains("holds a control character", error);
            Assert.False((output + error).Any(c => char.IsControl(c) && c is not '\n' and not '\r'), $"a control character was echoed: {error}");
            Assert.Single(error.Trim().Split('\n'));
        }
    }

    [Fact]
    public void A_control_character_read_from_a_scenario_is_escaped_in_its_message()
    {
        var ex = Assert.Throws<CrisisSim.Scenarios.ScenarioException>(() =>
            CrisisSim.Scenarios.ScenarioLoader.Parse(File.ReadAllText(_tiny).Replace("name: tiny", "name: tiny\n\"bad\\0key\\e[2J\": 1"), "t.yaml"));
        var message = string.Join("\n", ex.Errors.Select(e => e.ToString()));
        Assert.Contains("bad\\0key\\e[2J", message);
        Assert.DoesNotContain('\0', message);
        Assert.DoesNotContain('\u001B', message);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(",")]
    public async Task An_empty_format_is_refused(string format)
    {
        var (code, _, error) = await Within("run", _tiny, "-r", "1", "--host", "threads", "--format", format, "--out", Path.Combine(_dir, "out"));
        Assert.True(code == 2, error);
        Assert.Contains("no format named", error);
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")), "nothing is written");
    }

    [Fact]
    public void The_limits_are_the_documented_figures()
    {
        var readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));
        foreach (var (limit, text) in new[]
        {
            (RunSummary.MaxSummaryBytes, "`summary.json`"), (RunSummary.MaxReplicationsBytes, "`replications.csv`"),
            ((long)PlanningLimits.MaxContractFileBytes, "contract file"),
        })
        {
            var size = CrisisSim.Inputs.InputFile.Size(limit);
            Assert.True(readme.Split('\n').Any(l => l.Contains(text, StringComparison.Ordinal) && l.Contains(size, StringComparison.Ordinal)),
                string.Create(CultureInfo.InvariantCulture, $"README.md lists no limit of {size} for {text}"));
        }
    }
}
