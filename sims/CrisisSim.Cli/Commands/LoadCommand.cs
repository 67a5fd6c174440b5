using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using CrisisSim.Engine;
using CrisisSim.Grains;
using CrisisSim.Inputs;
using CrisisSim.Model.Components;
using CrisisSim.Model.Routing;
using CrisisSim.Model.Scenario;
using CrisisSim.Reporting;

namespace CrisisSim.Cli.Commands;

/// <summary><c>crisissim load SCENARIO --speed N</c>: the scenario replayed live against the model's grains on the wall
/// clock scaled by the speed; the run's KPIs (the files of <c>run</c>) and the latency of the routing decisions
/// (<c>latency.csv</c>, <c>latency.json</c>), with thresholds as the exit code.</summary>
public static class LoadCommand
{
    public const double MinSpeed = 0.1;
    public const double MaxSpeed = 100_000;
    public const double DefaultSpeed = 100;
    public const double MaxWallSeconds = 24 * 3600;
    public const int MaxInFlightLimit = 50_000;
    public const int DefaultMaxInFlight = 1_000;
    public const int MaxWindows = 100_000;
    public const int MaxPercentiles = 10;

    public static Command Create()
    {
        var scenario = CommonOptions.ScenarioArgument();
        var speed = new Option<double>("--speed", "-x")
        {
            Description = string.Create(CultureInfo.InvariantCulture, $"Scaled seconds per wall-clock second, from {MinSpeed} to {MaxSpeed:0}: at 1000 a 10-hour day lasts 36 s (default {DefaultSpeed:0})."),
            DefaultValueFactory = _ => DefaultSpeed,
        };
        var duration = new Option<string?>("--duration", "-d")
        {
            Description = "Wall-clock time during which calls arrive (30s, 5m, 1h; at most 24h): the scenario's arrivals after duration x speed are cut; the calls offered by then are played to their end. Default: the whole scenario.",
        };
        var seed = new Option<long>("--seed", "-s") { Description = "Root seed of the run; every random stream is derived from it, as in a simulation.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out", "-o") { Description = "Folder for result files: OUT/<scenario>/<run-id>/.", DefaultValueFactory = _ => "results" };
        var window = new Option<string>("--window", "-w") { Description = "Wall-clock length of a window of the per-window latencies (100ms to 1h, default 5s).", DefaultValueFactory = _ => "5s" };
        var thresholds = new Option<string[]>("--threshold", "-t")
        {
            Description = $"A condition the run must meet, repeatable (at most {LoadThreshold.MaxCount}): \"p99<50ms\" (routing decision), \"next_call.p99<20ms\", \"setup.max<1s\", \"late<0.1%\", \"errors<1\"; a routing service's \"service_p99<20ms\", \"service_errors<1%\", \"service_timeouts<10\", \"fallbacks<0.5%\"; or any KPI: \"service_level>75%\", \"asa<30s\". Exit 1 when one is crossed.",
            AllowMultipleArgumentsPerToken = false,
        };
        var abortOnFail = new Option<bool>("--abort-on-fail") { Description = "Stop at the end of the first window where a latency, late or error threshold is crossed (exit 1, no result written). KPI thresholds are judged at the end." };
        var maxInFlight = new Option<int>("--max-in-flight")
        {
            Description = string.Create(CultureInfo.InvariantCulture, $"Grain calls in flight at most, from 1 to {MaxInFlightLimit:N0} (default {DefaultMaxInFlight:N0}): an event due beyond it waits, and its wait shows as lag and latency."),
            DefaultValueFactory = _ => DefaultMaxInFlight,
        };
        var lateAfter = new Option<string>("--late-after") { Description = "An event dispatched more than this after its intended time is late (0.1ms to 60s, default 10ms).", DefaultValueFactory = _ => "10ms" };
        var percentiles = new Option<string>("--percentiles")
        {
            Description = $"Latency percentiles reported, comma-separated, each above 0 and at most 100 (at most {MaxPercentiles}; default 50,90,95,99,99.9).",
            DefaultValueFactory = _ => "50,90,95,99,99.9",
        };
        var metrics = new Option<string?>("--metrics")
        {
            Description = $"Serve the run's metrics (meter {LiveMetrics.MeterName}, and Orleans' Microsoft.Orleans) to Prometheus at http://ADDRESS:PORT/metrics during the run; ADDRESS:PORT on a loopback address, like 127.0.0.1:9464.",
        };
        var dashboard = new Option<string?>("--dashboard")
        {
            Description = "Serve the Orleans dashboard at http://ADDRESS:PORT/ during the run; ADDRESS:PORT on a loopback address, like 127.0.0.1:8080.",
        };
        var findMax = new Option<bool>("--find-max")
        {
            Description = $"Raise the speed step by step from --speed (doubling, then halving the gap twice; at most {MaxFindSteps} runs of --duration each, 20s by default) and report the highest speed at which every threshold holds (default thresholds: {string.Join(", ", DefaultFindMaxThresholds)}).",
        };
        var allowPlugin = CommonOptions.AllowPluginOption(CommonOptions.RunAllowDescription);
        var allowHost = CommonOptions.AllowRoutingHostOption();
        var cluster = new ClusterOptionPair($"Run the live grains on a cluster of standalone silos (crisissim-silo) instead of an embedded silo: its membership table, {RedisAddress.Scheme}HOST:PORT. The run's grains stay together on one silo; this process drives the clock.");
        var command = new Command("load", "Replay a scenario live against the routing grains on the wall clock scaled by --speed: KPIs, decision latencies (p50 ... p99.9, per window), late events, thresholds as the exit code.")
        {
            scenario, speed, duration, seed, output, window, thresholds, abortOnFail, maxInFlight, lateAfter, percentiles, metrics, dashboard, findMax, allowPlugin, allowHost,
        };
        cluster.AddTo(command);
        command.SetAction(async (parse, cancellation) =>
        {
            var o = parse.InvocationConfiguration.Output;
            var e = parse.InvocationConfiguration.Error;
            var x = parse.GetValue(speed);
            if (!(x >= MinSpeed && x <= MaxSpeed))
            {
                e.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: --speed must be from {MinSpeed} to {MaxSpeed:0} (got {x})."));
                return CliApp.BadInput;
            }
            double? durationSeconds = null;
            if (parse.GetValue(duration) is { } durationText)
            {
                if (!TryWallDuration(durationText, out var d) || d < 1 || d > MaxWallSeconds)
                {
                    e.WriteLine($"error: --duration must be a wall-clock time from 1s to 24h, like 30s, 5m or 1h (got '{Printable.Escape(durationText)}').");
                    return CliApp.BadInput;
                }
                durationSeconds = d;
            }
            var windowText = parse.GetValue(window)!;
            if (!TryWallDuration(windowText, out var windowSeconds) || windowSeconds < 0.1 || windowSeconds > 3600)
            {
                e.WriteLine($"error: --window must be from 100ms to 1h, like 500ms, 5s or 1m (got '{Printable.Escape(windowText)}').");
                return CliApp.BadInput;
            }
            var lateText = parse.GetValue(lateAfter)!;
            if (!TryWallDuration(lateText, out var lateSeconds) || lateSeconds < 0.0001 || lateSeconds > 60)
            {
                e.WriteLine($"error: --late-after must be from 0.1ms to 60s, like 10ms (got '{Printable.Escape(lateText)}').");
                return CliApp.BadInput;
            }
            var inFlight = parse.GetValue(maxInFlight);
            if (inFlight is < 1 or > MaxInFlightLimit)
            {
                e.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: --max-in-flight must be from 1 to {MaxInFlightLimit:N0} (got {inFlight})."));
                return CliApp.BadInput;
            }
            if (ParsePercentiles(parse.GetValue(percentiles)!, e) is not { } reported)
            {
                return CliApp.BadInput;
            }
            var conditions = new List<LoadThreshold>();
            var texts = parse.GetValue(thresholds) ?? [];
            if (texts.Length > LoadThreshold.MaxCount)
            {
                e.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: --threshold may be given at most {LoadThreshold.MaxCount} times (got {texts.Length})."));
                return CliApp.BadInput;
            }
            foreach (var text in texts)
            {
                if (LoadThreshold.Parse(text, out var problem) is not { } threshold)
                {
                    e.WriteLine("error: " + Printable.Escape(problem));
                    return CliApp.BadInput;
                }
                conditions.Add(threshold);
            }
            // A percentile a threshold reads is measured even when not reported.
            var measured = reported.Concat(conditions.Where(c => c.Statistic.StartsWith('p')).Select(c => c.Percentile)).Distinct().ToArray();
            Uri? metricsAddress = null;
            if (parse.GetValue(metrics) is { } metricsText && (metricsAddress = MetricsEndpoint.Parse(metricsText, out var metricsProblem)) is null)
            {
                e.WriteLine("error: " + Printable.Escape(metricsProblem));
                return CliApp.BadInput;
            }
            if (!cluster.TryRead(parse, e, out var clusterSettings))
            {
                return CliApp.BadInput;
            }
            if (clusterSettings is not null && parse.GetValue(dashboard) is not null)
            {
                e.WriteLine("error: --dashboard serves the embedded silo's dashboard; with --cluster, run it beside a silo of the cluster.");
                return CliApp.BadInput;
            }
            Uri? dashboardAddress = null;
            if (parse.GetValue(dashboard) is { } dashboardText)
            {
                if ((dashboardAddress = MetricsEndpoint.ParseLoopback("--dashboard", dashboardText, out var dashboardProblem)) is null)
                {
                    e.WriteLine("error: " + Printable.Escape(dashboardProblem));
                    return CliApp.BadInput;
                }
                try
                {
                    LoopbackPorts.EnsureFree(dashboardAddress.Port);
                }
                catch (PortInUseException ex)
                {
                    e.WriteLine($"error: --dashboard {Printable.Escape(dashboardText)}: {ex.Message}");
                    return CliApp.BadInput;
                }
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
            var scenarioPath = parse.GetValue(scenario)!;
            var definition = CommonOptions.LoadScenario(scenarioPath, e);
            if (definition is null)
            {
                return CliApp.BadInput;
            }
            if (!definition.Routing.IsService && conditions.FirstOrDefault(c => c.IsService) is { } serviceThreshold)
            {
                e.WriteLine($"error: --threshold '{Printable.Escape(serviceThreshold.Text)}' reads the routing service, and the scenario's routing is {Printable.Escape(definition.Routing.ToString())}, not a service (routing: {{ service: URL }}).");
                return CliApp.BadInput;
            }
            var arrivalsScaled = Math.Min(definition.HorizonSeconds, durationSeconds is { } cut ? cut * x : double.PositiveInfinity);
            var wallEstimate = arrivalsScaled / x;
            if (wallEstimate > MaxWallSeconds)
            {
                e.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"error: --speed {x}: the scenario's {definition.HorizonSeconds / 3600:0.#} h would last {wallEstimate / 3600:0.#} h of wall-clock time, the limit is 24 h: raise --speed or cut the run with --duration."));
                return CliApp.BadInput;
            }
            if (wallEstimate / windowSeconds > MaxWindows)
            {
                e.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"error: --window {windowText}: about {wallEstimate / windowSeconds:N0} windows in a run of {wallEstimate:N0} s, the limit is {MaxWindows:N0}: choose a longer window."));
                return CliApp.BadInput;
            }
            if (parse.GetValue(findMax))
            {
                if (conditions.Count == 0)
                {
                    conditions.AddRange(DefaultFindMaxThresholds.Select(t => LoadThreshold.Parse(t, out _)!));
                    measured = [.. measured.Union(conditions.Where(c => c.Statistic.StartsWith('p')).Select(c => c.Percentile))];
                }
                if (definition.Routing.IsService && !measured.Contains(99))
                {
                    measured = [.. measured, 99]; // the table's service p99
                }
                var step = durationSeconds ?? 20;
                await using var onSilo = new PreparedHost(new HostChoice(HostOptions.Silo, HostOptions.ComponentGrains, 1, clusterSettings), e);
                return await FindMaxAsync(onSilo, definition, parse.GetValue(seed), x, step, conditions, new LiveOptions
                {
                    Speed = x,
                    MaxInFlight = inFlight,
                    LateAfter = TimeSpan.FromSeconds(lateSeconds),
                    Window = TimeSpan.FromSeconds(windowSeconds),
                    Percentiles = measured,
                }, o, e, cancellation);
            }
            ScenarioFile scenarioFile;
            try
            {
                scenarioFile = ScenarioFile.Read(scenarioPath);
            }
            catch (InputFileException ex)
            {
                e.WriteLine($"error: {ex.Message}");
                return CliApp.BadInput;
            }
            var exporters = Exporters.Select([.. Exporters.Defaults], out _)!;
            try
            {
                ChartFonts.Find(ChartFonts.SearchFolders());
            }
            catch (ChartFontsException ex)
            {
                e.WriteLine("warning: " + ex.Message + " The charts are left out; the report says why.");
                exporters = [.. exporters.Where(x => x is not ChartFiles)];
            }
            var runSeed = parse.GetValue(seed);
            var runName = string.Create(CultureInfo.InvariantCulture, $"load-x{x:0.###}-") + ResultFolder.RunName(runSeed, 1, scenarioFile.Content);
            if (CommonOptions.CreateResultFolder(outputRoot, definition.Name, runName, e) is not { } folder)
            {
                return CliApp.Failed;
            }
            var gatewayPort = dashboardAddress is null ? 0 : LoopbackPorts.Free();
            await using var prepared = new PreparedHost(
                new HostChoice(HostOptions.Silo, HostOptions.ComponentGrains, 1, clusterSettings),
                e,
                siloOptions: dashboardAddress is null ? null : DashboardHost.SiloOptions(PreparedHost.SiloOptions, gatewayPort));
            using var exporter = metricsAddress is null ? null : MetricsEndpoint.Start(metricsAddress, e);
            if (metricsAddress is not null && exporter is null)
            {
                folder.Dispose();
                return CliApp.BadInput;
            }
            using (folder)
            using (var progress = ConsoleProgress.Start(e, definition.Name, Math.Max(1, (long)arrivalsScaled), "scaled s"))
            {
                LatencyReport? soFar = null;
                var abortOn = parse.GetValue(abortOnFail) ? conditions.Where(c => c.IsLatency).ToArray() : [];
                var options = new LiveOptions
                {
                    Speed = x,
                    ArrivalsUntilSeconds = durationSeconds is { } d ? d * x : double.PositiveInfinity,
                    MaxInFlight = inFlight,
                    LateAfter = TimeSpan.FromSeconds(lateSeconds),
                    Window = TimeSpan.FromSeconds(windowSeconds),
                    Percentiles = measured,
                    OnTick = progress.Enabled ? t => progress.Update((long)Math.Min(t.ScaledSeconds, arrivalsScaled), description: TickLine(definition.Name, t)) : null,
                    OnWindow = abortOn.Length == 0 ? null : report =>
                    {
                        soFar = report;
                        return abortOn.All(c => c.Holds(c.Measure(report, null)) || c.Measure(report, null) is double.NaN);
                    },
                };
                return await CommandGuard.Guard(folder, progress, async () =>
                {
                    var clock = Stopwatch.StartNew();
                    LiveOutcome live;
                    TimeSpan siloStart;
                    try
                    {
                        (live, siloStart) = await prepared.RunOnSiloAsync(async grains =>
                        {
                            await using var board = dashboardAddress is null ? null : await DashboardHost.StartAsync(dashboardAddress, gatewayPort, cancellation);
                            if (board is not null)
                            {
                                e.WriteLine($"dashboard: {dashboardAddress}");
                            }
                            return await LiveRun.RunAsync(grains, definition, runSeed, options, cancellation);
                        }, cancellation);
                    }
                    catch (LiveRunStoppedException stopped)
                    {
                        progress.Dispose();
                        LatencyFiles.WriteSummary(Reported(stopped.Latency, reported), o);
                        foreach (var c in abortOn.Where(c => !c.Holds(c.Measure(stopped.Latency, null)) && c.Measure(stopped.Latency, null) is not double.NaN))
                        {
                            e.WriteLine($"threshold crossed: {c.Text} (measured {c.Format(c.Measure(stopped.Latency, null))}); stopped after {stopped.Latency.Facts.WallSeconds:F1} s (--abort-on-fail), no result was written.");
                        }
                        return CliApp.Failed;
                    }
                    clock.Stop();
                    progress.Dispose();
                    var accumulator = new RunAccumulator(definition, runSeed);
                    var kpis = RunAccumulator.Measure(definition, live.Replication, returnRecords: false);
                    accumulator.Add(kpis);
                    var run = accumulator.Finish();
                    var target = new ExportTarget(folder.StagingPath);
                    foreach (var exporter in exporters)
                    {
                        using var writer = exporter.Begin(definition, target);
                        writer?.Add(kpis);
                    }
                    ConsoleReport.Write(run, o, false);
                    o.WriteLine();
                    var latency = Reported(live.Latency, reported);
                    LatencyFiles.WriteSummary(latency, o);
                    var facts = RunFacts.Now(clusterSettings is null ? "silo/live" : "cluster/live", clock.Elapsed - siloStart, typeof(LoadCommand).Assembly);
                    Exporters.Export(new RunReport(run, facts, scenarioFile) { Latency = latency }, target, exporters);
                    LatencyFiles.Write(latency, target);
                    if (exporters.Any(x => x is ChartFiles))
                    {
                        foreach (var chart in LatencyCharts.Of(latency))
                        {
                            ChartFiles.Write(chart, target);
                        }
                    }
                    folder.Commit();
                    o.WriteLine("Results: " + folder.FinalPath);
                    var failed = 0;
                    foreach (var c in conditions)
                    {
                        var value = c.Measure(live.Latency, run);
                        var holds = c.Holds(value);
                        failed += holds ? 0 : 1;
                        o.WriteLine($"threshold {(holds ? "passed" : "crossed")}: {c.Text} (measured {c.Format(value)})");
                    }
                    return failed > 0 ? CliApp.Failed : 0;
                }, () => "interrupted: the live run was stopped; no result was written.", e, cancellation);
            }
        });
        return command;
    }

    public const int MaxFindSteps = 14;

    private const double WarmUpSeconds = 3;

    public static IReadOnlyList<string> DefaultFindMaxThresholds { get; } = ["p99<50ms", "late<0.1%"];

    /// <summary>Live runs of <paramref name="step"/> wall-clock seconds each at rising speeds, on one silo: doubling
    /// while every threshold holds, then twice halving the gap between the last speed that held and the first that did
    /// not. Exit 0 with the highest speed that held, 1 when none did. A scenario whose routing is a service has two more
    /// columns: the service's p99 latency in the step, and its fallbacks (of the decisions asked).</summary>
    private static async Task<int> FindMaxAsync(
        PreparedHost host, ScenarioDefinition scenario, long seed, double start, double step, IReadOnlyList<LoadThreshold> conditions,
        LiveOptions options, TextWriter o, TextWriter e, CancellationToken cancellation)
    {
        var service = scenario.Routing.IsService;
        var table = new ConsoleTable(
        [
            new ConsoleColumn("speed"), new ConsoleColumn("calls/s"), new ConsoleColumn("route p99 (ms)"), new ConsoleColumn("late"),
            new ConsoleColumn("sustained"),
            .. service ? [new ConsoleColumn("service p99 (ms)"), new ConsoleColumn("fallbacks")] : Array.Empty<ConsoleColumn>(),
            new ConsoleColumn("thresholds", ColumnAlign.Left),
        ]);
        double? best = null;
        double? failed = null;
        var runs = 0;
        try
        {
            var code = await host.RunOnSiloAsync(async grains =>
            {
                var speed = start;
                // Not judged: the first run compiles the grains' code and fills the silo's caches.
                var warm = await LiveRun.RunAsync(grains, scenario, seed, options with { Speed = start, ArrivalsUntilSeconds = WarmUpSeconds * start }, cancellation);
                table.AddRow(
                [
                    start.ToString("0.###", CultureInfo.InvariantCulture), "", "", warm.Latency.LateShare.ToString("P3", CultureInfo.InvariantCulture), "",
                    .. service ? ["", ""] : Array.Empty<string>(),
                    string.Create(CultureInfo.InvariantCulture, $"warm-up ({WarmUpSeconds:0} s of arrivals, not judged)"),
                ]);
                while (runs < MaxFindSteps && speed <= MaxSpeed)
                {
                    runs++;
                    // The arrivals are cut after the step; a scenario shorter than the step at this speed is played whole.
                    var live = await LiveRun.RunAsync(grains, scenario, seed, options with { Speed = speed, ArrivalsUntilSeconds = step * speed }, cancellation);
                    var accumulator = new RunAccumulator(scenario, seed);
                    accumulator.Add(RunAccumulator.Measure(scenario, live.Replication, returnRecords: false));
                    var run = accumulator.Finish();
                    var crossed = conditions.Where(c => !c.Holds(c.Measure(live.Latency, run))).ToArray();
                    var f = live.Latency.Facts;
                    var p99 = conditions.FirstOrDefault(c => c.Kind == LatencyKind.Route && c.Statistic == "p99") is { } t ? t.Measure(live.Latency, run) : double.NaN;
                    table.AddRow(
                    [
                        speed.ToString("0.###", CultureInfo.InvariantCulture),
                        (f.WallSeconds > 0 ? f.CallsOffered / f.WallSeconds : 0).ToString("N0", CultureInfo.InvariantCulture),
                        double.IsNaN(p99) ? "-" : p99.ToString("0.##", CultureInfo.InvariantCulture),
                        live.Latency.LateShare.ToString("P3", CultureInfo.InvariantCulture),
                        f.SustainedSpeed.ToString("0.#", CultureInfo.InvariantCulture) + "x",
                        .. service ? ServiceCells(live.Latency) : [],
                        crossed.Length == 0 ? "held" : "crossed: " + string.Join(", ", crossed.Select(c => $"{c.Text} ({c.Format(c.Measure(live.Latency, run))})")),
                    ]);
                    if (crossed.Length == 0)
                    {
                        best = speed;
                    }
                    else
                    {
                        failed = speed;
                    }
                    if (failed is null)
                    {
                        speed *= 2;
                    }
                    else if (best is null || failed.Value / best.Value < 1.2 || runs >= MaxFindSteps)
                    {
                        break;
                    }
                    else
                    {
                        speed = Math.Round((best.Value + failed.Value) / 2);
                        if (speed <= best.Value || speed >= failed.Value)
                        {
                            break;
                        }
                    }
                }
                return best is null ? CliApp.Failed : 0;
            }, cancellation);
            table.WritePlain(o);
            o.WriteLine(best is { } b
                ? string.Create(CultureInfo.InvariantCulture, $"highest speed at which every threshold held: {b:0.###}x ({string.Join(", ", conditions.Select(c => c.Text))}){(failed is { } ff ? $"; crossed at {ff:0.###}x" : "; the next step would pass the speed limit or the number of runs")}")
                : string.Create(CultureInfo.InvariantCulture, $"no speed from {start:0.###}x held every threshold ({string.Join(", ", conditions.Select(c => c.Text))})"));
            return code.Result;
        }
        catch (Exception) when (cancellation.IsCancellationRequested)
        {
            e.WriteLine($"interrupted: {runs} run(s) of --find-max had started; nothing was written.");
            return CliApp.Interrupted;
        }
        catch (UnstableReplicationException ex)
        {
            e.WriteLine($"error: {ex.Message}; --find-max stopped after {runs} run(s).");
            return CliApp.Unstable;
        }
        catch (Exception ex) when (ex is RoutingPolicyException or RoutingPluginException)
        {
            e.WriteLine($"error: {ex.Message}; --find-max stopped after {runs} run(s).");
            return CliApp.PluginFailed;
        }
    }

    /// <summary>The routing service's cells of a --find-max step: its p99 latency, and its fallbacks with their share of
    /// the decisions asked ("-" when nothing was counted).</summary>
    internal static string[] ServiceCells(LatencyReport latency)
    {
        if (latency.Service is not { Counted: true } service)
        {
            return ["-", "-"];
        }
        var s = service.Overall;
        var p99 = latency.Percentiles.ToList().IndexOf(99) is var i and >= 0 ? s.Percentiles[i] : double.NaN;
        return
        [
            double.IsNaN(p99) ? "-" : p99.ToString("0.##", CultureInfo.InvariantCulture),
            string.Create(CultureInfo.InvariantCulture, $"{s.Fallbacks:N0}") + (s.Asked == 0 ? "" : " (" + s.FallbackShare.ToString("0.##%", CultureInfo.InvariantCulture) + ")"),
        ];
    }

    private static string TickLine(string name, LiveTick t) => string.Create(CultureInfo.InvariantCulture,
        $"{name}: {t.OfferedPerSecond:N0} calls/s, p99 route {Ms(t.RouteP99Ms)} ms, lag {t.LagMs:0} ms, late {t.Late:N0}, answered in time {(t.Offered == 0 ? "-" : ((double)t.AnsweredWithinThreshold / t.Offered).ToString("P1", CultureInfo.InvariantCulture))} of offered")
        + (t.Service is { } s ? string.Create(CultureInfo.InvariantCulture, $", service p99 {Ms(s.P99Ms)} ms, fallbacks {s.Fallbacks:N0} of {s.Asked:N0}") : "");

    private static string Ms(double value) => double.IsNaN(value) ? "-" : value.ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>The report with only the percentiles asked for (those measured for a threshold alone are left out).</summary>
    private static LatencyReport Reported(LatencyReport report, double[] reported)
    {
        if (report.Percentiles.Count == reported.Length)
        {
            return report;
        }
        var keep = reported.Select(p => report.Percentiles.ToList().IndexOf(p)).ToArray();
        LatencyStats Trim(LatencyStats s) => s with { Percentiles = [.. keep.Select(i => s.Percentiles[i])] };
        ServiceStats TrimService(ServiceStats s) => s with { Percentiles = [.. keep.Select(i => s.Percentiles[i])] };
        return report with
        {
            Percentiles = reported,
            Overall = [.. report.Overall.Select(Trim)],
            Windows = [.. report.Windows.Select(w => w with { Kinds = [.. w.Kinds.Select(Trim)] })],
            Service = report.Service is { } service ? service with { Overall = TrimService(service.Overall), Windows = [.. service.Windows.Select(TrimService)] } : null,
        };
    }

    private static double[]? ParsePercentiles(string text, TextWriter e)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length > MaxPercentiles)
        {
            e.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: --percentiles takes at most {MaxPercentiles} values (got {parts.Length})."));
            return null;
        }
        var values = new List<double>();
        foreach (var part in parts)
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) || !(p > 0 && p <= 100))
            {
                e.WriteLine($"error: --percentiles: '{Printable.Escape(part)}' is not a percentile above 0 and at most 100 (e.g. 50,90,99,99.9).");
                return null;
            }
            if (!values.Contains(p))
            {
                values.Add(p);
            }
        }
        return [.. values];
    }

    /// <summary>A wall-clock duration: a number with ms, s, m or h (a plain number is seconds).</summary>
    internal static bool TryWallDuration(string text, out double seconds)
    {
        var t = text.Trim();
        var (number, scale) = t.EndsWith("ms", StringComparison.Ordinal) ? (t[..^2], 0.001)
            : t.EndsWith('s') ? (t[..^1], 1.0)
            : t.EndsWith('m') ? (t[..^1], 60.0)
            : t.EndsWith('h') ? (t[..^1], 3600.0)
            : (t, 1.0);
        seconds = double.NaN;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            return false;
        }
        seconds = value * scale;
        return true;
    }
}
