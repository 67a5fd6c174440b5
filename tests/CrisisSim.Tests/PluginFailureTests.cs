using System.Diagnostics;
using CrisisSim.Model.Routing;
using CrisisSim.Testing;

namespace CrisisSim.Tests;

/// <summary>A routing plug-in that misbehaves during a run is reported in one line naming the policy, the decision and
/// the cause, with exit code 4 and nothing left behind, on every host.</summary>
[Collection(nameof(ProcessCollection))]
public sealed class PluginFailureTests : IDisposable
{
    private static readonly string PolicyName = typeof(FaultyPolicy).FullName!;
    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-faulty-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Scenario(string fault)
    {
        // The policy is in this test assembly, outside the scenario's folder: the runs allow it by name.
        var path = Path.Combine(_dir, fault + ".yaml");
        File.WriteAllText(path, PluginScenarios.Text(
            $"routing: {{ assembly: '{typeof(FaultyPolicy).Assembly.Location}', type: {PolicyName}, settings: {{ fault: {fault} }} }}", fault));
        return path;
    }

    private static string[] Allow => ["--allow-plugin", typeof(FaultyPolicy).Assembly.Location];

    /// <summary>No run folder and no staging folder under the output.</summary>
    private static void NothingLeft(string output) =>
        Assert.Empty(Directory.Exists(output) ? Directory.GetDirectories(output, "*", SearchOption.AllDirectories).Where(d => Directory.EnumerateFileSystemEntries(d).Any() || Path.GetFileName(d).StartsWith('.')) : []);

    [Theory]
    [InlineData("--host", "threads")]
    [InlineData("--host", "silo")]
    [InlineData("--grains", "components")]
    public async Task An_exception_in_a_decision_is_one_line_naming_the_policy_and_the_decision_with_exit_code_4(params string[] host)
    {
        var output = Path.Combine(_dir, "out");

        var (code, _, error) = await CliRun.Run(["run", Scenario("throw"), "-r", "2", "--format", "summary", "--out", output, .. Allow, .. host]);

        Assert.True(code == 4, $"exit code {code}: {error}");
        Assert.Contains($"error: the routing policy {PolicyName} failed in SelectGroup at ", error);
        Assert.Contains("InvalidOperationException: the surge table has no row for this call; no result was written.", error);
        Assert.Contains("--verbose", error);
        Assert.DoesNotContain("   at ", error);
        Assert.DoesNotContain("Unhandled exception", error);
        NothingLeft(output);
    }

    /// <summary>An answer the router cannot carry out (a group that does not exist) is the policy's failure too.</summary>
    [Theory]
    [InlineData("--host", "threads")]
    [InlineData("--host", "silo")]
    public async Task An_answer_the_router_cannot_carry_out_is_reported_as_the_policys_failure(params string[] host)
    {
        var output = Path.Combine(_dir, "out");

        var (code, _, error) = await CliRun.Run(["run", Scenario("invalid"), "-r", "2", "--format", "summary", "--out", output, .. Allow, .. host]);

        Assert.True(code == 4, $"exit code {code}: {error}");
        Assert.Contains($"error: the routing policy {PolicyName} failed in SelectGroup at ", error);
        Assert.Contains("it chose group 99 for a call of type 0: the group must serve the type and have an idle operator; no result was written.", error);
        Assert.DoesNotContain("   at ", error);
        NothingLeft(output);
    }

    [Fact]
    public async Task With_verbose_the_failure_shows_its_stack()
    {
        var (code, _, error) = await CliRun.Run(["run", Scenario("throw"), "-r", "1", "--host", "threads", "--format", "summary", "--out", Path.Combine(_dir, "out"), "--verbose", .. Allow]);

        Assert.Equal(4, code);
        Assert.Contains("   at ", error);
        Assert.Contains(nameof(FaultyPolicy.SelectGroup), error);
    }

    [Fact]
    public async Task A_sweep_reports_the_failure_the_same_way()
    {
        var (code, _, error) = await CliRun.Run(["sweep", Scenario("throw"), "--set", "groups.operators.staffing=5,6", "-r", "2", "--host", "threads", "--out", Path.Combine(_dir, "out"), .. Allow]);

        Assert.True(code == 4, $"exit code {code}: {error}");
        Assert.Contains($"the routing policy {PolicyName} failed in SelectGroup", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Theory]
    [InlineData("--host", "threads")]
    [InlineData("--host", "silo")]
    public async Task Wake_ups_that_hold_time_still_stop_the_run_at_a_documented_cap(params string[] host)
    {
        var output = Path.Combine(_dir, "out");
        using var process = Cli.Start(["run", Scenario("wake"), "-r", "1", "--format", "summary", "--out", output, .. Allow, .. host]);

        var (exited, code, error) = await Finish(process, TimeSpan.FromSeconds(60));

        Assert.True(exited, "still running after 60 s: " + error);
        Assert.True(code == 4, $"exit code {code}: {error}");
        Assert.Contains($"the routing policy {PolicyName} failed in WakeAt at ", error);
        Assert.Contains($"more than {RoutingPolicyException.MaxWakeUpsPerInstant:N0} wake-ups at the same instant", error);
        Assert.DoesNotContain("   at ", error);
        NothingLeft(output);
    }

    [Fact]
    public async Task A_decision_that_never_ends_is_stopped_by_the_watchdog_with_a_message()
    {
        var output = Path.Combine(_dir, "out");
        using var process = Cli.Start(["run", Scenario("loop"), "-r", "1", "--host", "threads", "--format", "summary", "--out", output, .. Allow]);

        var (exited, code, error) = await Finish(process, TimeSpan.FromSeconds(60));

        Assert.True(exited, "still running after 60 s: " + error);
        Assert.True(code == 4, $"exit code {code}: {error}");
        Assert.Contains($"the routing policy {PolicyName} has been deciding SelectGroup for more than 10 s of wall time", error);
        Assert.DoesNotContain("   at ", error);
        NothingLeft(output);
    }

    [Fact]
    public async Task A_plugin_ending_the_process_is_named_and_the_run_fails_with_nothing_left_behind()
    {
        var output = Path.Combine(_dir, "out");
        using var process = Cli.Start(["run", Scenario("exit"), "-r", "1", "--host", "threads", "--format", "summary", "--out", output, .. Allow]);

        var (exited, code, error) = await Finish(process, TimeSpan.FromSeconds(60));

        Assert.True(exited, "still running after 60 s: " + error);
        Assert.True(code == 4, $"exit code {code}: {error}");
        Assert.Contains($"error: the process was ended during the run by the routing plug-in {PolicyName}.SelectGroup", error);
        NothingLeft(output);
    }

    private static async Task<(bool Exited, int Code, string Error)> Finish(Process process, TimeSpan timeout)
    {
        var error = process.StandardError.ReadToEndAsync();
        var exited = process.WaitForExit(timeout);
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        return (exited, exited ? process.ExitCode : -1, await error);
    }
}
