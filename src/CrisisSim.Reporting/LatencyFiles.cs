using System.Globalization;
using System.Text.Json;
using CrisisSim.Engine;

namespace CrisisSim.Reporting;

/// <summary>The latency files of a live run (<c>crisissim load</c>): <c>latency.csv</c>, a row per kind overall and per
/// window, and <c>latency.json</c>, the same with the run's facts. Milliseconds, invariant culture; an empty cell
/// (<c>null</c> in JSON) for a percentile without samples.</summary>
public static class LatencyFiles
{
    public const string CsvName = "latency.csv";
    public const string JsonName = "latency.json";

    /// <summary>Column name of a percentile: <c>p50_ms</c>, <c>p99_9_ms</c>.</summary>
    public static string PercentileColumn(double percentile) =>
        "p" + percentile.ToString("0.###", CultureInfo.InvariantCulture).Replace('.', '_') + "_ms";

    public static void Write(LatencyReport report, ExportTarget target)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(target);
        using (var writer = target.CreateText(CsvName))
        {
            WriteCsv(report, writer);
        }
        using var stream = target.Create(JsonName);
        WriteJson(report, stream);
    }

    /// <summary>Columns: <c>scope</c> (overall or window), <c>window</c>, <c>start_s</c> and <c>end_s</c> (wall clock since
    /// the start), <c>scaled_end_s</c>, <c>kind</c>, <c>count</c>, one column per percentile, <c>max_ms</c>, <c>mean_ms</c>,
    /// <c>late</c>, <c>errors</c>, <c>timeouts</c>, <c>offered</c>, <c>max_lag_ms</c>, <c>in_flight_max</c>, <c>speed</c> (the
