using CrisisSim.Engine;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Reporting;

/// <summary>Figures derived from the KPI estimates for the planner's view of a run, the same in the console,
/// <c>intervals.csv</c> and <c>summary.json</c>.</summary>
public static class PlannerMeasures
{
    /// <summary>Operators on duty on average over a span: on-duty operator time ÷ the span's length, i.e. operator hours
    /// x 3600 ÷ seconds (a linear function of each replication's value, so the half-width scales the same way).</summary>
    public static Estimate OnDuty(Estimate operatorHours, double seconds) =>
        new(operatorHours.Mean * 3600 / seconds, operatorHours.HalfWidth * 3600 / seconds, operatorHours.Count);

    /// <summary>Whether the service level misses the scenario's target (<c>serviceLevel.target</c>): its mean over
    /// replications is below it. Null when the service level is undefined (no call offered); false with a target of 0.</summary>
    public static bool? BelowTarget(KpiEstimates kpis, ScenarioDefinition scenario)
    {
        var level = kpis["service_level"].Mean;
        return double.IsNaN(level) ? null : level < scenario.ServiceLevel.Target;
    }

    /// <summary>The span of the overall KPIs: from the first interval after the warm-up to the horizon, in seconds.</summary>
    public static double CountedSeconds(ScenarioDefinition scenario) =>
        scenario.HorizonSeconds - KpiValues.FirstCountedInterval(scenario) * scenario.IntervalSeconds;
}
