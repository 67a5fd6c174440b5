using System.CommandLine;
using System.Globalization;
using CrisisSim.Reporting;

namespace CrisisSim.Cli.Commands;

/// <summary><c>compare RUN_A RUN_B</c>: every KPI of run B against run A (overall, per call type, per interval) with the
/// significance of the difference, and thresholds that make the command fail (exit 1) when a KPI moves too far.</summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var a = new Argument<string>("run-a") { Description = "Result folder of the reference run (a baseline): the folder holding summary.json, or one with a single run below it." };
        var b = new Argument<string>("run-b") { Description = "Result folder of the run compared with it." };
        var thresholds = new Option<string[]>("--threshold")
        {
            Description = "A limit on the change B - A, e.g. \"service_level>-2pp\", \"intervals.abandonment_rate<3pp\", \"callTypes.info.asa<10%\", \"occupancy.backup<5pp\" (repeatable). Exit 1 when one is crossed.",
            AllowMultipleArgumentsPerToken = false,
        };
        var significantOnly = new Option<bool>("--significant-only") { Description = "A threshold is crossed only when the change is also statistically significant (p < --alpha)." };
        var alpha = InvariantNumber.Option("--alpha", "Significance level of the tests, in (0, 0.5]. Default 0.05.");
        var intervals = new Option<bool>("--intervals") { Description = "Also print the main KPIs interval by interval." };
        var json = new Option<string?>("--json") { Description = "Also write the whole comparison to this JSON file." };
        var command = new Command("compare", "Compare two runs KPI by KPI, with the significance of each difference; exit 1 when a --threshold is crossed.");
        command.Arguments.Add(a);
        command.Arguments.Add(b);
        command.Options.Add(thresholds);
        command.Options.Add(significantOnly);
        command.Options.Add(alpha);
        command.Options.Add(intervals);
        command.Options.Add(json);
        command.SetAction(parse => Run(
            parse.GetValue(a)!, parse.GetValue(b)!, parse.GetValue(thresholds) ?? [], parse.GetValue(significantOnly), parse.GetValue(alpha) ?? 0.05,
            parse.GetValue(intervals), parse.GetValue(json), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string pathA, string pathB, string[] thresholdTexts, bool significantOnly, double alpha, bool showIntervals, string? jsonPath, TextWriter output, TextWriter error)
    {
        if (!(alpha > 0 && alpha <= 0.5))
        {
            error.WriteLine($"error: --alpha {alpha.ToString(CultureInfo.InvariantCulture)}: must be above 0 and at most 0.5");
            return CliApp.BadInput;
        }
        var thresholds = new List<ComparisonThreshold>();
        foreach (var text in thresholdTexts)
        {
            try
            {
                thresholds.Add(ComparisonThreshold.Parse(text));
            }
            catch (FormatException ex)
            {
                error.WriteLine($"error: --threshold {ex.Message}");
                return CliApp.BadInput;
            }
        }
        RunSummary runA, runB;
        try
        {
            runA = RunSummary.Load(pathA);
            runB = RunSummary.Load(pathB);
        }
        catch (Exception ex) when (ex is RunSummaryException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {ex.Message}");
            return CliApp.BadInput;
        }
        var comparison = RunComparison.Compare(runA, runB);
        foreach (var t in thresholds)
        {
            if (!t.Select(comparison).Any())
            {
                error.WriteLine($"error: --threshold {t.Text}: no such KPI in both runs ({(t.Scope ?? "overall")}.{t.Kpi})");
                return CliApp.BadInput;
            }
        }

        ComparisonReport.Write(comparison, thresholds, showIntervals, alpha, output);
        IReadOnlyList<(ComparisonThreshold Threshold, IReadOnlyList<KpiComparison> Breaches)> results =
            [.. thresholds.Select(t => (t, t.Breaches(comparison, significantOnly, alpha)))];
        ComparisonReport.WriteThresholds(comparison, results, significantOnly, alpha, output);
        var failed = results.Any(r => r.Breaches.Count > 0);
        if (jsonPath is not null)
        {
            if (CommonOptions.OutputFileProblem(jsonPath) is { } problem)
            {
                error.WriteLine(CrisisSim.Inputs.Printable.Escape($"error: --json '{jsonPath}': cannot write the comparison: {problem}"));
                return CliApp.Failed;
            }
            try
            {
                ComparisonJson.Write(jsonPath, comparison, results, alpha);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"error: --json {jsonPath}: {ex.Message}");
                return CliApp.Failed;
            }
        }
        return failed ? CliApp.Failed : 0;
    }
}
