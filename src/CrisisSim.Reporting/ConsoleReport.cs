using System.Globalization;
using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;
using CrisisSim.Planning;

namespace CrisisSim.Reporting;

/// <summary>The KPI tables printed by <c>crisissim run</c>: overall (after warm-up) and per call type, and on request
/// per interval, for all call types (with the operators on duty and the occupancy of every group) and for each call
/// type. Tables on a terminal, aligned plain text anywhere else (see <see cref="ConsoleOutput"/>).</summary>
public static class ConsoleReport
{
    /// <summary>The marker of a service level below the scenario's target.</summary>
    public const string BelowTargetMarker = "!";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Write(RunResult run, TextWriter o, bool intervals) => Write(run, ConsoleOutput.For(o), intervals);

    public static void Write(RunResult run, ConsoleOutput o, bool intervals)
    {
        var s = run.Scenario;
        var first = KpiValues.FirstCountedInterval(s);
        o.Heading($"{s.Name}: {run.ReplicationCount} replication(s), seed {run.Seed}, {s.IntervalCount} intervals of {Duration(s.IntervalSeconds)}, routing {s.Routing}");
        o.Line($"Overall KPIs over {Clock(s.ClockStartSeconds + first * s.IntervalSeconds, SpansDays(s))}-{Clock(s.ClockStartSeconds + s.HorizonSeconds, SpansDays(s))} (calls by arrival time), mean ± 95 % CI half-width over replications:");
        o.Table(OverallTable(run));
        if (PlannerMeasures.BelowTarget(run.Overall, s) == true)
        {
            o.Line($"{BelowTargetMarker} the service level is below its target of {Target(s)}.");
        }
        if (s.CallTypes.Count > 1)
        {
            o.Line("Per call type:");
            o.Table(CallTypeTable(run));
            if (s.CallTypes.Any(t => t.Outbound is not null))
            {
                o.Line("Outbound follow-up calls (made by operators, in no inbound KPI):");
                o.Table(OutboundTable(run));
            }
        }
        if (run.Playbook is { } playbook)
        {
            o.Line($"Playbook (rules evaluated every {Duration(playbook.EvaluateEverySeconds)}): the replications where each rule fired, and over them its first firing, median and 90 % range:");
            o.Table(PlaybookTable(run));
        }
        if (intervals)
        {
            o.Line();
            WriteIntervals(run, o);
        }
    }

    /// <summary>Every overall KPI the scenario uses: mean, 95 % half-width, unit; then occupancy, operator hours and cost
    /// per group.</summary>
    public static ConsoleTable OverallTable(RunResult run)
    {
        var table = new ConsoleTable(new ConsoleColumn("KPI", ColumnAlign.Left), new("mean"), new("± 95 %"), new("unit", ColumnAlign.Left));
        var k = run.Overall;
        var s = run.Scenario;
        var threshold = Duration(s.ServiceLevel.ThresholdSeconds);
        for (var i = 0; i < KpiCatalog.All.Count; i++)
        {
            var kpi = KpiCatalog.All[i];
            if (kpi.ShownWhenPositive >= 0 && !(k.Scalars[kpi.ShownWhenPositive].Mean > 0))
            {
                continue;
            }
            var warn = i == KpiCatalog.ServiceLevel && PlannerMeasures.BelowTarget(k, s) == true;
            Row(table, kpi.Label.Replace("{threshold}", threshold, StringComparison.Ordinal), k.Scalars[i], kpi.Format, warn);
        }
        var groups = s.Groups;
        for (var g = 0; g < groups.Count; g++)
        {
            Row(table, $"occupancy {groups[g].Name}", k.OccupancyByGroup[g], KpiFormat.Ratio);
        }
        for (var g = 0; g < groups.Count; g++)
        {
            Row(table, $"operator hours {groups[g].Name}", k.OperatorHoursByGroup[g], KpiFormat.Count);
        }
        if (groups.Count > 1)
        {
            Row(table, "operator hours, all groups", k.OperatorHours, KpiFormat.Count);
        }
        if (groups.Any(g => g.CostPerHour > 0))
        {
            for (var g = 0; g < groups.Count; g++)
            {
                Row(table, $"cost {groups[g].Name}", k.CostByGroup[g], KpiFormat.Count);
            }
            if (groups.Count > 1)
            {
                Row(table, "cost, all groups", k.Cost, KpiFormat.Count);
            }
        }
        return table;
    }

