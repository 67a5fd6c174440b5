using System.CommandLine;
using System.Globalization;
using System.Text;
using CrisisSim.Engine;
using CrisisSim.Planning;
using CrisisSim.Reporting;
using CrisisSim.Scenarios;

namespace CrisisSim.Cli.Commands;

/// <summary><c>crisissim sweep SCENARIO --set KEY=VALUES …</c>: every combination of the values, each run with the same
/// seed and replications; one row of KPIs per point.</summary>
public static class SweepCommand
{
    public static Command Create()
    {
        var scenario = CommonOptions.ScenarioArgument();
        var sets = SetOption("A key of the scenario file and its values: KEY=A..B:STEP or KEY=V1,V2,... (repeat for a grid).");
        sets.Required = true;
        var planning = new PlanningOptions(defaultReplications: 10);
        var command = new Command("sweep", "Run a grid of variants of a scenario (any key of the file, with common random numbers) and tabulate their KPIs.")
        {
            scenario, sets,
        };
        planning.AddTo(command);
        planning.SetAction(command, async (parse, context, cancellation) =>
        {
            var (settings, prepared, o, e) = context;
            var path = parse.GetValue(scenario)!;
            if (ReadGrid(parse.GetValue(sets) ?? [], settings.Replications, e) is not { } grid)
            {
                return CliApp.BadInput;
            }
            string text;
            try
            {
                text = ScenarioSettings.ReadFile(path);
                Sweep.Validate(text, path, grid);
            }
            catch (ScenarioException ex)
            {
                foreach (var error in ex.Errors)
                {
                    e.WriteLine($"error: {error}");
                }
                return CliApp.BadInput;
            }
            var name = ScenarioLoader.Parse(text, path).Name;
            var identity = Encoding.UTF8.GetBytes(text + "\n" + string.Join("\n", grid.Axes.Select(a => a.Key + "=" + string.Join(",", a.Values))));
            if (CommonOptions.CreateResultFolder(settings.Output, name, "sweep-" + ResultFolder.RunName(settings.Seed, settings.Replications, identity), e) is not { } folder)
            {
                return CliApp.Failed;
            }
            using (folder)
            using (var display = ConsoleProgress.Start(e, $"sweep: 0/{grid.Count} points", (long)grid.Count * settings.Replications, "replications"))
            {
                var done = 0;
                return await CommandGuard.Guard(folder, display, async () =>
                {
                    var progress = new Reporter<PlanProgress>(p =>
                    {
                        done = p.PointsDone;
                        display.Update(p.ReplicationsDone, p.Replications, string.Create(CultureInfo.InvariantCulture, $"sweep: {p.PointsDone}/{p.Points} points"));
                    });
                    var (points, _) = await prepared.RunAsync(
                        host => Sweep.RunAsync(text, path, grid, host, settings.Seed, settings.Replications, progress, cancellation), cancellation);
                    display.Dispose();
                    o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{name}: {grid.Count} point(s), {settings.Replications} replication(s) each, seed {settings.Seed} (the same random numbers at every point)"));
                    SweepReport.WriteTable(points, grid, o);
                    SweepReport.WriteFiles(points, grid, name, settings.Seed, settings.Replications, text, new ExportTarget(folder.StagingPath), e);
                    folder.Commit();
                    o.WriteLine($"Results: {folder.FinalPath}");
                    return 0;
                }, () => string.Create(CultureInfo.InvariantCulture, $"interrupted: {done} of {grid.Count} point(s) had finished; no result was written."), e, cancellation);
            }
        });
        return command;
    }

    internal static Option<string[]> SetOption(string description) =>
        new("--set") { Description = description, AllowMultipleArgumentsPerToken = false };

    /// <summary>The grid of the <c>--set</c> options, within the limits, or null after writing what is wrong.</summary>
    internal static SweepGrid? ReadGrid(IReadOnlyList<string> sets, int replications, TextWriter e, long otherFactor = 1)
    {
        if (sets.Count > PlanningLimits.MaxSettings)
        {
            e.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: {sets.Count} --set options; the limit is {PlanningLimits.MaxSettings}."));
            return null;
        }
        try
        {
            var axes = sets.Select(s => SweepAxis.Parse(s, "--set")).ToList();
            var grid = new SweepGrid(axes);
            CheckRuns(grid.Count * otherFactor, replications);
            return grid;
        }
        catch (PlanningException ex)
        {
            e.WriteLine($"error: {ex.Message}.");
            return null;
        }
    }

    /// <summary>Refuses a plan of more points, or more replications over its points, than the limits allow.</summary>
    internal static void CheckRuns(long points, int replications)
    {
        if (points > PlanningLimits.MaxPoints)
        {
            throw new PlanningException(string.Create(CultureInfo.InvariantCulture, $"{points:N0} points to simulate; the limit is {PlanningLimits.MaxPoints:N0}"));
        }
        if (points * replications > PlanningLimits.MaxReplicationRuns)
        {
            throw new PlanningException(string.Create(CultureInfo.InvariantCulture,
                $"{points:N0} points x {replications:N0} replications = {points * replications:N0} replications; the limit is {PlanningLimits.MaxReplicationRuns:N0}"));
        }
    }
}
