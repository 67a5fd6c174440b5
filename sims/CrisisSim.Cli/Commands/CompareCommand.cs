using System.CommandLine;
using System.Globalization;
using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using CrisisSim.Reporting;

namespace CrisisSim.Cli.Commands;

/// <summary><c>compare RUN_A RUN_B</c>: every KPI of run B against run A (overall, per call type, per interval) with the
/// significance of the difference, and thresholds that make the command fail (exit 1) when a KPI moves too far.</summary>
public static class CompareCommand
{
    /// <summary>KPIs shown per interval with <c>--intervals</c>, besides those named by a threshold.</summary>
    private static readonly string[] IntervalKpis = ["offered", "service_level", "asa", "abandonment_rate"];

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

        Print(comparison, thresholds, showIntervals, alpha, output);
        var failed = false;
        var results = new List<(ComparisonThreshold Threshold, IReadOnlyList<KpiComparison> Breaches)>();
        if (thresholds.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"Thresholds (change B - A{(significantOnly ? $", crossed only when significant at {Pct(alpha)}" : "")}):");
            foreach (var t in thresholds)
            {
                var breaches = t.Breaches(comparison, significantOnly, alpha);
                results.Add((t, breaches));
                failed |= breaches.Count > 0;
                var rows = t.Select(comparison).ToList();
                var verdict = breaches.Count == 0 ? "holds" : "CROSSED";
                var detail = rows.Count == 1
                    ? $"change {Change(t, rows[0])}"
                    : breaches.Count == 0 ? $"{rows.Count} intervals" : $"in {breaches.Count} of {rows.Count} intervals: " + string.Join(", ", breaches.Take(8).Select(r => $"{r.Scope.Interval} ({Change(t, r)})")) + (breaches.Count > 8 ? " …" : "");
                output.WriteLine($"  {verdict,-8} {t.Text,-36} {detail}");
            }
        }
        if (jsonPath is not null)
        {
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

    private static void Print(RunComparison c, IReadOnlyList<ComparisonThreshold> thresholds, bool showIntervals, double alpha, TextWriter output)
    {
        output.WriteLine($"A: {c.A.Folder} ({c.A.Scenario}, seed {c.A.Seed}, {c.A.Replications} replications)");
        output.WriteLine($"B: {c.B.Folder} ({c.B.Scenario}, seed {c.B.Seed}, {c.B.Replications} replications)");
        if (c.A.Scenario != c.B.Scenario)
        {
            output.WriteLine($"note: the runs are of different scenarios ({c.A.Scenario}, {c.B.Scenario})");
        }
        output.WriteLine(c.Paired
            ? $"Overall KPIs compared replication by replication (same seed, {c.A.Replications} replications: paired t-test); the rest by Welch's t-test."
            : "KPIs compared by Welch's t-test (not paired: " + (c.A.Seed != c.B.Seed || c.A.Replications != c.B.Replications ? "different seeds or replications" : "replications.csv missing") + ").");
        output.WriteLine($"'*' marks a difference significant at {Pct(alpha)} (p < {alpha.ToString(CultureInfo.InvariantCulture)}).");
        output.WriteLine();
        output.WriteLine($"  {"overall KPI",-28} {"A",14} {"B",14} {"B - A (95 % CI)",26} {"p",8}");
        foreach (var row in c.Rows.Where(r => r.Scope.Kind == "overall" && Shown(r)))
        {
            output.WriteLine(Line(row.Kpi, row, alpha));
        }
        var named = thresholds.Where(t => t.Scope == "intervals").Select(t => t.Kpi);
        if (showIntervals)
        {
            foreach (var kpi in IntervalKpis.Concat(named).Distinct())
            {
                var rows = c.Rows.Where(r => r.Scope.Kind == "interval" && r.Kpi == kpi).ToList();
                if (rows.Count == 0)
                {
                    continue;
                }
                output.WriteLine();
                output.WriteLine($"  {kpi + " by interval",-28} {"A",14} {"B",14} {"B - A (95 % CI)",26} {"p",8}");
                foreach (var row in rows)
                {
                    output.WriteLine(Line("interval " + row.Scope.Interval.ToString(CultureInfo.InvariantCulture), row, alpha));
                }
            }
        }
    }

    /// <summary>A KPI is shown unless it is zero or undefined in both runs (a mechanism neither scenario uses).</summary>
    private static bool Shown(KpiComparison r) => IsSet(r.A.Mean) || IsSet(r.B.Mean);

    private static bool IsSet(double v) => double.IsFinite(v) && v != 0;

    private static string Line(string label, KpiComparison r, double alpha)
    {
        var format = RunComparison.FormatOf(r.Kpi);
        var delta = Value(r.Difference.Delta, format, difference: true, signed: true);
        var ci = double.IsFinite(r.Difference.HalfWidth) ? " ± " + Value(r.Difference.HalfWidth, format, difference: true, signed: false) : "";
        var p = double.IsNaN(r.Difference.PValue) ? "" : r.Difference.PValue < 0.0001 ? "<0.0001" : r.Difference.PValue.ToString("0.0000", CultureInfo.InvariantCulture);
        var mark = r.Difference.IsSignificant(alpha) ? " *" : "";
        return $"  {label,-28} {Value(r.A.Mean, format, false, false),14} {Value(r.B.Mean, format, false, false),14} {delta + ci,26} {p,8}{mark}";
    }

    /// <summary>A KPI value as read: ratios in % (a difference of ratios in percentage points), seconds, counts.</summary>
    private static string Value(double v, KpiFormat format, bool difference, bool signed)
    {
        if (double.IsNaN(v))
        {
            return "-";
        }
        var sign = signed && v >= 0 ? "+" : "";
        return format switch
        {
            KpiFormat.Ratio => sign + (100 * v).ToString("0.00", CultureInfo.InvariantCulture) + (difference ? " pp" : " %"),
            KpiFormat.Seconds => sign + v.ToString("0.0", CultureInfo.InvariantCulture) + " s",
            _ => sign + v.ToString("0.0", CultureInfo.InvariantCulture),
        };
    }

    private static string Change(ComparisonThreshold t, KpiComparison r)
    {
        var change = t.ChangeOf(r);
        if (double.IsNaN(change))
        {
            return "undefined";
        }
        var unit = t.Unit switch { "pp" => " pp", "%" => " %", "s" => " s", _ => "" };
        return (change >= 0 ? "+" : "") + change.ToString("0.###", CultureInfo.InvariantCulture) + unit;
    }

    private static string Pct(double alpha) => (100 * alpha).ToString("0.##", CultureInfo.InvariantCulture) + " %";
}