    private static void Row(ConsoleTable table, string label, Estimate e, KpiFormat format, bool warn = false)
    {
        var scale = format == KpiFormat.Ratio ? 100 : 1;
        var digits = format == KpiFormat.Ratio ? "F2" : "F1";
        var style = warn ? CellStyle.Warning : CellStyle.Normal;
        table.AddRow(
            new ConsoleCell(label),
            new ConsoleCell(Fixed(e.Mean * scale, digits), style),
            double.IsNaN(e.HalfWidth) ? "" : "± " + (e.HalfWidth * scale).ToString(digits, Inv),
            format switch { KpiFormat.Ratio => "%", KpiFormat.Seconds => "s", _ => "" });
    }

    /// <summary>The overall KPIs of each inbound call type (after warm-up).</summary>
    public static ConsoleTable CallTypeTable(RunResult run)
    {
        var s = run.Scenario;
        var table = new ConsoleTable(new ConsoleColumn("call type", ColumnAlign.Left), new("offered"), new("service level"), new("", ColumnAlign.Left, KeepWithPrevious: true), new("ASA"), new("abandonment"));
        for (var t = 0; t < s.CallTypes.Count; t++)
        {
            if (s.CallTypes[t].Outbound is not null)
            {
                continue;
            }
            var k = run.OverallByCallType[t];
            var below = PlannerMeasures.BelowTarget(k, s) == true;
            table.AddRow(
                s.CallTypes[t].Name,
                Fixed(k["offered"].Mean, "F1"),
                new ConsoleCell(WithHalfWidth(k["service_level"], KpiFormat.Ratio), below ? CellStyle.Warning : CellStyle.Normal),
                Marker(below),
                WithHalfWidth(k["asa"], KpiFormat.Seconds),
                WithHalfWidth(k["abandonment_rate"], KpiFormat.Ratio));
        }
        return table;
    }

    /// <summary>Each playbook rule: the share of replications where it fired, and over them the clock time of its first
    /// firing (median) and the 90 % range (5 % to 95 %). Empty without a playbook.</summary>
    public static ConsoleTable PlaybookTable(RunResult run)
    {
        var s = run.Scenario;
        var days = SpansDays(s);
        var table = new ConsoleTable(new ConsoleColumn("rule", ColumnAlign.Left), new("fired in"), new("replications"), new("first fired"), new("90 % range", ColumnAlign.Left));
        foreach (var rule in run.Playbook?.Rules ?? [])
        {
            var fired = rule.FirstTime.Median is var median && double.IsFinite(median);
            table.AddRow(
                rule.Name,
                double.IsNaN(rule.FiredShare.Estimate) ? "-" : (rule.FiredShare.Estimate * 100).ToString("0.#", Inv) + " %",
                string.Create(Inv, $"{rule.FiredReplications} of {run.ReplicationCount}"),
                fired ? Clock(s.ClockStartSeconds + median, days) : "-",
                fired ? Clock(s.ClockStartSeconds + rule.FirstTime.P05, days) + "-" + Clock(s.ClockStartSeconds + rule.FirstTime.P95, days) : "");
        }
        return table;
    }

    /// <summary>The overall figures of each outbound call type.</summary>
    public static ConsoleTable OutboundTable(RunResult run)
    {
        var s = run.Scenario;
        var table = new ConsoleTable(new ConsoleColumn("call type", ColumnAlign.Left), new("to make"), new("in time"), new("in-time rate"), new("late"), new("missed"));
        for (var t = 0; t < s.CallTypes.Count; t++)
        {
            if (s.CallTypes[t].Outbound is null)
            {
                continue;
            }
            var k = run.OverallByCallType[t];
            table.AddRow(s.CallTypes[t].Name, Fixed(k["outbound_created"].Mean, "F1"), Fixed(k["outbound_in_time"].Mean, "F1"),
                WithHalfWidth(k["outbound_in_time_rate"], KpiFormat.Ratio), Fixed(k["outbound_late"].Mean, "F1"), Fixed(k["outbound_missed"].Mean, "F1"));
        }
        return table;
    }

