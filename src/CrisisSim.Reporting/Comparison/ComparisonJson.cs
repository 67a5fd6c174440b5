using System.Text.Json;

namespace CrisisSim.Reporting;

/// <summary>The JSON file of <c>crisissim compare --json</c>: every KPI of both runs and their difference, and each
/// threshold's verdict.</summary>
public static class ComparisonJson
{
    /// <summary>Writes the comparison to <paramref name="path"/>: <c>a</c> and <c>b</c> (<c>folder</c>, <c>scenario</c>,
    /// <c>seed</c>, <c>replications</c>), <c>paired</c>, <c>alpha</c>, <c>kpis[]</c> (<c>scope</c>, <c>callType</c>,
    /// <c>interval</c>, <c>kpi</c>, <c>a</c> and <c>b</c> as <c>{mean, ci95, n}</c>, <c>delta</c>, <c>deltaCi95</c>,
    /// <c>p</c>, <c>paired</c>) and <c>thresholds[]</c> (<c>threshold</c>, <c>holds</c>, <c>breaches[]</c> with
    /// <c>scope</c> and <c>change</c>).</summary>
    public static void Write(string path, RunComparison c, IReadOnlyList<(ComparisonThreshold Threshold, IReadOnlyList<KpiComparison> Breaches)> results, double alpha)
    {
        using var stream = File.Create(path);
        using var json = EstimateJson.Writer(stream);
        json.WriteStartObject();
        WriteRun(json, "a", c.A);
        WriteRun(json, "b", c.B);
        json.WriteBoolean("paired", c.Paired);
        json.WriteNumber("alpha", alpha);
        json.WriteStartArray("kpis");
        foreach (var r in c.Rows)
        {
            json.WriteStartObject();
            json.WriteString("scope", r.Scope.Kind);
            if (r.Scope.CallType is { } type)
            {
                json.WriteString("callType", type);
            }
            if (r.Scope.Interval >= 0)
            {
                json.WriteNumber("interval", r.Scope.Interval);
            }
            json.WriteString("kpi", r.Kpi);
            EstimateJson.Estimate(json, "a", r.A);
            EstimateJson.Estimate(json, "b", r.B);
            EstimateJson.Number(json, "delta", r.Difference.Delta);
            EstimateJson.Number(json, "deltaCi95", r.Difference.HalfWidth);
            EstimateJson.Number(json, "p", r.Difference.PValue);
            json.WriteBoolean("paired", r.Difference.Paired);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("thresholds");
        foreach (var (t, breaches) in results)
        {
            json.WriteStartObject();
            json.WriteString("threshold", t.Text);
            json.WriteBoolean("holds", breaches.Count == 0);
            json.WriteStartArray("breaches");
            foreach (var r in breaches)
            {
                json.WriteStartObject();
                json.WriteString("scope", r.Scope.ToString());
                EstimateJson.Number(json, "change", t.ChangeOf(r));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteRun(Utf8JsonWriter json, string name, RunSummary run)
    {
        json.WriteStartObject(name);
        json.WriteString("folder", run.Folder);
        json.WriteString("scenario", run.Scenario);
        json.WriteNumber("seed", run.Seed);
        json.WriteNumber("replications", run.Replications);
        json.WriteEndObject();
    }
}
