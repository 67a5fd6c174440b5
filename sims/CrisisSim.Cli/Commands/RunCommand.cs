using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CrisisSim.Grains;
using CrisisSim.Model.Scenario;
using CrisisSim.Engine;
using CrisisSim.Reporting;

namespace CrisisSim.Cli.Commands;

/// <summary><c>crisissim run SCENARIO</c>: replications of a scenario, KPI tables, and result files.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var scenario = CommonOptions.ScenarioArgument();
        var seed = new Option<long>("--seed", "-s") { Description = "Root seed of the run; every random stream is derived from it.", DefaultValueFactory = _ => 1 };
        var replications = new Option<int>("--replications", "-r") { Description = "Number of independent replications (at least 1).", DefaultValueFactory = _ => 10 };
        var output = new Option<string>("--out", "-o") { Description = "Folder for result files: OUT/<scenario>/<run-id>/.", DefaultValueFactory = _ => "results" };
        var intervals = new Option<bool>("--intervals") { Description = "Also print the KPI table per interval." };
        var calls = new Option<bool>("--calls") { Description = "Also write the per-call log calls.csv (memory grows with the number of calls)." };
        var parallelism = new Option<int>("--parallelism") { Description = "Replications run at once (default: one per core)." };
        var engine = new Option<string>("--engine") { Description = "inline: the event loop, one replication per grain (default); grains: callers, queue and operators as grains in virtual time.", DefaultValueFactory = _ => "inline" };
        engine.AcceptOnlyFromAmong("inline", "grains");
        var host = new Option<string>("--host") { Description = "silo: an embedded Orleans silo (default); process: the inline engine on local threads, no silo.", DefaultValueFactory = _ => "silo" };
        host.AcceptOnlyFromAmong("silo", "process");

        var check = new Option<bool>("--check", "--fail-on-miss") { Description = "Exit with 1 when an interval after the warm-up misses the service targets (serviceLevel.target, or --target-sl, --max-abandon, --max-asa)." };
        var targets = new TargetOptions();
        var command = new Command("run", "Run a scenario and report service level, waits, abandonment and occupancy, overall and per interval.")
        {
            scenario, seed, replications, output, intervals, calls, parallelism, engine, host, check,
        };
        targets.AddTo(command);
        command.SetAction(async (parse, cancellation) =>
        {
            var o = parse.InvocationConfiguration.Output;
            var e = parse.InvocationConfiguration.Error;
            var reps = parse.GetValue(replications);
            if (reps is < 1 or > RunLimits.MaxReplications)
            {
                e.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: --replications must be from 1 to {RunLimits.MaxReplications:N0} (got {reps})."));
                return CliApp.BadInput;
            }
            var threads = parse.GetValue(parallelism);
            if (threads is < 0 or > RunLimits.MaxParallelism)
            {
                e.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: --parallelism must be 0 (one per core) to {RunLimits.MaxParallelism} (got {threads})."));
                return CliApp.BadInput;
            }
            var outputRoot = parse.GetValue(output)!;
            if (string.IsNullOrWhiteSpace(outputRoot))
            {
                e.WriteLine("error: --out must name a folder (got an empty value).");
                return CliApp.BadInput;
            }
            var engineName = parse.GetValue(engine)!;
            var hostName = parse.GetValue(host)!;
            if (hostName == "process" && engineName != "inline")
            {
                e.WriteLine("error: --host process runs only the inline engine; use --host silo with --engine grains.");
                return CliApp.BadInput;
            }
            var scenarioPath = parse.GetValue(scenario)!;
            var definition = CommonOptions.LoadScenario(scenarioPath, e);
            if (definition is null)
            {
                return CliApp.BadInput;
            }
            if (targets.Read(parse, definition, e) is not { } goal)
            {
                return CliApp.BadInput;
            }
            var keepCalls = parse.GetValue(calls);
            var expectedCalls = definition.CallTypes.Sum(t => t.Arrivals.ExpectedCalls(ArrivalGrid.Of(definition)));
            if (keepCalls && expectedCalls > RunLimits.MaxLoggedCallsPerReplication)
            {
                e.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"error: --calls keeps every call of a replication in memory: this scenario expects {expectedCalls:N0} calls per replication, the limit is {RunLimits.MaxLoggedCallsPerReplication:N0}."));
                return CliApp.BadInput;
            }
            var runSeed = parse.GetValue(seed);

            ResultFolder folder;
            try
            {
                folder = ResultFolder.Create(outputRoot, definition.Name, ResultFolder.RunName(runSeed, reps, File.ReadAllBytes(scenarioPath)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                e.WriteLine($"error: cannot write results under --out '{outputRoot}': {ex.Message}");
                return CliApp.BadInput;
            }
            using (folder)
            {
                var done = new ReplicationCounter();
                StreamWriter? callLog = null;
                StreamWriter? replicationsFile = null;
                try
                {
                    replicationsFile = TextFiles.Create(folder.File(ReplicationsCsv.FileName));
                    var replicationRows = new ReplicationsCsv(definition, replicationsFile);
                    if (keepCalls)
                    {
                        callLog = TextFiles.Create(folder.File("calls.csv"));
                        CallsCsv.WriteHeader(callLog);
                    }
                    var sink = new ReplicationSink(
                        OnReplication: callLog is null ? null : r => CallsCsv.WriteReplication(definition, r, callLog),
                        Progress: done,
                        OnKpis: replicationRows.Add);
                    var clock = Stopwatch.StartNew();
                    var siloStart = TimeSpan.Zero;
                    RunResult run;
                    if (hostName == "process")
                    {
                        run = await SimulationRunner.RunInlineAsync(definition, runSeed, reps, keepCalls, threads, sink, cancellation);
                    }
                    else
                    {
                        (run, siloStart) = await RunOnEmbeddedSilo(definition, runSeed, reps, keepCalls, threads, engineName, sink, cancellation);
                    }
                    clock.Stop();
                    var simulated = clock.Elapsed - siloStart;
                    callLog?.Dispose();
                    callLog = null;
                    replicationsFile.Dispose();
                    replicationsFile = null;

                    ConsoleReport.Write(run, o, parse.GetValue(intervals));
                    File.Copy(scenarioPath, folder.File("scenario.yaml"));
                    WriteResults(run, folder.StagingPath, hostName == "process" ? "process/inline" : "silo/" + engineName, simulated);
                    folder.Commit();
                    o.WriteLine();
                    o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{run.Events:N0} events in {simulated.TotalSeconds:F2} s ({run.Events / Math.Max(simulated.TotalSeconds, 1e-9):N0} events/s){(siloStart > TimeSpan.Zero ? $", after {siloStart.TotalSeconds:F1} s of silo start" : "")}. Results: {folder.FinalPath}"));
                    return parse.GetValue(check) && !RunCheck.Passes(run, goal, e) ? CliApp.Failed : 0;
                }
                catch (Exception) when (cancellation.IsCancellationRequested)
                {
                    e.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"interrupted: {done.Count} of {reps} replication(s) had finished; no result was written."));
                    return CliApp.Interrupted;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    e.WriteLine($"error: cannot write results to {folder.FinalPath}: {ex.Message}");
                    return CliApp.Failed;
                }
                catch (RunLostException ex)
                {
                    e.WriteLine($"error: {ex.Message}; no result was written.");
                    return CliApp.Failed;
                }
                finally
                {
                    callLog?.Dispose();
                    replicationsFile?.Dispose();
                }
            }
        });
        return command;
    }

    /// <summary>Starts an in-process silo, runs the replications on it as grains, and stops it.</summary>
    private static async Task<(RunResult Run, TimeSpan SiloStart)> RunOnEmbeddedSilo(
        ScenarioDefinition scenario, long seed, int replications, bool keepCalls, int parallelism, string engine,
        ReplicationSink sink, CancellationToken cancellation)
    {
        var start = Stopwatch.StartNew();
        using var silo = await EmbeddedSilo.StartAsync(cancellationToken: cancellation);
        var started = start.Elapsed;
        try
        {
            var grains = silo.GrainFactory();
            var run = engine == "grains"
                ? await GrainRunner.RunModelGrainsAsync(grains, GrainRunner.NewRunId(scenario, seed), scenario, seed, replications, keepCalls, parallelism, sink, cancellation)
                : await GrainRunner.RunReplicationsAsync(grains, GrainRunner.NewRunId(scenario, seed), scenario, seed, replications, keepCalls, parallelism, sink, cancellation);
            return (run, started);
        }
        finally
        {
            // A cancelled run does not wait for a graceful shutdown: the process is about to end.
            using var stopping = new CancellationTokenSource(cancellation.IsCancellationRequested ? TimeSpan.FromMilliseconds(500) : TimeSpan.FromSeconds(30));
            try
            {
                await silo.StopAsync(stopping.Token);
            }
            catch (OperationCanceledException)
            {
                // Stopping was cut short on purpose.
            }
        }
    }

    public static void WriteResults(RunResult run, string folder, string host, TimeSpan elapsed)
    {
        Directory.CreateDirectory(folder);
        using (var summary = File.Create(Path.Combine(folder, "summary.json")))
        {
            SummaryJson.Write(run, summary);
        }
        using (var csv = TextFiles.Create(Path.Combine(folder, "intervals.csv")))
        {
            IntervalsCsv.Write(run, csv);
        }
        // Facts about the execution, kept apart so that summary.json depends only on the scenario and seed.
        using var meta = File.Create(Path.Combine(folder, "run.json"));
        using var json = new Utf8JsonWriter(meta, new JsonWriterOptions { Indented = true, NewLine = "\n" });
        json.WriteStartObject();
        json.WriteString("host", host);
        json.WriteNumber("replications", run.ReplicationCount);
        json.WriteNumber("events", run.Events);
        json.WriteNumber("elapsedSeconds", Math.Round(elapsed.TotalSeconds, 3));
        json.WriteNumber("processors", Environment.ProcessorCount);
        json.WriteEndObject();
    }

    /// <summary>Counts the replications folded in, as they are (no synchronization context involved).</summary>
    private sealed class ReplicationCounter : IProgress<int>
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Report(int value) => Volatile.Write(ref _count, value);
    }
}
