using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CrisisSim.Engine;
using CrisisSim.Grains;
using CrisisSim.Model.Scenario;
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

        var command = new Command("run", "Run a scenario and report service level, waits, abandonment and occupancy, overall and per interval.")
        {
            scenario, seed, replications, output, intervals, calls, parallelism, engine, host,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var o = parse.InvocationConfiguration.Output;
            var e = parse.InvocationConfiguration.Error;
            var reps = parse.GetValue(replications);
            if (reps < 1)
            {
                e.WriteLine($"error: --replications must be at least 1 (got {reps}).");
                return CliApp.BadInput;
            }
            var threads = parse.GetValue(parallelism);
            if (threads < 0)
            {
                e.WriteLine($"error: --parallelism must be 0 (one per core) or more (got {threads}).");
                return CliApp.BadInput;
            }
            var definition = CommonOptions.LoadScenario(parse.GetValue(scenario)!, e);
            if (definition is null)
            {
                return CliApp.BadInput;
            }
            var runSeed = parse.GetValue(seed);
            var keepCalls = parse.GetValue(calls);
            var engineName = parse.GetValue(engine)!;
            var hostName = parse.GetValue(host)!;
            if (hostName == "process" && engineName != "inline")
            {
                e.WriteLine("error: --host process runs only the inline engine; use --host silo with --engine grains.");
                return CliApp.BadInput;
            }

            var clock = Stopwatch.StartNew();
            var siloStart = TimeSpan.Zero;
            RunResult run;
            if (hostName == "process")
            {
                run = SimulationRunner.RunInline(definition, runSeed, reps, keepCalls, threads);
            }
            else
            {
                (run, siloStart) = await RunOnEmbeddedSilo(definition, runSeed, reps, keepCalls, threads, engineName, cancellation);
            }
            clock.Stop();
            var simulated = clock.Elapsed - siloStart;

            ConsoleReport.Write(run, o, parse.GetValue(intervals));
            var runId = string.Create(CultureInfo.InvariantCulture, $"seed{runSeed}-r{reps}");
            var folder = Path.Combine(parse.GetValue(output)!, definition.Name, runId);
            try
            {
                WriteResults(run, folder, keepCalls, hostName == "process" ? "process/inline" : "silo/" + engineName, simulated);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                e.WriteLine($"error: cannot write results to {folder}: {ex.Message}");
                return CliApp.BadInput;
            }
            o.WriteLine();
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{run.Events:N0} events in {simulated.TotalSeconds:F2} s ({run.Events / Math.Max(simulated.TotalSeconds, 1e-9):N0} events/s){(siloStart > TimeSpan.Zero ? $", after {siloStart.TotalSeconds:F1} s of silo start" : "")}. Results: {folder}"));
            return 0;
        });
        return command;
    }

    /// <summary>Starts an in-process silo, runs the replications on it as grains, and stops it.</summary>
    private static async Task<(RunResult Run, TimeSpan SiloStart)> RunOnEmbeddedSilo(
        ScenarioDefinition scenario, long seed, int replications, bool keepCalls, int parallelism, string engine, CancellationToken cancellation)
    {
        var start = Stopwatch.StartNew();
        using var silo = await EmbeddedSilo.StartAsync(cancellationToken: cancellation);
        var started = start.Elapsed;
        try
        {
            var grains = silo.GrainFactory();
            var run = engine == "grains"
                ? await GrainRunner.RunModelGrainsAsync(grains, scenario, seed, replications, keepCalls, parallelism, cancellation)
                : await GrainRunner.RunReplicationsAsync(grains, GrainRunner.NewRunId(scenario, seed), scenario, seed, replications, keepCalls, parallelism, cancellation);
            return (run, started);
        }
        finally
        {
            await silo.StopAsync(CancellationToken.None);
        }
    }

    public static void WriteResults(RunResult run, string folder, bool keepCalls, string host, TimeSpan elapsed)
    {
        Directory.CreateDirectory(folder);
        using (var summary = File.Create(Path.Combine(folder, "summary.json")))
        {
            SummaryJson.Write(run, summary);
        }
        using (var csv = new StreamWriter(Path.Combine(folder, "intervals.csv")))
        {
            IntervalsCsv.Write(run, csv);
        }
        if (keepCalls)
        {
            using var log = new StreamWriter(Path.Combine(folder, "calls.csv"));
            CallsCsv.Write(run, log);
        }
        // Facts about the execution, kept apart so that summary.json depends only on the scenario and seed.
        using var meta = File.Create(Path.Combine(folder, "run.json"));
        using var json = new Utf8JsonWriter(meta, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("host", host);
        json.WriteNumber("events", run.Events);
        json.WriteNumber("elapsedSeconds", Math.Round(elapsed.TotalSeconds, 3));
        json.WriteNumber("processors", Environment.ProcessorCount);
        json.WriteEndObject();
    }
}
