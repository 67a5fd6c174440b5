using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CrisisSim.Inputs;
using CrisisSim.Reporting;
using CrisisSim.Traces;

namespace CrisisSim.Cli.Commands;

/// <summary><c>crisissim import TRACE</c> (a call log to the canonical CSV) and <c>crisissim fit TRACE</c> (a scenario
/// from a call log). Rows that cannot be read are counted, the first ones listed with their line and field, and
/// skipped, or with <c>--strict</c> stop the command (exit 2).</summary>
public static class TraceCommands
{
    private static Argument<string> TraceArgument() => new("trace") { Description = "Path of the call log." };

    private static Option<string> FormatOption() => new("--format")
    {
        Description = "The call log's format: anonymous-bank (the Anonymous Bank call-center data, tab-separated) or csv (a header naming the canonical columns; see the README, Replaying a call log).",
        DefaultValueFactory = _ => "anonymous-bank",
    };

    private static Option<string[]> ColumnOption() => new("--column")
    {
        Description = "With --format csv: CANONICAL=NAME, the file's column NAME holds the canonical column (e.g. arrival=start_time); repeat for several.",
        AllowMultipleArgumentsPerToken = false,
    };

    private static Option<bool> StrictOption() => new("--strict") { Description = "Stop at the first row that cannot be read (exit 2) instead of counting, listing and skipping it." };

