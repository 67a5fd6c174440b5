using System.Text;
using System.Text.Json;
using CrisisSim.Engine;

namespace CrisisSim.Reporting;

/// <summary>Writes <c>summary.json</c>: the scenario's shape, the run's seed and replications, and every KPI (overall,
/// per call type, per interval, and per interval for each call type) as {mean, ci95, n}, with each interval's
/// <c>belowTarget</c>, and when the scenario has a playbook how its rules fired (<c>playbook</c>). Depends only on the
/// scenario and seed: no host, date or timing.</summary>
public sealed class SummaryJson : IExporter
{
    public const string FileName = "summary.json";
    private const int FlushThreshold = 1 << 16;

    public string Name => "summary";

    public string Description => $"{FileName}: every KPI (overall, per call type, per interval) as mean, 95 % half-width and replications";

    public void Export(RunReport report, ExportTarget target)
    {
        using var stream = target.Create(FileName);
        Write(report.Run, stream);
    }

    public static void Write(RunResult run, Stream stream)
    {
        var scenario = run.Scenario;
        using var json = EstimateJson.Writer(stream);
        json.WriteStartObject();
        json.WriteString("scenario", scenario.Name);
        json.WriteNumber("seed", run.Seed);
        json.WriteNumber("replications", run.ReplicationCount);
        json.WriteNumber("intervalSeconds", scenario.IntervalSeconds);
        json.WriteNumber("intervals", scenario.IntervalCount);
        json.WriteNumber("warmupSeconds", scenario.WarmupSeconds);
        json.WriteNumber("firstCountedInterval", KpiValues.FirstCountedInterval(scenario));
        json.WriteNumber("serviceLevelThresholdSeconds", scenario.ServiceLevel.ThresholdSeconds);
        json.WriteNumber("serviceLevelTarget", scenario.ServiceLevel.Target);
        json.WriteString("routing", scenario.Routing.Name);
        if (scenario.Routing.Settings.Count > 0)
        {
            json.WriteStartObject("routingSettings");
            foreach (var (key, value) in scenario.Routing.Settings.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                json.WriteString(key, value);
            }
            json.WriteEndObject();
        }
        if (run.Playbook is { } playbook)
        {
            WritePlaybook(json, run, playbook);
        }
        json.WritePropertyName("overall");
        WriteKpis(json, run, run.Overall, PlannerMeasures.CountedSeconds(scenario));
        json.WriteStartObject("callTypes");
        for (var t = 0; t < scenario.CallTypes.Count; t++)
        {
            json.WritePropertyName(scenario.CallTypes[t].Name);
            WriteKpis(json, run, run.OverallByCallType[t], 0);
        }
        json.WriteEndObject();
        json.WriteStartArray("intervals");
        foreach (var interval in run.Intervals)
        {
            json.WriteStartObject();
            json.WriteNumber("index", interval.Index);
            json.WriteNumber("startSeconds", interval.StartSeconds);
            json.WriteNumber("endSeconds", interval.EndSeconds);
            if (PlannerMeasures.BelowTarget(interval.Kpis, scenario) is { } below)
            {
                json.WriteBoolean("belowTarget", below);
            }
            else
            {
                json.WriteNull("belowTarget");
            }
            json.WritePropertyName("kpis");
            WriteKpis(json, run, interval.Kpis, interval.EndSeconds - interval.StartSeconds);
            if (run.IntervalsByCallType.Count == scenario.CallTypes.Count)
            {
                json.WriteStartObject("callTypes");
                for (var t = 0; t < scenario.CallTypes.Count; t++)
                {
                    json.WritePropertyName(scenario.CallTypes[t].Name);
                    WriteKpis(json, run, run.IntervalsByCallType[t][interval.Index].Kpis, 0);
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
            if (json.BytesPending > FlushThreshold)
            {
                // The writer buffers until flushed: keep the buffer small, however many intervals.
                json.Flush();
            }
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static string ToText(RunResult run)
    {
        using var stream = new MemoryStream();
        Write(run, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary><c>"playbook": {"every", "rules": [...]}</c>: per rule the replications where it fired, their share (its
    /// Wilson 95 % interval as <c>low</c> and <c>high</c>, and half its width as <c>ci95</c>), the firings per replication,
    /// and over the replications where it fired the median and 90 % range of its first firing and of that firing's
    /// effect.</summary>
    private static void WritePlaybook(Utf8JsonWriter json, RunResult run, PlaybookSummary playbook)
    {
        var s = run.Scenario;
        var days = ConsoleReport.SpansDays(s);
        json.WriteStartObject("playbook");
        json.WriteNumber("every", playbook.EvaluateEverySeconds);
        json.WriteStartArray("rules");
        foreach (var rule in playbook.Rules)
        {
            json.WriteStartObject();
            json.WriteString("name", rule.Name);
            json.WriteNumber("fired_replications", rule.FiredReplications);
            json.WriteStartObject("fired_share");
            EstimateJson.Number(json, "mean", rule.FiredShare.Estimate);
            EstimateJson.Number(json, "ci95", (rule.FiredShare.Upper - rule.FiredShare.Lower) / 2);
            json.WriteNumber("n", run.ReplicationCount);
            EstimateJson.Number(json, "low", rule.FiredShare.Lower);
            EstimateJson.Number(json, "high", rule.FiredShare.Upper);
            json.WriteEndObject();
            EstimateJson.Number(json, "firings_per_replication", rule.FiringsPerReplication);
            WriteTimes(json, "first_time", rule.FirstTime);
            WriteTimes(json, "first_effect_time", rule.FirstEffectTime);
            if (double.IsFinite(rule.FirstTime.Median))
            {
                json.WriteString("first_clock", ConsoleReport.Clock(s.ClockStartSeconds + rule.FirstTime.Median, days));
            }
            else
            {
                json.WriteNull("first_clock");
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteTimes(Utf8JsonWriter json, string name, TimeQuantiles times)
    {
        json.WriteStartObject(name);
        EstimateJson.Number(json, "median", times.Median);
        EstimateJson.Number(json, "p05", times.P05);
        EstimateJson.Number(json, "p95", times.P95);
        json.WriteEndObject();
    }

    /// <param name="seconds">The span's length, for the operators on duty (operator hours x 3600 ÷ seconds).</param>
    private static void WriteKpis(Utf8JsonWriter json, RunResult run, KpiEstimates kpis, double seconds)
    {
        json.WriteStartObject();
        for (var i = 0; i < KpiValues.Names.Length; i++)
        {
            json.WritePropertyName(KpiValues.Names[i]);
            EstimateJson.Estimate(json, kpis.Scalars[i]);
        }
        WriteByGroup(json, run, "occupancy", kpis.OccupancyByGroup);
        if (kpis.OperatorHoursByGroup.Count > 0)
        {
            WriteByGroup(json, run, "operator_hours", kpis.OperatorHoursByGroup);
            WriteByGroup(json, run, "cost", kpis.CostByGroup);
            json.WritePropertyName("operator_hours_total");
            EstimateJson.Estimate(json, kpis.OperatorHours);
            json.WritePropertyName("cost_total");
            EstimateJson.Estimate(json, kpis.Cost);
            WriteByGroup(json, run, "on_duty", [.. kpis.OperatorHoursByGroup.Select(h => PlannerMeasures.OnDuty(h, seconds))]);
            json.WritePropertyName("on_duty_total");
            EstimateJson.Estimate(json, PlannerMeasures.OnDuty(kpis.OperatorHours, seconds));
        }
        json.WriteEndObject();
    }

    private static void WriteByGroup(Utf8JsonWriter json, RunResult run, string name, IReadOnlyList<Estimate> values)
    {
        json.WriteStartObject(name);
        for (var g = 0; g < values.Count; g++)
        {
            json.WritePropertyName(run.Scenario.Groups[g].Name);
            EstimateJson.Estimate(json, values[g]);
        }
        json.WriteEndObject();
    }
}