/// window's speed; overall, the speed sustained).</summary>
    public static void WriteCsv(LatencyReport report, TextWriter writer)
    {
        Csv.Row(writer, [
            "scope", "window", "start_s", "end_s", "scaled_end_s", "kind", "count",
            .. report.Percentiles.Select(PercentileColumn),
            "max_ms", "mean_ms", "late", "errors", "timeouts", "offered", "max_lag_ms", "in_flight_max", "speed",
        ]);
        var facts = report.Facts;
        foreach (var stats in report.Overall)
        {
            Csv.Row(writer, Cells("overall", "", 0, facts.WallSeconds, facts.ScaledSeconds, stats, facts.CallsOffered, facts.MaxLagMs, facts.InFlightPeak, facts.SustainedSpeed));
        }
        foreach (var window in report.Windows)
        {
            foreach (var stats in window.Kinds)
            {
                Csv.Row(writer, Cells("window", Csv.Int(window.Index), window.StartSeconds, window.EndSeconds, window.ScaledEndSeconds, stats, window.Offered, window.MaxLagMs, window.InFlightMax, window.Speed));
            }
        }
    }

    private static IEnumerable<string> Cells(string scope, string window, double start, double end, double scaledEnd, LatencyStats stats, long offered, double maxLag, int inFlight, double speed) =>
    [
        scope, window, Csv.Number(start), Csv.Number(end), Csv.Number(scaledEnd), stats.Kind.Name(), Csv.Int(stats.Count),
        .. stats.Percentiles.Select(Csv.Number),
        Csv.Number(stats.MaxMs), Csv.Number(stats.MeanMs), Csv.Int(stats.Late), Csv.Int(stats.Errors), Csv.Int(stats.Timeouts),
        Csv.Int(offered), Csv.Number(maxLag), Csv.Int(inFlight), Csv.Number(speed),
    ];

    public static void WriteJson(LatencyReport report, Stream stream)
    {
        using var json = EstimateJson.Writer(stream);
        json.WriteStartObject();
        json.WriteStartArray("percentiles");
        foreach (var p in report.Percentiles)
        {
            json.WriteNumberValue(p);
        }
        json.WriteEndArray();
        var f = report.Facts;
        json.WriteStartObject("run");
        Number(json, "speed", f.Speed);
        Number(json, "sustainedSpeed", f.SustainedSpeed);
        Number(json, "wallSeconds", f.WallSeconds);
        Number(json, "scaledSeconds", f.ScaledSeconds);
        Number(json, "arrivalsCutAtSeconds", f.ArrivalsCutAtSeconds);
        json.WriteNumber("events", f.Events);
        json.WriteNumber("callsOffered", f.CallsOffered);
        Number(json, "callsPerSecond", f.WallSeconds > 0 ? f.CallsOffered / f.WallSeconds : double.NaN);
        Number(json, "lateAfterMs", f.LateAfterMs);
        json.WriteNumber("late", f.Late);
        Number(json, "lateShare", report.LateShare);
        json.WriteNumber("errors", f.Errors);
        json.WriteNumber("timeouts", f.Timeouts);
        Number(json, "maxLagMs", f.MaxLagMs);
        json.WriteNumber("maxInFlight", f.MaxInFlight);
        json.WriteNumber("inFlightPeak", f.InFlightPeak);
        json.WriteNumber("backPressureWaits", f.BackPressureWaits);
        json.WriteNumber("allocatedBytes", f.AllocatedBytes);
        Number(json, "allocatedBytesPerCall", f.AllocatedBytesPerCall);
        json.WriteEndObject();
        json.WritePropertyName("overall");
        Kinds(json, report.Percentiles, report.Overall);
        json.WriteStartArray("windows");
        foreach (var w in report.Windows)
        {
            json.WriteStartObject();
            json.WriteNumber("index", w.Index);
            Number(json, "startSeconds", w.StartSeconds);
            Number(json, "endSeconds", w.EndSeconds);
            Number(json, "scaledEndSeconds", w.ScaledEndSeconds);
            Number(json, "speed", w.Speed);
            json.WriteNumber("offered", w.Offered);
            Number(json, "maxLagMs", w.MaxLagMs);
            json.WriteNumber("inFlightMax", w.InFlightMax);
            json.WritePropertyName("kinds");
            Kinds(json, report.Percentiles, w.Kinds);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Kinds(Utf8JsonWriter json, IReadOnlyList<double> percentiles, IReadOnlyList<LatencyStats> kinds)
    {
        json.WriteStartObject();
        foreach (var stats in kinds)
        {
            json.WriteStartObject(stats.Kind.Name());
            json.WriteNumber("count", stats.Count);
            for (var i = 0; i < percentiles.Count; i++)
            {
                Number(json, PercentileColumn(percentiles[i]), stats.Percentiles[i]);
            }
            Number(json, "max_ms", stats.MaxMs);
            Number(json, "mean_ms", stats.MeanMs);
            json.WriteNumber("late", stats.Late);
            json.WriteNumber("errors", stats.Errors);
            json.WriteNumber("timeouts", stats.Timeouts);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    /// <summary>The console summary: a row per kind with its percentiles, then the run's facts.</summary>
    public static void WriteSummary(LatencyReport report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        var table = new ConsoleTable([
            new ConsoleColumn("latency (ms)", ColumnAlign.Left),
            new ConsoleColumn("count"),
            .. report.Percentiles.Select(p => new ConsoleColumn("p" + p.ToString("0.###", CultureInfo.InvariantCulture))),
            new ConsoleColumn("max"),
            new ConsoleColumn("late"),
            new ConsoleColumn("errors"),
            new ConsoleColumn("timeouts"),
        ]);
        foreach (var s in report.Overall)
        {
            table.AddRow([
                s.Kind.Name(), s.Count.ToString("N0", CultureInfo.InvariantCulture),
                .. s.Percentiles.Select(Ms),
                Ms(s.MaxMs), s.Late.ToString("N0", CultureInfo.InvariantCulture), s.Errors.ToString("N0", CultureInfo.InvariantCulture), s.Timeouts.ToString("N0", CultureInfo.InvariantCulture),
            ]);
        }
        table.WritePlain(writer);
        var f = report.Facts;
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"speed {f.Speed:0.###}x asked, {f.SustainedSpeed:0.###}x sustained; {f.CallsOffered:N0} calls offered in {f.WallSeconds:F1} s ({(f.WallSeconds > 0 ? f.CallsOffered / f.WallSeconds : 0):N1} calls/s), {f.Events:N0} events"));
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"late (started > {f.LateAfterMs:0.###} ms after the intended time): {f.Late:N0} ({report.LateShare:P3}); lag at most {f.MaxLagMs:F1} ms; in flight at most {f.InFlightPeak:N0} of {f.MaxInFlight:N0}{(f.BackPressureWaits > 0 ? string.Create(CultureInfo.InvariantCulture, $" (held back {f.BackPressureWaits:N0} times)") : "")}"));
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"allocated {f.AllocatedBytes / 1048576.0:N1} MiB in the process during the live part, {f.AllocatedBytesPerCall / 1024:N1} KiB per call offered"));
    }

    private static ConsoleCell Ms(double value) => double.IsFinite(value) ? value.ToString(value < 10 ? "F2" : "F1", CultureInfo.InvariantCulture) : "-";
}
