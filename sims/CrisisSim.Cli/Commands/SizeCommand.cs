using System.CommandLine;
using System.Globalization;
using System.Text;
using CrisisSim.Engine;
using CrisisSim.Planning;
using CrisisSim.Reporting;
using CrisisSim.Scenarios;

namespace CrisisSim.Cli.Commands;

/// <summary><c>crisissim size SCENARIO… --seats KEY=RANGE</c>: over a scenario ensemble, the probability of meeting the
/// SLA for each number of committed (and on-demand) seats, their cost and penalties, and the seats to propose at a risk
/// level.</summary>
public static class SizeCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("scenarios") { Description = "Scenario files of the ensemble (equally likely).", Arity = ArgumentArity.OneOrMore };
        var sets = SweepCommand.SetOption("Ensemble over a key of the files (surge magnitude, shape …): KEY=A..B:STEP or KEY=V1,V2,...; each point is one more scenario of the ensemble.");
        var seats = new Option<string>("--seats") { Description = "Committed seats: a group's key and its values, such as groups.agents.staffing=20..60:5.", Required = true };
        var onDemand = new Option<string?>("--on-demand") { Description = "On-demand seats: a group's key and its values, such as groups.provider.staffing=0..40:10 (default: none)." };
        var choose = new Option<string[]>("--option") { Description = "Another term to choose, such as groups.provider.activation.delay=4h,2h,1h: every combination with the seats is an option; at equal cost the values listed first are preferred.", AllowMultipleArgumentsPerToken = false };
        var risk = InvariantNumber.Option("--risk", "Probability of meeting the SLA every day the proposal must reach with the chosen confidence (the lower end of its interval), in (0, 1] (default 0.9, or the contract file's).");
        var confidence = InvariantNumber.Option("--confidence", "Confidence level of every probability's and expected cost's interval and of the recommendation, in (0, 1) (default: 0.95).");
        var contract = new Option<string?>("--contract") { Description = "A contract file: costs, activation fee, penalties, risk (see README)." };
        var committedCost = InvariantNumber.Option("--committed-cost", "Cost of a committed seat per hour (default: the contract file's, else the group's costPerHour).");
        var onDemandCost = InvariantNumber.Option("--on-demand-cost", "Cost of an on-demand operator per hour on duty (default: the contract file's, else the group's costPerHour).");
        var fee = InvariantNumber.Option("--activation-fee", "Fee per scenario in which on-demand seats are activated (default: the contract file's, else 0).");
        var penalty = InvariantNumber.Option("--penalty", "Penalty per interval below the SLA (default: the contract file's, else 0).");
        var dayPenalty = InvariantNumber.Option("--day-penalty", "Penalty per day below the SLA (default: the contract file's, else 0).");
        var planning = new PlanningOptions(defaultReplications: 10);
        var command = new Command("size", "Size a contract over a scenario ensemble: risk of missing the SLA and cost for each number of committed and on-demand seats.")
        {
            files, sets, seats, onDemand, choose, risk, confidence, contract, committedCost, onDemandCost, fee, penalty, dayPenalty,
        };
        planning.AddTo(command);
        planning.SetAction(command, async (parse, context, cancellation) =>
        {
            var (settings, prepared, o, e) = context;
            var paths = parse.GetValue(files)!;
            SizingRequest request;
            try
            {
                if (paths.Length > PlanningLimits.MaxEnsembleFiles)
                {
                    throw new PlanningException(string.Create(CultureInfo.InvariantCulture, $"{paths.Length} scenario files; the limit is {PlanningLimits.MaxEnsembleFiles}"));
                }
                var terms = parse.GetValue(contract) is { } contractPath ? ContractTerms.Load(contractPath) : new ContractTerms();
                if (parse.GetValue(committedCost) is { } cc)
                {
                    terms = terms with { CommittedCostPerHour = ContractTerms.CheckMoney(cc, "--committed-cost") };
                }
                if (parse.GetValue(onDemandCost) is { } oc)
                {
                    terms = terms with { OnDemandCostPerHour = ContractTerms.CheckMoney(oc, "--on-demand-cost") };
                }
                if (parse.GetValue(fee) is { } f)
                {
                    terms = terms with { ActivationFee = ContractTerms.CheckMoney(f, "--activation-fee") };
                }
                if (parse.GetValue(penalty) is { } p)
                {
                    terms = terms with { PenaltyPerInterval = ContractTerms.CheckMoney(p, "--penalty") };
                }
                if (parse.GetValue(dayPenalty) is { } dp)
                {
                    terms = terms with { PenaltyPerDay = ContractTerms.CheckMoney(dp, "--day-penalty") };
                }
                var level = parse.GetValue(risk) ?? terms.Risk ?? 0.9;
                if (!(level > 0 && level <= 1))
                {
                    throw new PlanningException(string.Create(CultureInfo.InvariantCulture, $"--risk must be a probability above 0 and at most 1, such as 0.9 (got {level})"));
                }
                var confidenceLevel = parse.GetValue(confidence) ?? 0.95;
                if (!(confidenceLevel is > 0 and < 1))
                {
                    throw new PlanningException(string.Create(CultureInfo.InvariantCulture, $"--confidence must be between 0 and 1, exclusive (got {confidenceLevel})"));
                }
                var committedAxis = SweepAxis.Parse(parse.GetValue(seats)!, "--seats");
                SizingRequest.GroupOf(committedAxis, "--seats");
                SizingRequest.Seats(committedAxis, "--seats");
                SweepAxis? onDemandAxis = null;
                if (parse.GetValue(onDemand) is { } od)
                {
                    onDemandAxis = SweepAxis.Parse(od, "--on-demand");
                    SizingRequest.GroupOf(onDemandAxis, "--on-demand");
                    SizingRequest.Seats(onDemandAxis, "--on-demand");
                    if (onDemandAxis.Key == committedAxis.Key)
                    {
                        throw new PlanningException("--seats and --on-demand set the same key");
                    }
                }
                var choices = (parse.GetValue(choose) ?? []).Select(c => SweepAxis.Parse(c, "--option")).ToList();
                if (choices.Count > PlanningLimits.MaxSettings)
                {
                    throw new PlanningException(string.Create(CultureInfo.InvariantCulture, $"{choices.Count} --option options; the limit is {PlanningLimits.MaxSettings}"));
                }
                var optionCount = new SweepGrid([committedAxis, .. onDemandAxis is null ? Array.Empty<SweepAxis>() : [onDemandAxis], .. choices]).Count;
                var setList = parse.GetValue(sets) ?? [];
                if (SweepCommand.ReadGrid(setList, settings.Replications, e, optionCount * paths.Length) is not { } grid)
                {
                    return CliApp.BadInput;
                }
                if (grid.Axes.Any(a => a.Key == committedAxis.Key || a.Key == onDemandAxis?.Key || choices.Any(c => c.Key == a.Key)))
                {
                    throw new PlanningException("a --set key is also the key of --seats, --on-demand or --option");
                }
                var members = new List<SizingMember>();
                foreach (var path in paths)
                {
                    var text = ScenarioSettings.ReadFile(path);
                    for (var i = 0; i < grid.Count; i++)
                    {
                        members.Add(new SizingMember(path, text, grid.Point(i)));
                    }
                }
                request = new SizingRequest(members, committedAxis, onDemandAxis, terms, level, choices, confidenceLevel);
                Sizing.Validate(request);
            }
            catch (PlanningException ex)
            {
                e.WriteLine($"error: {ex.Message}.");
                return CliApp.BadInput;
            }
            catch (ScenarioException ex)
            {
                foreach (var error in ex.Errors)
                {
                    e.WriteLine($"error: {error}");
                }
                return CliApp.BadInput;
            }

            static string Axis(SweepAxis? a) => a is null ? "" : a.Key + "=" + string.Join(",", a.Values);
            var t = request.Terms;
            var identity = Encoding.UTF8.GetBytes(string.Join("\n", request.Members.Select(m => m.YamlText + "\n" + string.Join(",", m.Settings)))
                + "\n" + string.Join("\n", request.Options.Axes.Select(Axis)) + string.Create(CultureInfo.InvariantCulture,
                    $"\n{request.Risk:R} {t.CommittedCostPerHour:R} {t.OnDemandCostPerHour:R} {t.ActivationFee:R} {t.PenaltyPerInterval:R} {t.PenaltyPerDay:R}")
                // The default level adds nothing, so that a sizing run before --confidence existed keeps its folder.
                + (request.Confidence == 0.95 ? "" : string.Create(CultureInfo.InvariantCulture, $" confidence {request.Confidence:R}")));
            var name = Path.GetFileNameWithoutExtension(paths[0]);
            if (CommonOptions.CreateResultFolder(settings.Output, ScenarioLoader.Parse(request.Members[0].YamlText, paths[0]).Name,
                    "size-" + ResultFolder.RunName(settings.Seed, settings.Replications, identity), e) is not { } folder)
            {
                return CliApp.Failed;
            }
            using (folder)
            using (var display = ConsoleProgress.Start(e, "size: 0 scenarios run", (long)Sizing.OptionCount(request) * request.Members.Count * settings.Replications, "replications"))
            {
                var done = 0;
                var total = Sizing.OptionCount(request) * request.Members.Count;
                return await CommandGuard.Guard(folder, display, async () =>
                {
                    var progress = new Reporter<PlanProgress>(p =>
                    {
                        done = p.PointsDone;
                        display.Update(p.ReplicationsDone, p.Replications, string.Create(CultureInfo.InvariantCulture, $"size: {p.PointsDone}/{p.Points} scenarios run"));
                    });
                    var (result, _) = await prepared.RunAsync(
                        host => Sizing.RunAsync(request, host, settings.Seed, settings.Replications, progress, cancellation), cancellation);
                    display.Dispose();
                    o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{name}: {Sizing.OptionCount(request)} option(s) x {request.Members.Count} scenario(s), {settings.Replications} replication(s) each, seed {settings.Seed}"));
                    o.WriteLine();
                    SizingReport.WriteMarkdown(result, o);
                    SizingReport.WriteFiles(result, new ExportTarget(folder.StagingPath), e);
                    folder.Commit();
                    o.WriteLine();
                    o.WriteLine($"Results: {folder.FinalPath}");
                    return 0;
                }, () => string.Create(CultureInfo.InvariantCulture, $"interrupted: {done} of {total} scenario run(s) had finished; no result was written."), e, cancellation);
            }
        });
        return command;
    }
}
