using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
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
        var intervals = new Option<bool>("--intervals") { Description = "Also print the KPIs per interval: for all call types (with the operators on duty and the occupancy of each group) and for each call type; ! marks a service level below the target." };
        var calls = new Option<bool>("--calls") { Description = "Also write the per-call log calls.csv (memory grows with the number of calls); the same as adding calls to --format." };
        var format = new Option<string[]>("--format", "-f")
        {
            Description = $"Result files to write, comma-separated or repeated: {string.Join(", ", Exporters.Selectable)}, or all (default: {string.Join(",", Exporters.Defaults)}). replications.csv, run.json and scenario.yaml are always written.",
            AllowMultipleArgumentsPerToken = false,
        };
        var parallelism = new Option<int>("--parallelism") { Description = "Replications run at once (default: one per core)." };
        var engine = new Option<string>("--engine") { Description = "inline: the event loop, one replication per grain (default); grains: callers, queue and operators as grains in virtual time.", DefaultValueFactory = _ => "inline" };
        engine.AcceptOnlyFromAmong("inline", "grains");
        var host = new Option<string>("--host") { Description = "silo: an embedded Orleans silo (default); process: the inline engine on local threads, no silo.", DefaultValueFactory = _ => "silo" };
        host.AcceptOnlyFromAmong("silo", "process");

        var check = new Option<bool>("--check", "--fail-on-miss") { Description = "Exit with 1 when an interval after the warm-up misses the service targets (serviceLevel.target, or --target-sl, --max-abandon, --max-asa)." };
        var targets = new TargetOptions();
        var command = new Command("run", "Run a scenario and report service level, waits, abandonment and occupancy, overall and per interval.")
        {
            scenario, seed, replications, output, intervals, calls, format, parallelism, engine, host, check,
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
            var formats = parse.GetValue(format) is { Length: > 0 } chosen ? chosen : [.. Exporters.Defaults];
            var exporters = Exporters.Select([.. formats, .. parse.GetValue(calls) ? ["calls"] : Array.Empty<string>()], out var formatError);
            if (exporters is null)
            {
                e.WriteLine("error: " + formatError);
                return CliApp.BadInput;
            }
            var keepCalls = exporters.Any(x => x.NeedsCallLog);
            var expectedCalls = definition.CallTypes.Sum(t => t.Arrivals.ExpectedCalls(ArrivalGrid.Of(definition)));
            if (keepCalls && expectedCalls > RunLimits.MaxLoggedCallsPerReplication)
            {
                e.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"error: --calls keeps every call of a replication in memory: this scenario expects {expectedCalls:N0} calls per replication, the limit is {RunLimits.MaxLoggedCallsPerReplication:N0}."));
                return CliApp.BadInput;
            }
            var runSeed = parse.GetValue(seed);
            var drawsCharts = exporters.Any(x => x.DrawsCharts);
            if (drawsCharts)
            {
                try
                {
                    ChartFonts.Find(ChartFonts.SearchFolders());
                }
                catch (ChartFontsException ex)
                {
                    e.WriteLine("error: " + ex.Message);
                    return CliApp.Failed;
                }
            }
            // Loading the graphics library and compiling the chart code take a few hundred milliseconds: done beside the
            // simulation, once the silo (if any) has started, so as not to slow its start.
            Task? chartsReady = null;
            void PrepareCharts() => chartsReady ??= drawsCharts ? Task.Run(RunCharts.WarmUp, CancellationToken.None) : null;

            ResultFolder folder;
            ScenarioFile scenarioFile;
            try
            {
                scenarioFile = ScenarioFile.Read(scenarioPath);
                folder = ResultFolder.Create(outputRoot, definition.Name, ResultFolder.RunName(runSeed, reps, scenarioFile.Content));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                e.WriteLine($"error: cannot write results under --out '{outputRoot}': {ex.Message}");
                return CliApp.BadInput;
            }
            using (folder)
            // Replications done, with their rate and the time left, on standard error when it is a terminal.
            using (var progress = ConsoleProgress.Start(e, definition.Name, reps, "replications"))
            {
                var done = new ReplicationCounter(progress);
                var target = new ExportTarget(folder.StagingPath);
                var writers = new List<IReplicationWriter>();
                try
                {
                    foreach (var exporter in exporters)
                    {
                        if (exporter.Begin(definition, target) is { } writer)
                        {
                            writers.Add(writer);
                        }
                    }
                    var sink = new ReplicationSink(
                        OnReplication: keepCalls ? r => writers.ForEach(w => w.Add(r)) : null,
                        Progress: done,
                        OnKpis: writers.Count == 0 ? null : k => writers.ForEach(w => w.Add(k)));
                    var clock = Stopwatch.StartNew();
                    var siloStart = TimeSpan.Zero;
                    RunResult run;
                    if (hostName == "process")
                    {
                        PrepareCharts();
                        run = await SimulationRunner.RunInlineAsync(definition, runSeed, reps, keepCalls, threads, sink, cancellation);
                    }
                    else
                    {
                        (run, siloStart) = await RunOnEmbeddedSilo(definition, runSeed, reps, keepCalls, threads, engineName, sink, PrepareCharts, cancellation);
                    }
                    clock.Stop();
                    progress.Dispose();
                    var simulated = clock.Elapsed - siloStart;
                    DisposeAll(writers);

                    ConsoleReport.Write(run, o, parse.GetValue(intervals));
                    if (chartsReady is not null)
                    {
                        await chartsReady;
                    }
                    var facts = RunFacts.Now(hostName == "process" ? "process/inline" : "silo/" + engineName, simulated, typeof(RunCommand).Assembly);
                    Exporters.Export(new RunReport(run, facts, scenarioFile), target, exporters);
                    folder.Commit();
                    o.WriteLine();
                    o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{run.Events:N0} events in {simulated.TotalSeconds:F2} s ({run.Events / Math.Max(simulated.TotalSeconds, 1e-9):N0} events/s){(siloStart > TimeSpan.Zero ? $", after {siloStart.TotalSeconds:F1} s of silo start" : "")}. Results: {folder.FinalPath}"));
                    if (target.Has(HtmlReport.FileName))
                    {
                        o.WriteLine("Report: " + Path.Combine(folder.FinalPath, HtmlReport.FileName));
                    }
                    return parse.GetValue(check) && !RunCheck.Passes(run, goal, e) ? CliApp.Failed : 0;
                }
                catch (Exception) when (cancellation.IsCancellationRequested)
                {
                    progress.Dispose();
                    e.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"interrupted: {done.Count} of {reps} replication(s) had finished; no result was written."));
                    return CliApp.Interrupted;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    progress.Dispose();
                    e.WriteLine($"error: cannot write results to {folder.FinalPath}: {ex.Message}");
                    return CliApp.Failed;
                }
                catch (RunLostException ex)
                {
                    progress.Dispose();
                    e.WriteLine($"error: {ex.Message}; no result was written.");
                    return CliApp.Failed;
                }
                catch (Exception ex) when (ex is ChartFontsException or DllNotFoundException or TypeInitializationException)
                {
                    progress.Dispose();
                    e.WriteLine($"error: charts cannot be drawn: {(ex is TypeInitializationException { InnerException: { } inner } ? inner.Message : ex.Message)}; no result was written (leave charts and report out of --format to write the other files).");
                    return CliApp.Failed;
                }
                finally
                {
                    DisposeAll(writers);
                }
            }
        });
        return command;
    }

    /// <summary>Starts an in-process silo, calls <paramref name="started"/>, runs the replications on it as grains, and
    /// stops it.</summary>
    private static async Task<(RunResult Run, TimeSpan SiloStart)> RunOnEmbeddedSilo(
        ScenarioDefinition scenario, long seed, int replications, bool keepCalls, int parallelism, string engine,
        ReplicationSink sink, Action started, CancellationToken cancellation)
    {
        var start = Stopwatch.StartNew();
        using var silo = await EmbeddedSilo.StartAsync(cancellationToken: cancellation);
        var siloStart = start.Elapsed;
        started();
        try
        {
            var grains = silo.GrainFactory();
            var run = engine == "grains"
                ? await GrainRunner.RunModelGrainsAsync(grains, GrainRunner.NewRunId(scenario, seed), scenario, seed, replications, keepCalls, parallelism, sink, cancellation)
                : await GrainRunner.RunReplicationsAsync(grains, GrainRunner.NewRunId(scenario, seed), scenario, seed, replications, keepCalls, parallelism, sink, cancellation);
            return (run, siloStart);
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

    /// <summary>Closes the files written replication by replication (idempotent).</summary>
    private static void DisposeAll(List<IReplicationWriter> writers)
    {
        foreach (var writer in writers)
        {
            writer.Dispose();
        }
        writers.Clear();
    }

    /// <summary>Counts the replications folded in, as they are (no synchronization context involved), and shows them.</summary>
    private sealed class ReplicationCounter(ConsoleProgress progress) : IProgress<int>
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Report(int value)
        {
            Volatile.Write(ref _count, value);
            progress.Update(value);
        }
    }
}