    private static void WriteIntervals(RunResult run, ConsoleOutput o)
    {
        var s = run.Scenario;
        o.Line("Per interval, all call types (mean over replications):");
        o.Table(IntervalTable(run));
        var types = s.CallTypes.Count;
        if (types > 1 && run.IntervalsByCallType.Count == types)
        {
            for (var t = 0; t < types; t++)
            {
                o.Line();
                o.Line($"Per interval, call type {s.CallTypes[t].Name}{(s.CallTypes[t].Outbound is null ? "" : " (outbound)")}:");
                o.Table(CallTypeIntervalTable(run, t));
            }
        }
        else if (types > 1)
        {
            o.Note(string.Create(Inv, $"The KPIs per call type and interval are not kept beyond {RunLimits.MaxCallTypeIntervalCells:N0} intervals x call types (this scenario: {(long)s.IntervalCount * types:N0})."));
        }
        if (!RunLimits.KeepsGroupIntervals(s))
        {
            o.Note(string.Create(Inv, $"The groups' KPIs per interval (on duty, occupancy, operator hours, cost) are not kept beyond {RunLimits.MaxGroupIntervalCells:N0} intervals x groups (this scenario: {(long)s.IntervalCount * s.Groups.Count:N0}); the overall ones are."));
        }
        o.Note("SL, ASA, wait, p90 and abandonment: calls arriving in the interval; waits in seconds; max queue, on duty and occupancy: clock time.");
        o.Note("max queue: the mean over replications of each replication's most calls waiting at once (all call types); on duty: operators on duty on average (operator hours / interval length).");
        if (s.ServiceLevel.Target > 0)
        {
            o.Note($"{BelowTargetMarker}: service level below its target of {Target(s)}.");
        }
    }

    /// <summary>Every interval's KPIs over all call types, with the operators on duty and the occupancy per group; a
    /// service level below the target is marked <see cref="BelowTargetMarker"/>.</summary>
    public static ConsoleTable IntervalTable(RunResult run)
    {
        var s = run.Scenario;
        IReadOnlyList<Model.Scenario.OperatorGroupSpec> groups = RunLimits.KeepsGroupIntervals(s) ? s.Groups : [];
        List<ConsoleColumn> columns = [.. InboundColumns(), new("max queue")];
        columns.AddRange(groups.Select(g => new ConsoleColumn("on duty " + g.Name)));
        columns.AddRange(groups.Select(g => new ConsoleColumn("occ % " + g.Name)));
        var table = new ConsoleTable(columns) { Border = ConsoleBorder.Simple };
        foreach (var i in run.Intervals)
        {
            var k = i.Kpis;
            List<ConsoleCell> cells = [.. InboundCells(run, i), Fixed(k["max_queue"].Mean, "F1")];
            cells.AddRange(k.OperatorHoursByGroup.Select(h => (ConsoleCell)Fixed(PlannerMeasures.OnDuty(h, i.EndSeconds - i.StartSeconds).Mean, "F1")));
            cells.AddRange(k.OccupancyByGroup.Select(occ => (ConsoleCell)Fixed(occ.Mean * 100, "F1")));
            table.AddRow(cells);
        }
        return table;
    }