    public static Command Import()
    {
        var trace = TraceArgument();
        var format = FormatOption();
        var columns = ColumnOption();
        var strict = StrictOption();
        var output = new Option<string?>("--out", "-o") { Description = "The canonical CSV to write (default: TRACE's name with .calls.csv, in the current folder)." };
        format.AcceptOnlyFromAmong("anonymous-bank", "csv");
        var command = new Command("import", "Read a call log (Anonymous Bank or CSV) into the canonical call CSV, counting rows by outcome and call type and reporting the rows that cannot be read.");
        command.Arguments.Add(trace);
        foreach (var o in new Option[] { format, columns, strict, output })
        {
            command.Options.Add(o);
        }
        command.SetAction((parse, cancellation) =>
        {
            var e = parse.InvocationConfiguration.Error;
            var path = parse.GetValue(trace)!;
            if (Columns(parse.GetValue(columns), parse.GetValue(format)!, e) is not { } mapping)
            {
                return Task.FromResult(CliApp.BadInput);
            }
            var target = parse.GetValue(output) ?? Path.GetFileNameWithoutExtension(path) + ".calls.csv";
            if (CommonOptions.OutputFileProblem(target) is { } problem)
            {
                e.WriteLine(Printable.Escape($"error: --out '{target}': {problem}"));
                return Task.FromResult(CliApp.Failed);
            }
            var report = new TraceReport();
            var clock = Stopwatch.StartNew();
            var staging = target + ".part";
            try
            {
                using (var writer = new StreamWriter(staging, false, new UTF8Encoding(false)))
                {
                    writer.NewLine = "\n";
                    writer.WriteLine(CanonicalCsv.Header);
                    foreach (var record in TraceReader.Read(path, ParseFormat(parse.GetValue(format)!), report, parse.GetValue(strict), mapping))
                    {
                        cancellation.ThrowIfCancellationRequested();
                        writer.WriteLine(CanonicalCsv.Row(record));
                    }
                }
                File.Move(staging, target, overwrite: true);
            }
            catch (Exception ex) when (Refused(ex, e) is { } code)
            {
                File.Delete(staging);
                return Task.FromResult(code);
            }
            catch
            {
                File.Delete(staging);
                throw;
            }
            var o = parse.InvocationConfiguration.Output;
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{report.Rows:N0} rows, {report.Records:N0} calls imported, {report.Malformed:N0} rows that could not be read, in {clock.Elapsed.TotalSeconds:F2} s; {report.First:yyyy-MM-dd HH:mm:ss} to {report.Last:yyyy-MM-dd HH:mm:ss}"));
            o.WriteLine("  by outcome:   " + string.Join(", ", report.ByOutcome.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:N0}"))));
            o.WriteLine("  by call type: " + string.Join(", ", report.ByCallType.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:N0}"))));
            ListProblems(report, e);
            o.WriteLine($"Written: {target}");
            return Task.FromResult(0);
        });
        return command;
    }

    public static Command Fit()
    {
        var trace = TraceArgument();
        var format = FormatOption();
        var columns = ColumnOption();
        var strict = StrictOption();
        format.AcceptOnlyFromAmong("anonymous-bank", "csv");
        var days = new Option<string?>("--days") { Description = "The days of the week fitted together, e.g. sun,mon,tue,wed,thu (default: sun-thu for anonymous-bank, mon-fri for csv); each day type is a scenario of its own." };
        var interval = new Option<int>("--interval") { Description = "Interval length in minutes: 15, 30 or 60.", DefaultValueFactory = _ => 30 };
        var types = new Option<string?>("--types") { Description = "The call types fitted as arrivals, comma-separated (default for anonymous-bank: PS,PE, the customer-initiated ones; for csv: every type)." };
        var name = new Option<string?>("--name") { Description = "The scenario's name (default: fitted-TRACE)." };
        var output = new Option<string?>("--out", "-o") { Description = "The scenario file to write (default: NAME.yaml in the current folder)." };
        var charts = new Option<string?>("--charts") { Description = "Folder for the Q-Q charts of the handle-time fits (default: NAME-fit-charts beside the scenario file; 'none' for no chart)." };
        var command = new Command("fit", "Estimate a scenario from a call log: arrival rates per interval, busyness, handle times (lognormal, with a goodness-of-fit test), patience (censored: exponential and Kaplan-Meier), the recorded message, operators on duty; each value commented with its evidence.");
        command.Arguments.Add(trace);
        foreach (var o in new Option[] { format, columns, strict, days, interval, types, name, output, charts })
        {
            command.Options.Add(o);
        }
        command.SetAction((parse, cancellation) =>
        {
            var e = parse.InvocationConfiguration.Error;
            var path = parse.GetValue(trace)!;
            var fmt = ParseFormat(parse.GetValue(format)!);
            if (Columns(parse.GetValue(columns), parse.GetValue(format)!, e) is not { } mapping)
            {
                return Task.FromResult(CliApp.BadInput);
            }
            var minutes = parse.GetValue(interval);
            if (minutes is not (15 or 30 or 60))
            {
                e.WriteLine(string.Create(CultureInfo.InvariantCulture, $"error: --interval takes 15, 30 or 60 minutes (got {minutes})."));
                return Task.FromResult(CliApp.BadInput);
            }
            if (ParseDays(parse.GetValue(days) ?? (fmt == TraceFormat.AnonymousBank ? "sun,mon,tue,wed,thu" : "mon,tue,wed,thu,fri"), e) is not { } daySet)
            {
                return Task.FromResult(CliApp.BadInput);
            }
            var typeList = (parse.GetValue(types) ?? (fmt == TraceFormat.AnonymousBank ? "PS,PE" : "")).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (typeList.Length > TraceFit.MaxCallTypes || typeList.Any(t => t.Length > TraceReader.MaxFieldLength || !t.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
            {
                e.WriteLine($"error: --types takes up to {TraceFit.MaxCallTypes} call type names (letters, digits, '-', '_'), comma-separated.");
                return Task.FromResult(CliApp.BadInput);
            }
            var scenarioName = parse.GetValue(name) ?? "fitted-" + new string(Path.GetFileNameWithoutExtension(path).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
            if (scenarioName.Length is 0 or > 64 || !scenarioName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                e.WriteLine("error: --name takes 1 to 64 letters, digits, '-', '_' or '.'.");
                return Task.FromResult(CliApp.BadInput);
            }
            var target = parse.GetValue(output) ?? scenarioName + ".yaml";
            if (CommonOptions.OutputFileProblem(target) is { } problem)
            {
                e.WriteLine(Printable.Escape($"error: --out '{target}': {problem}"));
                return Task.FromResult(CliApp.Failed);
            }
            var report = new TraceReport();
            var clock = Stopwatch.StartNew();
            FitResult fit;
            try
            {
                fit = TraceFit.Fit(TraceReader.Read(path, fmt, report, parse.GetValue(strict), mapping), new FitOptions(daySet, minutes, typeList));
            }
            catch (Exception ex) when (Refused(ex, e) is { } code)
            {
                return Task.FromResult(code);
            }
            if (fit.Dates.Count == 0 || fit.CallTypes.All(t => t.Calls == 0))
            {
                ListProblems(report, e);
                e.WriteLine(Printable.Escape($"error: {path}: no call of the chosen call types on the chosen days ({string.Join(",", daySet)}); nothing to fit."));
                return Task.FromResult(CliApp.BadInput);
            }
            var text = FittedScenario.Write(fit, scenarioName, Path.GetFileName(path));
            try
            {
                File.WriteAllText(target, text, new UTF8Encoding(false));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                e.WriteLine(Printable.Escape($"error: --out '{target}': {ex.Message}"));
                return Task.FromResult(CliApp.Failed);
            }
            var chartFolder = parse.GetValue(charts) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(target)) ?? ".", scenarioName + "-fit-charts");
            if (chartFolder != "none")
            {
                try
                {
                    Directory.CreateDirectory(chartFolder);
                    PlanningCharts.Write(() => [.. fit.CallTypes.Where(t => t.HandleTime is { QuantilePairs.Count: > 0 }).Select(t =>
                        QuantileChart.Create("qq-handle-time-" + t.Name, $"Handle time of {t.Name}: the talk times against the fitted lognormal", t.HandleTime!.QuantilePairs, "s"))],
                        new ExportTarget(chartFolder), e);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    e.WriteLine(Printable.Escape($"warning: --charts '{chartFolder}': no chart written: {ex.Message}"));
                }
            }
            var o = parse.InvocationConfiguration.Output;
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{report.Records:N0} calls read ({report.Malformed:N0} rows that could not be read), {fit.Dates.Count} days fitted, in {clock.Elapsed.TotalSeconds:F2} s"));
            foreach (var t in fit.CallTypes)
            {
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {t.Name}: {t.Calls:N0} calls, {t.CallsPerInterval.Sum():F1} a day; handle time {(t.HandleTime is { } h ? $"lognormal mean {h.Mean:F0} s, sd {h.Sd:F0} s (KS D {h.KsStatistic:F3})" : "none")}; patience {(t.Patience.ExponentialMean is { } p ? $"exponential mean {p:F0} s" : "none")}"));
            }
            if (fit.BusynessAlpha is { } alpha)
            {
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  busyness alpha {alpha:F1} (daily totals mean {fit.DailyMean:F1}, variance {fit.DailyVariance:F1})"));
            }
            ListProblems(report, e);
            o.WriteLine($"Written: {target}");
            return Task.FromResult(0);
        });
        return command;
    }

    private static TraceFormat ParseFormat(string text) => text == "csv" ? TraceFormat.Csv : TraceFormat.AnonymousBank;

    private static Dictionary<string, string>? Columns(string[]? pairs, string format, TextWriter e)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs ?? [])
        {
            var eq = pair.IndexOf('=');
            var key = eq > 0 ? pair[..eq] : "";
            if (format != "csv" || eq <= 0 || eq == pair.Length - 1 || !CanonicalCsv.Columns.Contains(key) || map.ContainsKey(key))
            {
                e.WriteLine(Printable.Escape($"error: --column '{pair}': with --format csv, CANONICAL=NAME once per canonical column ({string.Join(", ", CanonicalCsv.Columns)})."));
                return null;
            }
            map[key] = pair[(eq + 1)..];
        }
        return map;
    }

    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    /// <summary>The days of <c>--days</c> (sun, mon, …), or null after writing what is wrong.</summary>
    internal static HashSet<DayOfWeek>? ParseDays(string text, TextWriter e)
    {
        var set = new HashSet<DayOfWeek>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var i = Array.IndexOf(DayNames, part.ToLowerInvariant());
            if (i < 0)
            {
                e.WriteLine(Printable.Escape($"error: --days '{text}': days are sun, mon, tue, wed, thu, fri, sat, comma-separated."));
                return null;
            }
            set.Add((DayOfWeek)i);
        }
        return set;
    }

    /// <summary>The exit code and message for a trace refused as a whole, or null for any other exception.</summary>
    private static int? Refused(Exception ex, TextWriter e)
    {
        switch (ex)
        {
            case InputFileException input:
                e.WriteLine(Printable.Escape($"error: {input.Path}: {input.Reason}"));
                return CliApp.BadInput;
            case TraceFormatException format:
                e.WriteLine(Printable.Escape($"error: {format.Message}"));
                return CliApp.BadInput;
            case InvalidDataException data:
                e.WriteLine(Printable.Escape($"error: {data.Message}"));
                return CliApp.BadInput;
            case IOException or UnauthorizedAccessException:
                e.WriteLine(Printable.Escape($"error: {ex.Message}"));
                return CliApp.Failed;
            default:
                return null;
        }
    }

    private static void ListProblems(TraceReport report, TextWriter e)
    {
        if (report.Malformed == 0)
        {
            return;
        }
        e.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warning: {report.Malformed:N0} rows could not be read and were skipped{(report.Malformed > report.Problems.Count ? $"; the first {report.Problems.Count}" : "")}:"));
        foreach (var p in report.Problems)
        {
            e.WriteLine(Printable.Escape("  " + p));
        }
    }
}
