using System.CommandLine;
using System.Globalization;
using System.Text;
using CrisisSim.Engine;
using CrisisSim.Inputs;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;
using CrisisSim.Reporting;
using CrisisSim.Reporting.Planning;
using CrisisSim.Scenarios;
using CrisisSim.Traces;

namespace CrisisSim.Cli.Commands;

/// <summary><c>crisissim replay TRACE --scenario S</c>: the scenario (fitted from the log, or any one-day scenario from
/// midnight) simulated beside what the log shows, interval by interval of the day: offered, answered, abandonment, mean
/// wait of the answered calls, operators busy; <c>--set</c> changes the scenario first (what if we had had…).</summary>
public static class ReplayCommand
{
    /// <summary>Recorded calls a trace-driven replay holds at most (16 bytes each as read, 20 once a day's run is built:
    /// about 200 MB): the limit keeps its memory bounded whatever the size of the log.</summary>
    public const int MaxRecordedCalls = 10_000_000;

    public static Command Create()
    {
        var trace = new Argument<string>("trace") { Description = "Path of the call log." };
        var scenario = new Option<string>("--scenario") { Description = "The scenario to replay: one day from 00:00 (as crisissim fit writes it), its call types named as in the log.", Required = true };
        var format = new Option<string>("--format") { Description = "The call log's format: anonymous-bank or csv.", DefaultValueFactory = _ => "anonymous-bank" };
        format.AcceptOnlyFromAmong("anonymous-bank", "csv");
        var days = new Option<string?>("--days") { Description = "The days of the week observed (default: sun-thu for anonymous-bank, mon-fri for csv)." };
        var traceDriven = new Option<bool>("--trace-driven") { Description = "Replay the recorded calls themselves, day by day (each day of the log a run of --replications), instead of the scenario's arrival process: their arrival times, the talk time of each answered call, the patience of each abandoned call (its time in queue), and for each answered call a patience drawn above its time in queue; what the log did not observe comes from the scenario." };
        var sets = SweepCommand.SetOption("What if: KEY=VALUE changes the scenario before it runs (one value per key; repeat for several keys).");
        var planning = new PlanningOptions(defaultReplications: 20);
        var command = new Command("replay", "Simulate a scenario against the day a call log recorded, interval by interval: offered, answered, abandonment, waits and operators busy, observed beside simulated (with --set: what if).")
        {
            trace, scenario, format, days, traceDriven, sets,
        };
        planning.AddTo(command);
        planning.SetAction(command, async (parse, context, cancellation) =>
        {
            var (settings, prepared, o, e) = context;
            var tracePath = parse.GetValue(trace)!;
            var path = parse.GetValue(scenario)!;
            var fmt = parse.GetValue(format) == "csv" ? TraceFormat.Csv : TraceFormat.AnonymousBank;
            if (SweepCommand.ReadGrid(parse.GetValue(sets) ?? [], settings.Replications, e) is not { } grid)
            {
                return CliApp.BadInput;
            }
            if (grid.Count > 1)
            {
                e.WriteLine("error: replay takes one value per --set (a what-if); to compare several, run sweep.");
                return CliApp.BadInput;
            }
            if (TraceCommands.ParseDays(parse.GetValue(days) ?? (fmt == TraceFormat.AnonymousBank ? "sun,mon,tue,wed,thu" : "mon,tue,wed,thu,fri"), e) is not { } daySet)
            {
                return CliApp.BadInput;
            }
            string text;
            ScenarioDefinition definition;
            var what = grid.Count == 1 ? grid.Point(0) : [];
            try
            {
                text = ScenarioSettings.ReadFile(path);
                definition = ScenarioSettings.Parse(text, path, what);
            }
            catch (ScenarioException ex)
            {
                foreach (var error in ex.Errors)
                {
                    e.WriteLine($"error: {error}");
                }
                return CliApp.BadInput;
            }
            var seconds = definition.IntervalSeconds;
            if (definition.ClockStartSeconds % 86_400 != 0 || Math.Abs(seconds * definition.IntervalCount - 86_400) > 1e-6)
            {
                e.WriteLine(Printable.Escape($"error: {path}: replay compares one day from 00:00 (start \"00:00\", intervals x interval = 24 h, as crisissim fit writes); this scenario is {definition.IntervalCount} x {seconds:F0} s."));
                return CliApp.BadInput;
            }
            var types = definition.CallTypes.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            var report = new TraceReport();
            (IReadOnlyList<ObservedInterval> Intervals, int Days) observed;
            var recorded = new SortedDictionary<DateTime, Dictionary<string, RecordedCallList>>();
            var driven = parse.GetValue(traceDriven);
            try
            {
                var records = TraceReader.Read(tracePath, fmt, report);
                if (driven)
                {
                    // The recorded calls of each day, kept (16 bytes a call) for the runs of the days.
                    var kept = 0;
                    records = records.Select(r =>
                    {
                        if (r.Outcome != TraceOutcome.Phantom && types.Contains(r.CallType) && daySet.Contains(r.Arrival.DayOfWeek))
                        {
                            if (!recorded.TryGetValue(r.Arrival.Date, out var day))
                            {
                                recorded[r.Arrival.Date] = day = new Dictionary<string, RecordedCallList>(StringComparer.Ordinal);
                            }
                            if (!day.TryGetValue(r.CallType, out var calls))
                            {
                                day[r.CallType] = calls = new RecordedCallList();
                            }
                            if (++kept > MaxRecordedCalls)
                            {
                                throw new TraceFormatException(tracePath, report.Rows + 1, string.Create(CultureInfo.InvariantCulture,
                                    $"a trace-driven replay holds at most {MaxRecordedCalls:N0} recorded calls; choose fewer days with --days, or replay the fitted scenario without --trace-driven"));
                            }
                            calls.Add(r);
                        }
                        return r;
                    });
                }
                observed = TraceObservation.Observe(records, daySet, types, (int)seconds);
            }
            catch (Exception ex) when (ex is InputFileException or TraceFormatException)
            {
                e.WriteLine(Printable.Escape("error: " + (ex is InputFileException input ? $"{input.Path}: {input.Reason}" : ex.Message)));
                return CliApp.BadInput;
            }
            if (observed.Days == 0)
            {
                e.WriteLine(Printable.Escape($"error: {tracePath}: no call of the scenario's call types ({string.Join(", ", types)}) on the chosen days."));
                return CliApp.BadInput;
            }
            var identity = Encoding.UTF8.GetBytes(text + "\n" + string.Join("\n", what.Select(s => s.Key + "=" + s.Value)) + "\n" + Path.GetFullPath(tracePath) + (driven ? "\ntrace-driven" : ""));
            if (CommonOptions.CreateResultFolder(settings.Output, definition.Name, "replay-" + ResultFolder.RunName(settings.Seed, settings.Replications, identity), e) is not { } folder)
            {
                return CliApp.Failed;
            }
            using (folder)
            using (var display = ConsoleProgress.Start(e, "replay", settings.Replications, "replications"))
            {
                return await CommandGuard.Guard(folder, display, async () =>
                {
                    IReadOnlyList<RunResult> runs;
                    if (driven)
                    {
                        // One point per recorded day: the scenario with that day's recorded calls, the same replications of
                        // the seed for every day. A day's calls move from the lists read to its scenario when its turn comes.
                        var dates = recorded.Keys.ToArray();
                        var points = dates.Select(date => new PlanPoint(() => definition with
                        {
                            CallTypes = [.. definition.CallTypes.Select(t => t with
                            {
                                Arrivals = TraceDriven(
                                    recorded[date].Remove(t.Name, out var calls) ? calls.TakeArrays() : RecordedCallArrays.Empty,
                                    string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(tracePath)} {date:yyyy-MM-dd}")),
                            })],
                        })).ToList();
                        var done = new RunResult[points.Count];
                        await prepared.RunAsync(async host =>
                        {
                            await ReplicationPipeline.RunPointsAsync(host, points, settings.Seed, settings.Replications, p => done[p.Index] = p.Run, null, cancellation);
                            return done.Length;
                        }, cancellation);
                        runs = done;
                    }
                    else
                    {
                        var (run, _) = await prepared.RunAsync(host => ReplicationPipeline.RunAsync(host, definition, settings.Seed, settings.Replications, ReplicationOutput.Kpis, null, cancellation), cancellation);
                        runs = [run];
                    }
                    display.Dispose();
                    var rows = observed.Intervals.Select(ob =>
                    {
                        var sim = runs.Select(r => ReplayReport.Simulated(r.Intervals[ob.Index].Kpis, seconds)).ToArray();
                        return new ReplayRow(ob.Index, ob.Index * seconds, ob.Offered, ob.Answered, ob.AbandonmentRate, ob.MeanWaitAnswered, ob.OperatorsBusy,
                            ReplayReport.MeanOverDays(sim.Select(s => s.Offered)), ReplayReport.MeanOverDays(sim.Select(s => s.Answered)),
                            ReplayReport.MeanOverDays(sim.Select(s => s.AbandonmentRate)), ReplayReport.MeanOverDays(sim.Select(s => s.MeanWait)),
                            sim.Average(s => s.Busy));
                    }).ToArray();
                    var title = new ReplayTitle(definition.Name, driven ? runs.Count : null, [.. what.Select(s => s.Key + "=" + s.Value)],
                        settings.Replications, settings.Seed, observed.Days, Path.GetFileName(tracePath), report.Records, report.Malformed);
                    o.WriteLine(title.Line);
                    ReplayReport.WriteTable(rows, o);
                    o.WriteLine(ReplayReport.GapSentence(rows));
                    ReplayReport.WriteCsv(rows, Path.Combine(folder.StagingPath, "replay.csv"));
                    // The charts made once, for charts/ and for report.html.
                    IReadOnlyList<Chart>? charts = null;
                    IReadOnlyList<Chart> Charts() => charts ??= ReplayCharts.Of(rows, seconds);
                    var target = new ExportTarget(folder.StagingPath);
                    PlanningCharts.Write(Charts, target, e);
                    ReplayReport.WriteHtml(title, rows, Charts, target);
                    folder.Commit();
                    o.WriteLine($"Results: {folder.FinalPath}");
                    return 0;
                }, () => "interrupted: no result was written.", e, cancellation);
            }
        });
        return command;
    }

    /// <summary>A day's recorded calls as the model replays them: at their times, each with its recorded talk time and
    /// patience where the log observed them (see <see cref="Model.Components.RecordedCalls"/>).</summary>
    public static RecordedArrivalSpec TraceDriven(RecordedCallArrays calls, string source) => new(calls.TimesSeconds, source)
    {
        HandleSeconds = calls.HandleSeconds,
        PatienceSeconds = calls.PatienceSeconds,
        PatienceAtLeastSeconds = calls.PatienceAtLeastSeconds,
    };
}
