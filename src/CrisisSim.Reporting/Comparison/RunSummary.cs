using System.Globalization;
using System.Text;
using System.Text.Json;
using CrisisSim.Engine;
using CrisisSim.Inputs;

namespace CrisisSim.Reporting;

/// <summary>A finished run read back from its result folder: <c>summary.json</c> (every KPI estimate) and, when present,
/// <c>replications.csv</c> (every replication's overall KPIs). KPI names are those of <c>summary.json</c>; the groups'
/// KPIs are named <c>occupancy.GROUP</c>, <c>operator_hours.GROUP</c>, <c>cost.GROUP</c> and <c>on_duty.GROUP</c>.</summary>
public sealed class RunSummary
{
    /// <summary>Bytes of a <c>summary.json</c> that <see cref="Load"/> reads: a run at the documented limits writes less.</summary>
    public const long MaxSummaryBytes = 256L << 20;

    /// <summary>Bytes of a <c>replications.csv</c> that <see cref="Load"/> reads (100,000 replications of 40 KPIs take
    /// about 70 MB less).</summary>
    public const long MaxReplicationsBytes = 64L << 20;

    public required string Folder { get; init; }
    public required string Scenario { get; init; }
    public required long Seed { get; init; }
    public required int Replications { get; init; }
    public required IReadOnlyDictionary<string, Estimate> Overall { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, Estimate>> CallTypes { get; init; }
    public required IReadOnlyList<IntervalSummary> Intervals { get; init; }
    /// <summary>Each overall KPI's value in every replication, in replication order; null without replications.csv.</summary>
    public IReadOnlyDictionary<string, double[]>? ReplicationValues { get; init; }

    /// <summary>Reads a result folder (the folder holding <c>summary.json</c>, or a folder with exactly one such
    /// folder below it, as <c>run --out</c> makes them). Throws <see cref="RunSummaryException"/> with the file and the
    /// reason when it cannot.</summary>
    public static RunSummary Load(string path)
    {
        var folder = Locate(path);
        var file = Path.Combine(folder, "summary.json");
        RunSummary summary;
        try
        {
            var (bytes, length) = InputFile.Read(file, MaxSummaryBytes, "a summary.json");
            using var document = JsonDocument.Parse(bytes.AsMemory(0, length));
            var root = document.RootElement;
            var intervals = new List<IntervalSummary>();
            foreach (var interval in Property(root, "intervals", file).EnumerateArray())
            {
                intervals.Add(new IntervalSummary(
                    Property(interval, "index", file).GetInt32(),
                    Property(interval, "startSeconds", file).GetDouble(),
                    Property(interval, "endSeconds", file).GetDouble(),
                    Kpis(Property(interval, "kpis", file), file)));
            }
            var callTypes = new Dictionary<string, IReadOnlyDictionary<string, Estimate>>(StringComparer.Ordinal);
            foreach (var type in Property(root, "callTypes", file).EnumerateObject())
            {
                callTypes[type.Name] = Kpis(type.Value, file);
            }
            summary = new RunSummary
            {
                Folder = folder,
                Scenario = Property(root, "scenario", file).GetString() ?? "",
                Seed = Property(root, "seed", file).GetInt64(),
                Replications = Property(root, "replications", file).GetInt32(),
                Overall = Kpis(Property(root, "overall", file), file),
                CallTypes = callTypes,
                Intervals = intervals,
            };
        }
        catch (InputFileException ex)
        {
            throw new RunSummaryException(ex.Message);
        }
        catch (JsonException ex)
        {
            throw new RunSummaryException($"{file}:{(ex.LineNumber ?? 0) + 1}: not a summary.json: {ex.Message}");
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            throw new RunSummaryException($"{file}: not a summary.json: {ex.Message}");
        }
        var replications = Path.Combine(folder, ReplicationsCsv.FileName);
        // A folder or a special file of that name is refused by the guard rather than skipped.
        return Path.Exists(replications) ? summary.WithReplications(replications, file) : summary;
    }

    private static string Locate(string path)
    {
        if (File.Exists(path) && Path.GetFileName(path) == "summary.json")
        {
            return Path.GetDirectoryName(Path.GetFullPath(path))!;
        }
        if (!Directory.Exists(path))
        {
            throw new RunSummaryException($"{path}: no such result folder");
        }
        // A folder or a special file named summary.json is refused by the guard, not searched past.
        if (Path.Exists(Path.Combine(path, "summary.json")))
        {
            return path;
        }
        var found = Directory.EnumerateFiles(path, "summary.json", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 2 })
            .Where(f => !Path.GetDirectoryName(f)!.Split(Path.DirectorySeparatorChar).Any(p => p.StartsWith('.')))
            .Take(3).ToList();
        return found.Count switch
        {
            1 => Path.GetDirectoryName(found[0])!,
            0 => throw new RunSummaryException($"{path}: no summary.json in this folder or the two levels below it"),
            _ => throw new RunSummaryException($"{path}: several runs below this folder ({string.Join(", ", found.Select(Path.GetDirectoryName))}); name one"),
        };
    }

    private RunSummary WithReplications(string file, string summaryFile)
    {
        try
        {
            return WithReplicationsChecked(file, summaryFile);
        }
        catch (InputFileException ex)
        {
            throw new RunSummaryException(ex.Message);
        }
    }

