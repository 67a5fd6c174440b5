using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;
using CrisisSim.Scenarios;
using CrisisSim.Testing;

namespace CrisisSim.Tests;

/// <summary>The call log: its size bounded before the run with every redial and transfer leg counted, and streamed to
/// parts with bounded memory, coming back exactly as a log held in memory.</summary>
public sealed class CallLogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-calllog-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Scenario(string extra, int calls = 240_000) => $$"""
        name: redialling
        interval: 1h
        intervals: 1
        serviceLevel:
          threshold: 20s
        routing: fifo
        callTypes:
          - name: info
            arrivals:
              callsPerInterval: {{calls}}
            patience: { dist: exponential, mean: 10s }
            handleTime: { dist: exponential, mean: 60s }
        {{extra}}
          - name: expert
            arrivals:
              callsPerInterval: 0
            patience: { dist: exponential, mean: 10s }
            handleTime: { dist: exponential, mean: 60s }
        groups:
          - name: desk
            serves: [info, expert]
            staffing: 10
        """;

    [Fact]
    public void The_bound_counts_every_redial_and_transfer_leg()
    {
        var plain = ScenarioLoader.Parse(Scenario(""), "plain.yaml");
        Assert.Equal(240_000, CallLogSize.UpperBound(plain), 6);

        var redials = ScenarioLoader.Parse(Scenario("    redials: { probabilities: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], delay: { dist: deterministic, value: 1m } }"), "redials.yaml");
        Assert.Equal(240_000 * 21, CallLogSize.UpperBound(redials), 6);

        var halves = ScenarioLoader.Parse(Scenario("    redials: { probabilities: [0.5, 0.5], delay: { dist: deterministic, value: 1m } }"), "halves.yaml");
        Assert.Equal(240_000 * 1.75, CallLogSize.UpperBound(halves), 6);

        // Half the answered calls go on to a second leg: 1 + 0.5 legs a caller.
        var transfers = ScenarioLoader.Parse(Scenario("    transfers: [{ to: expert, share: 0.5 }]"), "transfers.yaml");
        Assert.Equal(240_000 * 1.5, CallLogSize.UpperBound(transfers), 6);
    }

    [Fact]
    public void A_transfer_loop_is_bounded_by_the_most_legs_of_a_caller()
    {
        var text = Scenario("    transfers: [{ to: expert, share: 1 }]").Replace(
            "      callsPerInterval: 0\n    patience: { dist: exponential, mean: 10s }\n    handleTime: { dist: exponential, mean: 60s }",
            "      callsPerInterval: 0\n    patience: { dist: exponential, mean: 10s }\n    handleTime: { dist: exponential, mean: 60s }\n    transfers: [{ to: info, share: 1 }]");
        var loop = ScenarioLoader.Parse(text, "loop.yaml");
        Assert.NotNull(loop.CallTypes[1].Transfers);
        Assert.Equal(240_000.0 * Model.Components.CallIds.MaxLegs, CallLogSize.UpperBound(loop), 6);
    }

    [Fact]
    public async Task Run_refuses_a_log_whose_redials_pass_the_limit_before_simulating()
    {
        var path = Path.Combine(_dir, "redialling.yaml");
        File.WriteAllText(path, Scenario("    redials: { probabilities: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], delay: { dist: deterministic, value: 1m } }"));
        var output = Path.Combine(_dir, "out");
        var (code, stdout, error) = await CliRun.Run("run", path, "-r", "1", "--calls", "-f", "summary", "--host", "threads", "--out", output);
        Assert.Equal(CrisisSim.Cli.CliApp.BadInput, code);
        Assert.Equal("", stdout);
        Assert.Equal("error: --calls writes a row of calls.csv per call, redial and transfer leg: this scenario may write up to 5,040,000 rows per replication (240,000 calls expected, with every redial and transfer its settings allow), the limit is 5,000,000 (about 110 bytes a row on disk).\n", error.ReplaceLineEndings("\n"));
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void A_spilled_log_reads_back_in_call_id_order_across_runs()
    {
        var random = new Random(7);
        var records = Enumerable.Range(0, 10_000)
            .Select(i => new CallRecord(random.NextInt64(1L << 50), i % 5, random.NextDouble() * 1e5, (CallOutcome)(i % 8), i, i + 0.5, i % 3 - 1, i % 11, i + 1.25))
            .DistinctBy(r => r.CallId)
            .ToList();
        var store = new MemoryCallLogStore();
        using var spill = new CallLogSpill(store, replication: 4, chunkRecords: 333);
        foreach (var r in records)
        {
            spill.Add(r);
        }
        var part = spill.Finish();
        Assert.Equal((records.Count + 332) / 333, part.Runs.Length);
        Assert.Equal(records.Count, part.Count);
        var back = new StreamedCallLog(store, part).Read().ToList();
        Assert.Equal(records.OrderBy(r => r.CallId), back);
    }

    [Theory]
    [InlineData("covid-hotline-journey.yaml")]
    [InlineData("covid-followup.yaml")]
    public void The_inline_engine_streams_the_same_log_as_it_holds(string file)
    {
        var scenario = ScenarioLoader.LoadFile(Repo.Scenario(file));
        var held = InlineEngine.RunReplication(scenario, seed: 3, replication: 1, keepCallLog: true);
        var store = new MemoryCallLogStore();
        var streamed = InlineEngine.RunReplication(scenario, seed: 3, replication: 1, keepCallLog: true, callLogs: store);
        Assert.Null(streamed.Records.CallLog);
        var log = Assert.IsType<StreamedCallLog>(streamed.CallLog);
        Assert.NotEmpty(held.Records.CallLog!);
        Assert.Equal(held.Records.CallLog!, log.Read());
        log.Delete();
        Assert.Empty(store.Parts);
    }

    /// <summary>Parts in memory, for tests.</summary>
    private sealed class MemoryCallLogStore : ICallLogStore
    {
        public Dictionary<string, byte[]> Parts { get; } = [];

        public Stream Create(int replication, out string location)
        {
            var name = "r" + replication;
            location = name;
            return new PartStream(bytes => Parts[name] = bytes);
        }

        public Stream OpenRead(string location) => new MemoryStream(Parts[location], writable: false);

        public void Delete(string location) => Parts.Remove(location);

        private sealed class PartStream(Action<byte[]> done) : MemoryStream
        {
            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    done(ToArray());
                }
                base.Dispose(disposing);
            }
        }
    }
}
