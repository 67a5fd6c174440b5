using System.Diagnostics;
using CrisisSim.Testing;

namespace CrisisSim.Tests.Planning;

/// <summary>The real <c>crisissim</c> process stopped by SIGTERM (the path of Ctrl+C) in the middle of a planning
/// command, on the default host: exit 130, nothing written.</summary>
[Collection(nameof(ProcessCollection))]
public sealed class PlanningInterruptTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-plan-signal-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("staff")]
    [InlineData("sweep", "--set", "groups.operators.staffing=3000..3100:50")]
    public async Task A_signal_stops_a_planning_command_promptly_writes_nothing_and_exits_130(string command, params string[] more)
    {
        // W with a 10x longer horizon, 200 replications per scenario: minutes of work.
        var scenario = Cli.LongRun(_dir, out var started);
        var output = Path.Combine(_dir, "out");
        using var process = Cli.Start([command, scenario, "-r", "200", "--out", output, .. Cli.AllowProbe, .. more]);
        await Cli.UntilStarted(process, started);
        if (process.HasExited)
        {
            Assert.Fail("the command ended before it could be interrupted: " + await process.StandardError.ReadToEndAsync());
        }
        var clock = Stopwatch.StartNew();
        Cli.Signal(process, Cli.SigTerm);
        var exited = process.WaitForExit(TimeSpan.FromSeconds(15));
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
        }
        var error = await process.StandardError.ReadToEndAsync();
        Assert.True(exited, "still running 15 s after SIGTERM");
        Assert.True(process.ExitCode == 130, $"exit code {process.ExitCode}: {error}");
        Assert.Contains("interrupted", error);
        Assert.DoesNotContain("   at ", error);
        var scenarioFolder = Path.Combine(output, "bench-w");
        Assert.Empty(Directory.Exists(scenarioFolder) ? Directory.GetDirectories(scenarioFolder) : []);
        Console.WriteLine($"{command}: exited {clock.Elapsed.TotalSeconds:F2} s after SIGTERM");
    }
}
