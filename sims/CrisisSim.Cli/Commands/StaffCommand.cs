using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using CrisisSim.Planning;
using CrisisSim.Reporting;
using CrisisSim.Scenarios;

namespace CrisisSim.Cli.Commands;

/// <summary><c>crisissim staff SCENARIO</c>: the fewest operators per interval meeting the service targets in every
/// interval (iterative staffing algorithm), as a table and as a scenario ready to run.</summary>
public static class StaffCommand
{
    public static Command Create()
    {
        var scenario = CommonOptions.ScenarioArgument();
        var groups = new Option<string[]>("--group", "-g") { Description = "A group to staff (repeat for several); default: the scenario's only group. The other groups keep their staffing.", AllowMultipleArgumentsPerToken = false };
        var targets = new TargetOptions();
        var planning = new PlanningOptions(defaultReplications: 10);
        var iterations = new Option<int>("--max-iterations") { Description = "Most iterations of the algorithm.", DefaultValueFactory = _ => PlanningLimits.DefaultIterations };
        var failOnMiss = new Option<bool>("--fail-on-miss", "--check") { Description = "Exit with 1 when an interval misses the targets on the verification seed, or the search did not converge." };
        var confidence = InvariantNumber.Option("--confidence", "Confidence level of every interval's confidence interval and of the precision asked for, in (0, 1) (default: 0.95).");
        var maxReplications = new Option<int>("--max-replications") { Description = "Most replications of one evaluation: from -r, the replications grow until each interval's estimate tells its staffing from one operator less, or this many have run.", DefaultValueFactory = _ => PlanningLimits.DefaultMaxReplications };
        var verifyRounds = new Option<int>("--verify-rounds") { Description = "Most rounds of verification on a seed derived from --seed (operators are added where the plan misses there, then it is verified again); 0: no verification.", DefaultValueFactory = _ => PlanningLimits.DefaultVerificationRounds };
        var command = new Command("staff", "Find the fewest operators per interval that meet the service targets in every interval (iterative staffing algorithm), "
            + "then verify the plan on a seed the search did not use. \"Meets\" means met in expectation in each interval, verified at the stated confidence; "
            + "a single day can still miss (size gives the risk).")
        {
            scenario, groups, iterations, failOnMiss, confidence, maxReplications, verifyRounds,
        };
        targets.AddTo(command);
        planning.AddTo(command);
        planning.SetAction(command, async (parse, context, cancellation) =>
        {
            var (settings, prepared, o, e) = context;
            var maxIterations = parse.GetValue(iterations);
            if (maxIterations is < 1 or > PlanningLimits.MaxIterations)
            {
                e.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: --max-iterations must be from 1 to {PlanningLimits.MaxIterations} (got {maxIterations})."));
                return CliApp.BadInput;
            }
            var level = parse.GetValue(confidence) ?? 0.95;
            if (!(level is > 0 and < 1))
            {
                e.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: --confidence must be between 0 and 1, exclusive (got {level})."));
                return CliApp.BadInput;
            }
            var mostReplications = Math.Max(parse.GetValue(maxReplications), settings.Replications);
            if (mostReplications > RunLimits.MaxReplications)
            {
                e.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: --max-replications must be at most {RunLimits.MaxReplications:N0} (got {mostReplications})."));
                return CliApp.BadInput;
            }
            var rounds = parse.GetValue(verifyRounds);
            if (rounds is < 0 or > PlanningLimits.MaxVerificationRounds)
            {
                e.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: --verify-rounds must be from 0 to {PlanningLimits.MaxVerificationRounds} (got {rounds})."));
                return CliApp.BadInput;
            }
            var staffingSettings = new StaffingSettings(settings.Replications, settings.Seed, maxIterations)
            {
                Confidence = level,
                MaxReplications = mostReplications,
                VerificationRounds = rounds,
            };
            var path = parse.GetValue(scenario)!;
            string text;
            CrisisSim.Model.Scenario.ScenarioDefinition definition;
            try
            {
                text = ScenarioSettings.ReadFile(path);
                definition = ScenarioLoader.Parse(text, path);
            }
            catch (ScenarioException ex)
            {
                foreach (var error in ex.Errors)
                {
                    e.WriteLine($"error: {error}");
                }
                return CliApp.BadInput;
            }
            if (targets.Read(parse, definition, e) is not { } goal)
            {
                return CliApp.BadInput;
            }
            StaffingProblem problem;
            try
            {
                problem = new StaffingProblem(definition, parse.GetValue(groups) ?? [], goal);
            }
            catch (PlanningException ex)
            {
                e.WriteLine($"error: {ex.Message}.");
                return CliApp.BadInput;
            }

            var identity = Encoding.UTF8.GetBytes(text + "\n" + string.Create(CultureInfo.InvariantCulture,
                $"{goal.ServiceLevel:R} {goal.ThresholdSeconds:R} {goal.MaxAbandonment:R} {goal.MaxAsaSeconds:R} {problem.StaffedNames} {maxIterations} {level:R} {mostReplications} {rounds}"));
            if (CommonOptions.CreateResultFolder(settings.Output, definition.Name, "staff-" + ResultFolder.RunName(settings.Seed, settings.Replications, identity), e) is not { } folder)
            {
                return CliApp.Failed;
            }
            using (folder)
            using (var display = ConsoleProgress.Start(e, $"staff: iteration 1/{maxIterations}", settings.Replications, "replications"))
            {
                var iteration = 0;
                return await CommandGuard.Guard(folder, display, async () =>
                {
                    var progress = new Reporter<StaffingProgress>(p =>
                    {
                        iteration = p.Iteration;
                        display.Update(p.ReplicationsDone, p.Replications, p.VerificationRound > 0
                            ? string.Create(CultureInfo.InvariantCulture, $"staff: verification round {p.VerificationRound}")
                            : string.Create(CultureInfo.InvariantCulture,
                                $"staff: iteration {p.Iteration}/{p.MaxIterations}{(p.Iteration > 1 ? $", {p.IntervalsMissed} interval(s) missed last time" : "")}"));
                    });
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    var ((result, planRun), _) = await prepared.RunAsync(async host =>
                    {
                        var found = await IterativeStaffing.RunAsync(problem, host, staffingSettings, progress, cancellation);
                        // The scenario's own plan, with the same random numbers, to draw against the staffing found.
                        var plan = await ReplicationPipeline.RunAsync(host, definition, settings.Seed, settings.Replications, ReplicationOutput.Kpis, null, cancellation);
                        return (found, plan);
                    }, cancellation);
                    clock.Stop();
                    display.Dispose();

                    var staffedText = ScenarioText.WithStaffing(text, path, Enumerable.Range(0, problem.StaffedGroups.Count)
                        .ToDictionary(i => definition.Groups[problem.StaffedGroups[i]].Name, i => (IReadOnlyList<int>)result.Staffing[i]));
                    // The file written must be the staffing found: read it back as a run would.
                    var reread = ScenarioLoader.Parse(staffedText, path);
                    for (var i = 0; i < problem.StaffedGroups.Count; i++)
                    {
                        if (!reread.Groups[problem.StaffedGroups[i]].Staffing.SequenceEqual(result.Staffing[i]))
                        {
                            throw new InvalidOperationException($"The scenario written for group {reread.Groups[problem.StaffedGroups[i]].Name} does not hold the staffing found");
                        }
                    }
                    StaffingReport.WriteTable(result, o);
                    var target = new ExportTarget(folder.StagingPath);
                    StaffingReport.WriteFiles(result, staffedText, target);
                    StaffingReport.WritePlanReport(result, planRun, new ScenarioFile(path, Encoding.UTF8.GetBytes(text)), RunFacts.Now(settings.Host.Name, clock.Elapsed), target, e);
                    folder.Commit();
                    o.WriteLine($"Results: {folder.FinalPath} (scenario.yaml: the scenario with this staffing; plan/report.html: the scenario's own plan against it)");
                    return parse.GetValue(failOnMiss) && (result.IntervalsMissed > 0 || !result.Converged) ? CliApp.Failed : 0;
                }, () => string.Create(CultureInfo.InvariantCulture, $"interrupted in iteration {iteration}; no result was written."), e, cancellation);
            }
        });
        return command;
    }
}
