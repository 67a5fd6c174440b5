using CrisisSim.Engine;
using CrisisSim.Model.Components;
using CrisisSim.Model.Scenario;
using CrisisSim.Scenarios;
using CrisisSim.Testing;

namespace CrisisSim.Tests;

/// <summary>A replication whose queue grows without bound stops at <see cref="ScenarioLimits.MaxWaitingCalls"/> calls
/// waiting, with a message naming the scenario, the replication, the virtual time and the call type, on every host.</summary>
public sealed class WaitingCallsLimitTests : IDisposable
{
    // One operator, calls of an hour each, 1.1 M callers who never hang up: the queue passes the limit after ~55 min.
    private const string Runaway = """
        name: runaway
        interval: 1h
        intervals: 1
        serviceLevel:
          threshold: 20s
        routing: fifo
        callTypes:
          - name: info
            arrivals:
              callsPerInterval: 1100000
            handleTime: { dist: deterministic, value: 3600s }
        groups:
          - name: desk
            serves: [info]
            staffing: 1
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-waiting-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteRunaway()
    {
        var path = Path.Combine(_dir, "runaway.yaml");
        File.WriteAllText(path, Runaway);
        return path;
    }

    [Fact]
    public void The_inline_engine_stops_a_runaway_queue_at_the_limit()
    {
        var scenario = ScenarioLoader.Parse(Runaway, "runaway.yaml");
        Assert.True(scenario.CallTypes[0].Arrivals.ExpectedCalls(ArrivalGrid.Of(scenario)) <= ScenarioLimits.MaxExpectedCallsPerReplication);
        var ex = Assert.Throws<UnstableReplicationException>(() => InlineEngine.RunReplication(scenario, seed: 1, replication: 3));
        Assert.Equal("runaway", ex.Scenario);
        Assert.Equal(3, ex.Replication);
        Assert.Equal("info", ex.CallType);
        Assert.Equal(ScenarioLimits.MaxWaitingCalls + 1, ex.Waiting);
        Assert.InRange(ex.VirtualTime, 3000, 3600);
        Assert.Contains("scenario 'runaway', replication 3:", ex.Message);
        Assert.Contains("type 'info'", ex.Message);
    }

    [Fact]
    public void Callers_waiting_to_redial_count_towards_the_limit()
    {
        // One line: nearly every caller gets a busy signal and redials 2 days later, so the redials pending pile up.
        var scenario = ScenarioLoader.Parse("""
            name: redial-storm
            interval: 1h
            intervals: 72
            serviceLevel:
              threshold: 20s
            routing: fifo
            numbers:
              - name: main
                lines: 1
            callTypes:
              - name: info
                number: main
                arrivals:
                  callsPerInterval: [1100000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
                handleTime: { dist: deterministic, value: 60s }
                redials: { probabilities: [1], delay: { dist: deterministic, value: 2d } }
            groups:
              - name: desk
                serves: [info]
                staffing: 1
            """, "redial-storm.yaml");
        var ex = Assert.Throws<UnstableReplicationException>(() => InlineEngine.RunReplication(scenario, seed: 1, replication: 0));
        Assert.Equal("info", ex.CallType);
        Assert.InRange(ex.VirtualTime, 3000, 3600);
    }

    [Theory]
    [InlineData("--host", "threads")]
    [InlineData("--grains", "replication")]
    [InlineData("--grains", "components")]
    public async Task Every_host_stops_the_run_with_the_message_and_writes_nothing(string option, string host)
    {
        var output = Path.Combine(_dir, "out");
        var (code, stdout, error) = await CliRun.Run("run", WriteRunaway(), "-r", "2", "-f", "summary", "--out", output, option, host);
        Assert.Equal(CrisisSim.Cli.CliApp.Unstable, code);
        Assert.Matches(@"^error: scenario 'runaway', replication [01]: 1,000,001 calls were waiting at once \(in queue, for a callback or an outbound call, or to redial\) at \d+(\.\d+)? s \(0:5\d:\d\d into the run\) when a call of type 'info' joined them, more than the limit of 1,000,000: .*; no result was written\.\n$", error.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("   at ", error + stdout);
        Assert.Empty(Directory.Exists(output) ? Directory.GetFiles(output, "*", SearchOption.AllDirectories) : []);
    }
}