    private RunSummary WithReplicationsChecked(string file, string summaryFile)
    {
        using var reader = new StreamReader(InputFile.OpenRead(file, MaxReplicationsBytes, "a replications.csv"), Encoding.UTF8);
        var first = reader.ReadLine();
        if (first is null)
        {
            throw new RunSummaryException($"{file}:1: empty file");
        }
        var header = first.Split(',');
        if (header.Length < 2 || header[0] != "replication")
        {
            throw new RunSummaryException($"{file}:1: the first column must be 'replication'");
        }
        var names = header.Select((h, i) => GroupKpiName(h, i >= header.Length - 2)).ToArray();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
        {
            throw new RunSummaryException($"{file}:1: a column name appears twice");
        }
        var columns = names.Skip(1).ToDictionary(n => n, _ => new List<double>(), StringComparer.Ordinal);
        var r = 0;
        for (var lineNumber = 2; reader.ReadLine() is { } row; lineNumber++)
        {
            if (row.Length == 0)
            {
                continue;
            }
            var cells = row.Split(',');
            if (cells.Length != header.Length)
            {
                throw new RunSummaryException($"{file}:{lineNumber}: {cells.Length} cells, the header has {header.Length}");
            }
            if (!int.TryParse(cells[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index != r)
            {
                throw new RunSummaryException($"{file}:{lineNumber}: replication: expected {r}, got '{Shorten(cells[0])}'");
            }
            if (r >= Replications)
            {
                throw new RunSummaryException($"{file}: more than {Replications} replications, summary.json says {Replications}");
            }
            for (var c = 1; c < cells.Length; c++)
            {
                columns[names[c]].Add(cells[c].Length == 0 ? double.NaN
                    : cells[c] == "inf" ? double.PositiveInfinity
                    : double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
                    : throw new RunSummaryException($"{file}:{lineNumber}: {Shorten(header[c])}: '{Shorten(cells[c])}' is not a number"));
            }
            r++;
        }
        if (r != Replications)
        {
            throw new RunSummaryException($"{file}: {r} replications, summary.json says {Replications}");
        }
        var values = columns.ToDictionary(c => c.Key, c => c.Value.ToArray(), StringComparer.Ordinal);
        CheckAgreement(values, file, summaryFile);
        return new RunSummary
        {
            Folder = Folder, Scenario = Scenario, Seed = Seed, Replications = Replications, Overall = Overall,
            CallTypes = CallTypes, Intervals = Intervals, ReplicationValues = values,
        };
    }

    /// <summary>Each overall KPI of summary.json is the mean of its column in replications.csv over the replications where
    /// it is defined: a run shown from one file and judged from the other must be the same run.</summary>
    private void CheckAgreement(IReadOnlyDictionary<string, double[]> values, string file, string summaryFile)
    {
        foreach (var (name, column) in values)
        {
            if (!Overall.TryGetValue(name, out var estimate))
            {
                continue;
            }
            var defined = column.Where(v => !double.IsNaN(v)).ToArray();
            if (defined.Any(double.IsInfinity))
            {
                // summary.json cannot write an infinite mean (JSON has no infinity): nothing to compare.
                continue;
            }
            var mean = defined.Length == 0 ? double.NaN : defined.Average();
            var agree = defined.Length == estimate.Count
                && (double.IsNaN(mean) ? double.IsNaN(estimate.Mean)
                    : double.IsFinite(estimate.Mean) && Math.Abs(mean - estimate.Mean) <= 1e-9 * Math.Max(1, Math.Max(Math.Abs(mean), Math.Abs(estimate.Mean))));
            if (!agree)
            {
                throw new RunSummaryException(string.Create(CultureInfo.InvariantCulture,
                    $"{summaryFile} and {file} disagree: overall {name} is {estimate.Mean:G6} over {estimate.Count} replication(s) in the first, {mean:G6} over {defined.Length} in the second; they are not the files of one run (one was edited or replaced)"));
            }
        }
    }

    private static string Shorten(string text) => Printable.Escape(text.Length <= 40 ? text : text[..37] + "...");

    /// <summary>A column of replications.csv as a KPI name: <c>occupancy_G</c> is <c>occupancy.G</c>, and so on; the
    /// totals, the last two columns, keep their names.</summary>
    private static string GroupKpiName(string column, bool last)
    {
        if (last && column is "operator_hours_total" or "cost_total")
        {
            return column;
        }
        foreach (var prefix in GroupKpis)
        {
            if (column.StartsWith(prefix + "_", StringComparison.Ordinal))
            {
                return prefix + "." + column[(prefix.Length + 1)..];
            }
        }
        return column;
    }

    private static readonly string[] GroupKpis = ["occupancy", "operator_hours", "cost", "on_duty"];

    private static JsonElement Property(JsonElement element, string name, string file) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value
            : throw new RunSummaryException($"{file}: not a summary.json: no '{name}'");

    private static Dictionary<string, Estimate> Kpis(JsonElement block, string file)
    {
        var kpis = new Dictionary<string, Estimate>(StringComparer.Ordinal);
        foreach (var kpi in block.EnumerateObject())
        {
            if (GroupKpis.Contains(kpi.Name))
            {
                foreach (var group in kpi.Value.EnumerateObject())
                {
                    kpis[kpi.Name + "." + group.Name] = Estimate(group.Value, file);
                }
                continue;
            }
            kpis[kpi.Name] = Estimate(kpi.Value, file);
        }
        return kpis;
    }

    private static Estimate Estimate(JsonElement e, string file)
    {
        static double Number(JsonElement value) => value.ValueKind == JsonValueKind.Null ? double.NaN : value.GetDouble();
        return new Estimate(Number(Property(e, "mean", file)), Number(Property(e, "ci95", file)), Property(e, "n", file).GetInt32());
    }
}

public sealed record IntervalSummary(int Index, double StartSeconds, double EndSeconds, IReadOnlyDictionary<string, Estimate> Kpis);

/// <summary>A result folder that cannot be read: the message names the file and the reason.</summary>
public sealed class RunSummaryException(string message) : Exception(Printable.Escape(message));