    /// <summary>Every interval's KPIs of one call type (inbound: offered, answered … abandonment; outbound: the follow-up
    /// calls to make and how they ended). Empty when the run did not keep them (see <see cref="RunResult.IntervalsByCallType"/>).</summary>
    public static ConsoleTable CallTypeIntervalTable(RunResult run, int callType)
    {
        var intervals = run.IntervalsByCallType.Count > callType ? run.IntervalsByCallType[callType] : [];
        if (run.Scenario.CallTypes[callType].Outbound is not null)
        {
            var outbound = new ConsoleTable(new ConsoleColumn("interval", ColumnAlign.Left), new("to make"), new("in time"), new("late"), new("unreached"), new("missed"), new("in time %")) { Border = ConsoleBorder.Simple };
            foreach (var i in intervals)
            {
                var k = i.Kpis;
                outbound.AddRow(Span(run.Scenario, i), Fixed(k["outbound_created"].Mean, "F1"), Fixed(k["outbound_in_time"].Mean, "F1"), Fixed(k["outbound_late"].Mean, "F1"),
                    Fixed(k["outbound_unreached"].Mean, "F1"), Fixed(k["outbound_missed"].Mean, "F1"), Fixed(k["outbound_in_time_rate"].Mean * 100, "F1"));
            }
            return outbound;
        }
        var table = new ConsoleTable(InboundColumns()) { Border = ConsoleBorder.Simple };
        foreach (var i in intervals)
        {
            table.AddRow(InboundCells(run, i));
        }
        return table;
    }

    private static ConsoleColumn[] InboundColumns() =>
    [
        new("interval", ColumnAlign.Left), new("offered"), new("answered"), new("abandoned"), new("SL %"), new("", ColumnAlign.Left, KeepWithPrevious: true),
        new("ASA s"), new("wait s"), new("p90 s"), new("aband %"),
    ];

    private static ConsoleCell[] InboundCells(RunResult run, IntervalEstimates i)
    {
        var k = i.Kpis;
        var below = PlannerMeasures.BelowTarget(k, run.Scenario) == true;
        return
        [
            Span(run.Scenario, i), Fixed(k["offered"].Mean, "F1"), Fixed(k["answered"].Mean, "F1"), Fixed(k["abandoned"].Mean, "F1"),
            new ConsoleCell(Fixed(k["service_level"].Mean * 100, "F1"), below ? CellStyle.Warning : CellStyle.Normal), Marker(below),
            Fixed(k["asa"].Mean, "F1"), Fixed(k["mean_wait"].Mean, "F1"), Fixed(k["p90_wait"].Mean, "F1"), Fixed(k["abandonment_rate"].Mean * 100, "F1"),
        ];
    }

    private static ConsoleCell Marker(bool below) => below ? new ConsoleCell(BelowTargetMarker, CellStyle.Warning) : "";

    private static string Span(ScenarioDefinition s, IntervalEstimates i)
    {
        var days = SpansDays(s);
        return Clock(s.ClockStartSeconds + i.StartSeconds, days) + "-" + Clock(s.ClockStartSeconds + i.EndSeconds, days);
    }

    private static string Target(ScenarioDefinition s) =>
        string.Create(Inv, $"{s.ServiceLevel.Target * 100:0.##} % within {Duration(s.ServiceLevel.ThresholdSeconds)}");

    private static string WithHalfWidth(Estimate e, KpiFormat format)
    {
        var scale = format == KpiFormat.Ratio ? 100 : 1;
        var digits = format == KpiFormat.Ratio ? "F2" : "F1";
        var unit = format switch { KpiFormat.Ratio => " %", KpiFormat.Seconds => " s", _ => "" };
        return double.IsNaN(e.Mean) ? "-"
            : (e.Mean * scale).ToString(digits, Inv) + (double.IsNaN(e.HalfWidth) ? "" : " ± " + (e.HalfWidth * scale).ToString(digits, Inv)) + unit;
    }

    private static string Fixed(double v, string format) => double.IsNaN(v) ? "-" : v.ToString(format, Inv);

    /// <summary>A clock time <c>HH:MM</c>; with <paramref name="days"/>, <c>day D HH:MM</c> (day 1 is the first day).</summary>
    public static string Clock(double seconds, bool days = false) => ClockLabel.Of(seconds, days);

    /// <summary>Whether a scenario's horizon goes past its first day: its labels then name the day.</summary>
    public static bool SpansDays(ScenarioDefinition s) => ClockLabel.SpansDays(s);

    public static string Duration(double seconds) =>
        seconds % 3600 == 0 ? $"{(seconds / 3600).ToString(Inv)} h"
        : seconds % 60 == 0 ? $"{(seconds / 60).ToString(Inv)} min"
        : $"{seconds.ToString(Inv)} s";
}
