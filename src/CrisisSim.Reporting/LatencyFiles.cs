using System.Globalization;
using System.Text.Json;
using CrisisSim.Engine;

namespace CrisisSim.Reporting;

/// <summary>The latency files of a live run (<c>crisissim load</c>): <c>latency.csv</c>, a row per kind overall and per
/// window, and <c>latency.json</c>, the same with the run's facts; with a routing service, <c>routing-service.csv</c>, a
/// row overall and per window of what the service did (also in <c>latency.json</c>). Milliseconds, invariant culture; an
/// empty cell (<c>null</c> in JSON) for a percentile without samples.</summary>
public static class LatencyFiles
{
    public const string CsvName = "latency.csv";
    public const string JsonName = "latency.json";
    public const string ServiceCsvName = "routing-service.csv";

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
        if (report.Service is not null)
        {
            using var writer = target.CreateText(ServiceCsvName);
            WriteServiceCsv(report, writer);
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

    /// <summary>What the routing service did: a row overall (<c>scope</c> overall), then per window. Columns <c>scope</c>,
    /// <c>window</c>, <c>start_s</c>, <c>end_s</c>, <c>asked</c>, <c>answered</c>, <c>timeouts</c>, <c>http_errors</c>,
    /// <c>invalid_answers</c>, <c>fallbacks</c>, <c>fallback_share</c>, one <c>pNN_ms</c> column per percentile of the
    /// requests' latency, <c>max_ms</c>, <c>mean_ms</c>. Nothing when the run had no routing service.</summary>
    public static void WriteServiceCsv(LatencyReport report, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(writer);
        if (report.Service is not { } service)
        {
            return;
        }
        Csv.Row(writer, [
            "scope", "window", "start_s", "end_s", "asked", "answered", "timeouts", "http_errors", "invalid_answers", "fallbacks", "fallback_share",
            .. report.Percentiles.Select(PercentileColumn),
            "max_ms", "mean_ms",
        ]);
        Csv.Row(writer, ServiceCells("overall", "", 0, report.Facts.WallSeconds, service.Overall));
        for (var i = 0; i < service.Windows.Count && i < report.Windows.Count; i++)
        {
            var window = report.Windows[i];
            Csv.Row(writer, ServiceCells("window", Csv.Int(window.Index), window.StartSeconds, window.EndSeconds, service.Windows[i]));
        }
    }

    private static IEnumerable<string> ServiceCells(string scope, string window, double start, double end, ServiceStats s) =>
    [
        scope, window, Csv.Number(start), Csv.Number(end), Csv.Int(s.Asked), Csv.Int(s.Answered), Csv.Int(s.Timeouts), Csv.Int(s.HttpErrors),
        Csv.Int(s.InvalidAnswers), Csv.Int(s.Fallbacks), Csv.Number(s.FallbackShare),
        .. s.Percentiles.Select(Csv.Number),
        Csv.Number(s.MaxMs), Csv.Number(s.MeanMs),
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
        if (report.Service is { } service)
        {
            json.WriteStartObject("service");
            json.WriteString("url", service.Url);
            Number(json, "timeoutMs", service.TimeoutMs);
            json.WriteString("fallback", service.Fallback);
            json.WriteBoolean("counted", service.Counted);
            json.WritePropertyName("overall");
            Service(json, report.Percentiles, service.Overall);
            json.WriteEndObject();
        }
        json.WritePropertyName("overall");
        Kinds(json, report.Percentiles, report.Overall);
        json.WriteStartArray("windows");
        for (var i = 0; i < report.Windows.Count; i++)
        {
            var w = report.Windows[i];
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
            if (report.Service is { } s && i < s.Windows.Count)
            {
                json.WritePropertyName("service");
                Service(json, report.Percentiles, s.Windows[i]);
            }
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

    private static void Service(Utf8JsonWriter json, IReadOnlyList<double> percentiles, ServiceStats stats)
    {
        json.WriteStartObject();
        json.WriteNumber("asked", stats.Asked);
        json.WriteNumber("answered", stats.Answered);
        json.WriteNumber("timeouts", stats.Timeouts);
        json.WriteNumber("httpErrors", stats.HttpErrors);
        json.WriteNumber("invalidAnswers", stats.InvalidAnswers);
        json.WriteNumber("fallbacks", stats.Fallbacks);
        Number(json, "errorShare", stats.ErrorShare);
        Number(json, "timeoutShare", stats.TimeoutShare);
        Number(json, "fallbackShare", stats.FallbackShare);
        for (var i = 0; i < percentiles.Count; i++)
        {
            Number(json, PercentileColumn(percentiles[i]), stats.Percentiles[i]);
        }
        Number(json, "max_ms", stats.MaxMs);
        Number(json, "mean_ms", stats.MeanMs);
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
        if (report.Service is { Counted: true } counted)
        {
            var s = counted.Overall;
            table.AddRow([
                "service", s.Asked.ToString("N0", CultureInfo.InvariantCulture),
                .. s.Percentiles.Select(Ms),
                Ms(s.MaxMs), "-", s.Errors.ToString("N0", CultureInfo.InvariantCulture), s.Timeouts.ToString("N0", CultureInfo.InvariantCulture),
            ]);
        }
        table.WritePlain(writer);
        if (report.Service is { } service)
        {
            var s = service.Overall;
            writer.WriteLine(service.Counted
                ? string.Create(CultureInfo.InvariantCulture,
                    $"routing service {service.Url} (timeout {service.TimeoutMs:0.###} ms): {s.Asked:N0} asked, {s.Answered:N0} answered, {s.Timeouts:N0} timeouts, {s.HttpErrors:N0} HTTP errors, {s.InvalidAnswers:N0} invalid answers; {s.Fallbacks:N0} decided by the fallback {service.Fallback} ({Share(s.FallbackShare)})")
                : string.Create(CultureInfo.InvariantCulture,
                    $"routing service {service.Url} (timeout {service.TimeoutMs:0.###} ms, fallback {service.Fallback}): no count came back from the router (its silo was lost before the first reading)"));
        }
        var f = report.Facts;
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"speed {f.Speed:0.###}x asked, {f.SustainedSpeed:0.###}x sustained; {f.CallsOffered:N0} calls offered in {f.WallSeconds:F1} s ({(f.WallSeconds > 0 ? f.CallsOffered / f.WallSeconds : 0):N1} calls/s), {f.Events:N0} events"));
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"late (started > {f.LateAfterMs:0.###} ms after the intended time): {f.Late:N0} ({report.LateShare:P3}); lag at most {f.MaxLagMs:F1} ms; in flight at most {f.InFlightPeak:N0} of {f.MaxInFlight:N0}{(f.BackPressureWaits > 0 ? string.Create(CultureInfo.InvariantCulture, $" (held back {f.BackPressureWaits:N0} times)") : "")}"));
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"allocated {f.AllocatedBytes / 1048576.0:N1} MiB in the process during the live part, {f.AllocatedBytesPerCall / 1024:N1} KiB per call offered"));
    }

    private static string Share(double value) => double.IsNaN(value) ? "-" : value.ToString("P3", CultureInfo.InvariantCulture);

    private static ConsoleCell Ms(double value) => double.IsFinite(value) ? value.ToString(value < 10 ? "F2" : "F1", CultureInfo.InvariantCulture) : "-";
}
