using System.Globalization;
using System.Text.Json;
using CrisisSim.Engine;

namespace CrisisSim.Reporting;

/// <summary>A finished run read back from its result folder: <c>summary.json</c> (every KPI estimate) and, when present,
/// <c>replications.csv</c> (every replication's overall KPIs). KPI names are those of <c>summary.json</c>; the groups'
/// KPIs are named <c>occupancy.GROUP</c>, <c>operator_hours.GROUP</c>, <c>cost.GROUP</c> and <c>on_duty.GROUP</c>.</summary>
public sealed class RunSummary
{
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
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
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
        catch (JsonException ex)
        {
            throw new RunSummaryException($"{file}:{(ex.LineNumber ?? 0) + 1}: not a summary.json: {ex.Message}");
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            throw new RunSummaryException($"{file}: not a summary.json: {ex.Message}");
        }
        var replications = Path.Combine(folder, ReplicationsCsv.FileName);
        return File.Exists(replications) ? summary.WithReplications(replications) : summary;
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
        if (File.Exists(Path.Combine(path, "summary.json")))
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

    private RunSummary WithReplications(string file)
    {
        var lines = File.ReadAllLines(file);
        if (lines.Length == 0)
        {
            throw new RunSummaryException($"{file}:1: empty file");
        }
        var header = lines[0].Split(',');
        if (header.Length < 2 || header[0] != "replication")
        {
            throw new RunSummaryException($"{file}:1: the first column must be 'replication'");
        }
        var names = header.Select((h, i) => GroupKpiName(h, i >= header.Length - 2)).ToArray();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
        {
            throw new RunSummaryException($"{file}:1: a column name appears twice");
        }
        var rows = lines.Skip(1).Where(l => l.Length > 0).ToList();
        var values = names.Skip(1).ToDictionary(n => n, _ => new double[rows.Count], StringComparer.Ordinal);
        for (var r = 0; r < rows.Count; r++)
        {
            var cells = rows[r].Split(',');
            if (cells.Length != header.Length)
            {
                throw new RunSummaryException($"{file}:{r + 2}: {cells.Length} cells, the header has {header.Length}");
            }
            if (!int.TryParse(cells[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index != r)
            {
                throw new RunSummaryException($"{file}:{r + 2}: replication: expected {r}, got '{cells[0]}'");
            }
            for (var c = 1; c < cells.Length; c++)
            {
                values[names[c]][r] = cells[c].Length == 0 ? double.NaN
                    : cells[c] == "inf" ? double.PositiveInfinity
                    : double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
                    : throw new RunSummaryException($"{file}:{r + 2}: {header[c]}: '{cells[c]}' is not a number");
            }
        }
        if (rows.Count != Replications)
        {
            throw new RunSummaryException($"{file}: {rows.Count} replications, summary.json says {Replications}");
        }
        return new RunSummary
        {
            Folder = Folder, Scenario = Scenario, Seed = Seed, Replications = Replications, Overall = Overall,
            CallTypes = CallTypes, Intervals = Intervals, ReplicationValues = values,
        };
    }

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
public sealed class RunSummaryException(string message) : Exception(message);
