using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CrisisSim.Model.Scenario;
using CrisisSim.Engine;
using CrisisSim.Grains;
using CrisisSim.Inputs;
using CrisisSim.Model.Recording;
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
        var calls = new Option<bool>("--calls") { Description = "Also write the per-call log calls.csv (streamed to disk, a row per call, redial and transfer leg); the same as adding calls to --format." };
        var format = new Option<string[]>("--format", "-f")
        {
            Description = $"Result files to write, comma-separated or repeated: {string.Join(", ", Exporters.Selectable)}, or all (default: {string.Join(",", Exporters.Defaults)}). replications.csv, run.json and scenario.yaml are always written, and playbook.csv when the scenario has a playbook.",
            AllowMultipleArgumentsPerToken = false,
        };
        var allowPlugin = CommonOptions.AllowPluginOption(CommonOptions.RunAllowDescription);
        var allowHost = CommonOptions.AllowRoutingHostOption();
        var hosts = new HostOptions("Replications run at once (default: one per core on threads and component grains, 4 per core on replication grains).");

        var check = new Option<bool>("--check", "--fail-on-miss") { Description = "Exit with 1 when an interval after the warm-up misses the service targets (serviceLevel.target, or --target-sl, --max-abandon, --max-asa)." };
        var targets = new TargetOptions();
        var command = new Command("run", "Run a scenario and report service level, waits, abandonment and occupancy, overall and per interval.")
        {
            scenario, seed, replications, output, intervals, calls, format, check, allowPlugin, allowHost,
        };
        hosts.AddTo(command);
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
            if (hosts.Read(parse, e) is not { } hostChoice)
            {
                return CliApp.BadInput;
            }
            var outputRoot = parse.GetValue(output)!;
            if (string.IsNullOrWhiteSpace(outputRoot))
            {
                e.WriteLine("error: --out must name a folder (got an empty value).");
                return CliApp.BadInput;
            }
            if (CommonOptions.RunTrust(parse, allowPlugin, allowHost, e) is not { } trust)
            {
                return CliApp.BadInput;
            }
            using var plugins = Plugins.PluginTrust.Use(trust);
            await using var prepared = new PreparedHost(hostChoice, e);
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
            var keepCallLog = exporters.Any(x => x.NeedsCallLog);
            if (keepCallLog && CallLogSize.UpperBound(definition) is var rows && !(rows <= RunLimits.MaxLoggedCallsPerReplication))
            {
                var firstAttempts = definition.CallTypes.Where(t => t.Outbound is null).Sum(t => t.Arrivals.ExpectedCalls(ArrivalGrid.Of(definition)));
                e.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"error: --calls writes a row of calls.csv per call, redial and transfer leg: this scenario may write up to {rows:N0} rows per replication ({firstAttempts:N0} calls expected, with every redial and transfer its settings allow), the limit is {RunLimits.MaxLoggedCallsPerReplication:N0} (about {RunLimits.CallLogBytesPerRow} bytes a row on disk)."));
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
                    // The simulation and every other file do not need the fonts: leave the charts out and say so.
                    e.WriteLine("warning: " + ex.Message + " The charts are left out; the report says why.");
                    exporters = [.. exporters.Where(x => x is not ChartFiles)];
                    drawsCharts = false;
                }
            }
            // Loading the graphics library and compiling the chart code take a few hundred milliseconds: done beside the
            // simulation, once the silo (if any) has started, so as not to slow its start.
            Task? chartsReady = null;
            void PrepareCharts() => chartsReady ??= drawsCharts ? Task.Run(RunCharts.WarmUp, CancellationToken.None) : null;

            ScenarioFile scenarioFile;
            try
            {
                // Read again for its hash and copy: the file may have changed since it was loaded, never past the guard.
                scenarioFile = ScenarioFile.Read(scenarioPath);
            }
            catch (InputFileException ex)
            {
                e.WriteLine($"error: {ex.Message}");
                return CliApp.BadInput;
            }
            if (CommonOptions.CreateResultFolder(outputRoot, definition.Name, ResultFolder.RunName(runSeed, reps, scenarioFile.Content), e) is not { } folder)
            {
                return CliApp.Failed;
            }
            using (folder)
            // Replications done, with their rate and the time left, on standard error when it is a terminal.
            using (var progress = ConsoleProgress.Start(e, definition.Name, reps, "replications"))
            {
                var done = new ReplicationCounter(progress);
                var target = new ExportTarget(folder.StagingPath);
                // Each replication streams its call log to a part in the staging folder; calls.csv is written from the
                // parts in replication order, and the folder is gone before the results are swapped in.
                var callLogs = keepCallLog ? new CallLogFolder(Path.Combine(folder.StagingPath, CallLogPartsFolder)) : null;
                var writers = new List<IReplicationWriter>();
                try
                {
                    return await CommandGuard.Guard(folder, progress, async () =>
                    {
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
                                OnReplication: keepCallLog ? r => writers.ForEach(w => w.Add(r)) : null,
                                Progress: done,
                                OnKpis: writers.Count == 0 ? null : k => writers.ForEach(w => w.Add(k)),
                                CallLogs: callLogs);
                            var clock = Stopwatch.StartNew();
                            var (run, siloStart) = await prepared.RunAsync(
                                host => ReplicationPipeline.RunAsync(host, definition, runSeed, reps, keepCallLog ? ReplicationOutput.CallLog : ReplicationOutput.Kpis, sink, cancellation),
                                cancellation,
                                PrepareCharts);
                            clock.Stop();
                            progress.Dispose();
                            var simulated = clock.Elapsed - siloStart;
                            DisposeAll(writers);
                            RemoveParts(callLogs);

                            ConsoleReport.Write(run, o, parse.GetValue(intervals));
                            if (chartsReady is not null)
                            {
                                await chartsReady;
                            }
                            var facts = RunFacts.Now(hostChoice.Name, simulated, typeof(RunCommand).Assembly);
                            Exporters.Export(new RunReport(run, facts, scenarioFile), target, exporters);
                            folder.Commit();
                            o.WriteLine();
                            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                                $"{run.Events:N0} events in {simulated.TotalSeconds:F2} s ({run.Events / Math.Max(simulated.TotalSeconds, 1e-9):N0} events/s){(siloStart > TimeSpan.Zero ? $", after {siloStart.TotalSeconds:F1} s of {(hostChoice.Cluster is null ? "silo start" : "connecting to the cluster")}" : "")}. Results: {folder.FinalPath}"));
                            if (target.Has(HtmlReport.FileName))
                            {
                                o.WriteLine("Report: " + Path.Combine(folder.FinalPath, HtmlReport.FileName));
                            }
                            return parse.GetValue(check) && !RunCheck.Passes(run, goal, e) ? CliApp.Failed : 0;
                        }
                        catch (Exception ex) when (!cancellation.IsCancellationRequested && ex is ChartFontsException or DllNotFoundException or TypeInitializationException)
                        {
                            progress.Dispose();
                            e.WriteLine($"error: charts cannot be drawn: {(ex is TypeInitializationException { InnerException: { } inner } ? inner.Message : ex.Message)}; no result was written (leave charts and report out of --format to write the other files).");
                            return CliApp.Failed;
                        }
                    }, () => string.Create(CultureInfo.InvariantCulture, $"interrupted: {done.Count} of {reps} replication(s) had finished; no result was written."), e, cancellation);
                }
                finally
                {
                    DisposeAll(writers);
                }
            }
        });
        return command;
    }

    /// <summary>The staging folder's subfolder of call log parts (hidden: never part of the results).</summary>
    private const string CallLogPartsFolder = ".call-log";

    /// <summary>Removes the call log parts' folder once calls.csv is written (each part is deleted as it is read).</summary>
    private static void RemoveParts(CallLogFolder? callLogs)
    {
        if (callLogs is not null && Directory.Exists(callLogs.Folder))
        {
            Directory.Delete(callLogs.Folder, recursive: true);
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
