using System.Globalization;
using CrisisSim.Engine;
using CrisisSim.Planning;

namespace CrisisSim.Reporting;

/// <summary>The staffing table of <see cref="IterativeStaffing"/>, printed and as files.</summary>
public static class StaffingReport
{
    public const string CsvFile = "staffing.csv";
    public const string JsonFile = "staffing.json";
    public const string PlanFolder = "plan";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes the files of a staffing into <paramref name="target"/>: <c>scenario.yaml</c> (the scenario with the
    /// staffing found, <paramref name="staffedText"/>), <c>staffing.csv</c>, <c>staffing.json</c>, and the last
    /// iteration's run as <c>summary.json</c> and <c>intervals.csv</c>.</summary>
    public static void WriteFiles(StaffingResult r, string staffedText, ExportTarget target)
    {
        ScenarioCopy.WriteText(staffedText, target);
        using (var csv = target.CreateText(CsvFile))
        {
            WriteCsv(r, csv);
        }
        using (var json = target.Create(JsonFile))
        {
            WriteJson(r, json);
        }
        using (var summary = target.Create(SummaryJson.FileName))
        {
            SummaryJson.Write(r.Run, summary);
        }
        using (var csv = target.CreateText(IntervalsCsv.FileName))
        {
            IntervalsCsv.Write(r.Run, csv);
        }
    }

    /// <summary>Writes <c>plan/report.html</c> and <c>plan/charts/</c>: the scenario run with its own staffing
    /// (<paramref name="planRun"/>, same seed and replications), its operators on duty drawn against the staffing found
    /// (dashed). Without the chart fonts it says so on <paramref name="warnings"/> and goes on: the staffing files are the
    /// result.</summary>
    public static void WritePlanReport(
        StaffingResult r, RunResult planRun, ScenarioFile scenarioFile, RunFacts facts, ExportTarget target, TextWriter warnings)
    {
        var problem = r.Problem;
        var needs = Enumerable.Range(0, problem.StaffedGroups.Count)
            .Select(i => new StaffingNeed(problem.Scenario.Groups[problem.StaffedGroups[i]].Name, r.Staffing[i]))
            .ToList();
        var method = string.Create(Inv,
            $"iterative staffing algorithm driven by simulation ({r.Replications} replications, seed {r.Seed}, {r.Iterations.Count} iterations{(r.Converged ? "" : ", not converged")}), started from Erlang A");
        var report = new RunReport(planRun, facts, scenarioFile, new StaffingPlan(method, needs));
        var formats = new[] { "charts", "report" };
        try
        {
            ChartFonts.Register();
        }
        catch (ChartFontsException ex)
        {
            // The plan's report stands without its charts, and says why they are missing.
            warnings.WriteLine($"warning: no plan charts written: {ex.Message}");
            formats = ["report"];
        }
        Exporters.Export(report, new ExportTarget(Path.Combine(target.Folder, PlanFolder)), Exporters.All.Where(x => formats.Contains(x.Name)));
    }

    private static IEnumerable<string> StaffedNames(StaffingResult r) => r.Problem.StaffedGroups.Select(g => r.Problem.Scenario.Groups[g].Name);

    private static string ClockOf(StaffingResult r, int k)
    {
        var s = r.Problem.Scenario;
        return ConsoleReport.Clock(s.ClockStartSeconds + k * s.IntervalSeconds, ConsoleReport.SpansDays(s));
    }

    /// <summary>The table printed by <c>crisissim staff</c>.</summary>
    public static void WriteTable(StaffingResult r, TextWriter o)
    {
        var s = r.Problem.Scenario;
        var names = StaffedNames(r).ToList();
        o.WriteLine($"{s.Name}: staffing of {string.Join(", ", names)} for {r.Problem.Targets.Describe()} in every interval");
        var judged = r.Problem.JudgedCallTypes.Count == 1
            ? "call type " + s.CallTypes[r.Problem.JudgedCallTypes[0]].Name
            : "each of the call types " + string.Join(", ", r.Problem.JudgedCallTypes.Select(t => s.CallTypes[t].Name));
        var fixedGroups = r.Problem.FixedGroups.Count == 0 ? "" : "; fixed: " + string.Join(", ", r.Problem.FixedGroups.Select(g => s.Groups[g].Name));
        var state = r.Converged ? "converged" : "not converged";
        var most = r.Iterations.Count == 0 ? r.Replications : r.Iterations.Max(h => h.Replications);
        var grown = most > r.Replications ? string.Create(Inv, $" (up to {most} where the precision asked for more)") : "";
        o.WriteLine(string.Create(Inv, $"Targets judged on {judged}{fixedGroups}. {r.Replications} replication(s) per iteration{grown}, seed {r.Seed}; {state} after {r.Iterations.Count} iteration(s)."));
        if (r.Verification is { } v)
        {
            var added = v.Rounds.Sum(x => x.OperatorsAdded);
            o.WriteLine(string.Create(Inv,
                $"Verified on seed {v.Seed} (derived from the seed, unused by the search): {v.Rounds.Count} round(s) of at most {v.MaxRounds}, {v.Rounds[^1].Replications} replications in the last; {added} operator-interval(s) added where the plan missed. The figures below are the verification's."));
        }
        o.WriteLine();
        List<ConsoleColumn> columns = [new("#"), new("clock", ColumnAlign.Left), .. names.Select(n => new ConsoleColumn(n))];
        if (names.Count > 1)
        {
            columns.Add(new("total"));
        }
        columns.AddRange([new("Erlang A"), new("offered"), new("service level"), new("abandonment"), new("ASA (s)"), new("status", ColumnAlign.Left)]);
        var table = new ConsoleTable(columns) { Border = ConsoleBorder.Simple };
        for (var k = 0; k < s.IntervalCount; k++)
        {
            var p = r.Performance[k];
            List<ConsoleCell> cells = [k.ToString(Inv), ClockOf(r, k), .. Enumerable.Range(0, names.Count).Select(i => (ConsoleCell)r.Staffing[i][k].ToString(Inv))];
            if (names.Count > 1)
            {
                cells.Add(r.Total(k).ToString(Inv));
            }
            var missed = r.Misses[k] is not null;
            cells.AddRange([r.ErlangStart[k].ToString(Inv), p.Offered.ToString("F1", Inv), TableText.PercentCi(p.ServiceLevel), TableText.PercentCi(p.Abandonment), TableText.Ci(p.Asa, "F1"),
                new ConsoleCell(missed ? "MISSED" : "ok", missed ? CellStyle.Warning : CellStyle.Normal)]);
            table.AddRow(cells);
        }
        var console = ConsoleOutput.For(o);
        console.Table(table);
        var level = string.Create(Inv, $"{r.Confidence * 100:0.##} %");
        o.WriteLine(r.PerformanceByCallType.Count == 0
            ? $"Erlang A: the stationary first estimate; KPIs of the calls arriving in the interval, mean ± {level} CI half-width over replications."
            : $"Erlang A: the stationary first estimate; KPIs of the calls arriving in the interval, the judged call types together (each must meet the targets), mean ± {level} CI half-width over replications.");
        if (r.Precision.Count == s.IntervalCount)
        {
            var capped = Enumerable.Range(0, s.IntervalCount).Where(k => !r.Precision[k].Reached).ToList();
            o.WriteLine(capped.Count == 0
                ? string.Create(Inv, $"Precision: in every interval, the CI of the measure closest to its target is within what tells the staffing from one operator less ({r.Precision.Max(q => q.Replications)} replications).")
                : string.Create(Inv, $"Precision: --max-replications ({r.Precision.Max(q => q.Replications)}) stopped {capped.Count} interval(s) before the CI of the measure closest to its target told the staffing from one operator less (CI half-width > needed, points):"));
            foreach (var line in capped.Select(k => $"  {k} ({ClockOf(r, k)}): {PrecisionText(r.Precision[k])}").Chunk(4))
            {
                o.WriteLine(string.Join("  ", line));
            }
        }
        o.WriteLine();
        for (var i = 0; i < names.Count; i++)
        {
            var cost = GroupTerms.CostPerHour(s.Groups[r.Problem.StaffedGroups[i]]);
            var costText = cost > 0 ? string.Create(Inv, $", cost {r.Cost(i):N2} ({cost:0.##} per hour)") : "";
            var scheduled = Math.Abs(r.ScheduledHours(i) - r.AgentHours(i)) > 1e-9 ? string.Create(Inv, $" ({r.ScheduledHours(i):N1} scheduled)") : "";
            o.WriteLine(string.Create(Inv, $"{names[i]}: {r.AgentHours(i):N1} agent-hours on duty{scheduled}{costText}"));
        }
        if (names.Count > 1)
        {
            o.WriteLine(string.Create(Inv, $"total: {Enumerable.Range(0, names.Count).Sum(r.AgentHours):N1} agent-hours on duty, cost {Enumerable.Range(0, names.Count).Sum(r.Cost):N2}"));
        }
        var erlangHours = r.ErlangStart.Sum(x => (double)x) * s.IntervalSeconds / 3600;
        o.WriteLine(string.Create(Inv, $"Erlang A first estimate: {erlangHours:N1} agent-hours scheduled."));
        if (!r.Converged)
        {
            o.WriteLine(string.Create(Inv,
                $"Not converged: the iterations ran out after {r.Iterations.Count} (raise --max-iterations); this staffing is the best found, not shown to be the least."));
        }
        if (r.IntervalsMissed == 0 && !r.Converged)
        {
            o.WriteLine("No interval misses the targets with this staffing, but it is not the answer of a converged search.");
        }
        else if (r.IntervalsMissed == 0)
        {
            o.WriteLine(r.Verification is null ? "Every interval meets the targets." : string.Create(Inv,
                $"Every interval meets the targets. Met in expectation in each interval on random numbers the search did not use ({level} CIs above); a single day can still miss (see size for the risk)."));
        }
        else
        {
            o.WriteLine(string.Create(Inv, $"{r.IntervalsMissed} interval(s) cannot meet the targets:"));
            for (var k = 0; k < s.IntervalCount; k++)
            {
                if (r.Misses[k] is { } miss)
                {
                    o.WriteLine($"  {k} ({ClockOf(r, k)}): {miss}" + (r.Reasons[k] is { } why ? $"; {why}" : ""));
                }
            }
        }
    }

    private static string PrecisionText(IntervalPrecision q) => string.Create(Inv, $"±{q.HalfWidth * 100:0.0} > {q.Needed * 100:0.0}");

    /// <summary><c>staffing.csv</c>: one row per interval. Columns: <c>interval</c>, <c>clock</c> (as in
    /// <c>intervals.csv</c>), <c>start_s</c>, <c>end_s</c>, <c>staffing_GROUP</c> for each staffed group,
    /// <c>staffing_total</c>, <c>erlang_a</c> (the first estimate, groups together), <c>offered_mean</c>,
    /// <c>service_level_mean</c>, <c>service_level_ci95</c>, <c>abandonment_rate_mean</c>,
    /// <c>abandonment_rate_ci95</c>, <c>asa_mean</c>, <c>asa_ci95</c> (the judged call types together), <c>meets</c>
    /// (<c>true</c>/<c>false</c>: every judged call type meets the targets), <c>missed</c> (the targets missed, by call
    /// type when several are judged) and <c>reason</c> (why the interval cannot do better).</summary>
    public static void WriteCsv(StaffingResult r, TextWriter w)
    {
        var s = r.Problem.Scenario;
        var header = new List<string> { "interval", "clock", "start_s", "end_s" };
        header.AddRange(StaffedNames(r).Select(n => Csv.Field("staffing_" + n)));
        header.AddRange(["staffing_total", "erlang_a", "offered_mean", "service_level_mean", "service_level_ci95", "abandonment_rate_mean", "abandonment_rate_ci95", "asa_mean", "asa_ci95", "meets", "missed", "reason"]);
        Csv.Row(w, header);
        for (var k = 0; k < s.IntervalCount; k++)
        {
            var p = r.Performance[k];
            var cells = new List<string> { Csv.Int(k), ClockOf(r, k), Csv.Number(k * s.IntervalSeconds), Csv.Number((k + 1) * s.IntervalSeconds) };
            cells.AddRange(r.Staffing.Select(g => Csv.Int(g[k])));
            cells.AddRange([
                Csv.Int(r.Total(k)), Csv.Int(r.ErlangStart[k]), Csv.Number(p.Offered),
                Csv.Number(p.ServiceLevel.Mean), Csv.Number(p.ServiceLevel.HalfWidth),
                Csv.Number(p.Abandonment.Mean), Csv.Number(p.Abandonment.HalfWidth),
                Csv.Number(p.Asa.Mean), Csv.Number(p.Asa.HalfWidth),
                Csv.Bool(r.Misses[k] is null), Csv.Field(r.Misses[k] ?? ""), Csv.Field(r.Reasons[k] ?? ""),
            ]);
            Csv.Row(w, cells);
        }
    }

    /// <summary><c>staffing.json</c>: the inputs (<c>scenario</c>, <c>seed</c>, <c>replications</c>, <c>targets</c>,
    /// <c>groups</c> staffed, <c>fixedGroups</c>, <c>judgedCallTypes</c>), the outcome (<c>converged</c>,
    /// <c>iterations</c>, <c>intervalsMissed</c>, <c>agentHours</c> (on duty by the plan), <c>scheduledHours</c> and
    /// <c>cost</c> by group and <c>total</c>, <c>erlangAAgentHours</c> (scheduled), <c>confidence</c> (level of every
    /// <c>ci95</c> half-width), <c>intervalsImprecise</c> (where the replication cap stopped the precision),
    /// <c>verification</c> when verified: <c>seed</c>, <c>maxRounds</c>, <c>passed</c>, <c>rounds[]</c> (<c>round</c>,
    /// <c>replications</c>, <c>agentHours</c>, <c>intervalsMissed</c>, <c>operatorsAdded</c>)), <c>history[]</c> (per
    /// iteration: <c>iteration</c>, <c>agentHours</c> (on duty),
    /// <c>intervalsMissed</c>, <c>intervalsChanged</c>, <c>replications</c>) and <c>intervals[]</c> (<c>index</c>, <c>startSeconds</c>,
    /// <c>endSeconds</c>, <c>staffing</c> by group, <c>erlangA</c>, <c>offered</c>, <c>serviceLevel</c>,
    /// <c>abandonment</c>, <c>asa</c> as <c>{mean, ci95, n}</c> over the judged call types together, <c>callTypes</c>
    /// (the same for each judged call type, when several are judged), <c>precision</c> (<c>halfWidth</c> of the measure
    /// closest to its target, <c>needed</c>, <c>reached</c>, <c>replications</c>), <c>meets</c>, <c>missed</c>,
    /// <c>reason</c>). With a verification, the figures are the last verification round's.
    /// Depends only on the scenario, the targets, the seed and the replications.</summary>
    public static void WriteJson(StaffingResult r, Stream stream)
    {
        var s = r.Problem.Scenario;
        var names = StaffedNames(r).ToList();
        var t = r.Problem.Targets;
        using var j = EstimateJson.Writer(stream);
        j.WriteStartObject();
        j.WriteString("scenario", s.Name);
        j.WriteNumber("seed", r.Seed);
        j.WriteNumber("replications", r.Replications);
        j.WriteStartObject("targets");
        j.WriteNumber("serviceLevel", t.ServiceLevel);
        j.WriteNumber("thresholdSeconds", t.ThresholdSeconds);
        EstimateJson.Optional(j, "maxAbandonment", t.MaxAbandonment);
        EstimateJson.Optional(j, "maxAsaSeconds", t.MaxAsaSeconds);
        j.WriteEndObject();
        EstimateJson.Strings(j, "groups", names);
        EstimateJson.Strings(j, "fixedGroups", r.Problem.FixedGroups.Select(g => s.Groups[g].Name));
        EstimateJson.Strings(j, "judgedCallTypes", r.Problem.JudgedCallTypes.Select(c => s.CallTypes[c].Name));
        j.WriteNumber("confidence", r.Confidence);
        j.WriteBoolean("converged", r.Converged);
        j.WriteNumber("iterations", r.Iterations.Count);
        j.WriteNumber("intervalsMissed", r.IntervalsMissed);
        j.WriteStartObject("agentHours");
        for (var i = 0; i < names.Count; i++)
        {
            j.WriteNumber(names[i], r.AgentHours(i));
        }
        j.WriteNumber("total", Enumerable.Range(0, names.Count).Sum(r.AgentHours));
        j.WriteEndObject();
        j.WriteStartObject("scheduledHours");
        for (var i = 0; i < names.Count; i++)
        {
            j.WriteNumber(names[i], r.ScheduledHours(i));
        }
        j.WriteNumber("total", Enumerable.Range(0, names.Count).Sum(r.ScheduledHours));
        j.WriteEndObject();
        j.WriteStartObject("cost");
        for (var i = 0; i < names.Count; i++)
        {
            j.WriteNumber(names[i], r.Cost(i));
        }
        j.WriteNumber("total", Enumerable.Range(0, names.Count).Sum(r.Cost));
        j.WriteEndObject();
        j.WriteNumber("erlangAAgentHours", r.ErlangStart.Sum(x => (double)x) * s.IntervalSeconds / 3600);
        j.WriteNumber("intervalsImprecise", r.IntervalsImprecise);
        if (r.Verification is { } v)
        {
            j.WriteStartObject("verification");
            j.WriteNumber("seed", v.Seed);
            j.WriteNumber("maxRounds", v.MaxRounds);
            j.WriteBoolean("passed", v.Passed);
            j.WriteStartArray("rounds");
            foreach (var round in v.Rounds)
            {
                j.WriteStartObject();
                j.WriteNumber("round", round.Round);
                j.WriteNumber("replications", round.Replications);
                j.WriteNumber("agentHours", round.AgentHours);
                j.WriteNumber("intervalsMissed", round.IntervalsMissed);
                j.WriteNumber("operatorsAdded", round.OperatorsAdded);
                j.WriteEndObject();
            }
            j.WriteEndArray();
            j.WriteEndObject();
        }
        j.WriteStartArray("history");
        foreach (var h in r.Iterations)
        {
            j.WriteStartObject();
            j.WriteNumber("iteration", h.Iteration);
            j.WriteNumber("agentHours", h.AgentHours);
            j.WriteNumber("intervalsMissed", h.IntervalsMissed);
            j.WriteNumber("intervalsChanged", h.IntervalsChanged);
            j.WriteNumber("replications", h.Replications);
            j.WriteEndObject();
        }
        j.WriteEndArray();
        j.WriteStartArray("intervals");
        for (var k = 0; k < s.IntervalCount; k++)
        {
            var p = r.Performance[k];
            j.WriteStartObject();
            j.WriteNumber("index", k);
            j.WriteNumber("startSeconds", k * s.IntervalSeconds);
            j.WriteNumber("endSeconds", (k + 1) * s.IntervalSeconds);
            j.WriteStartObject("staffing");
            for (var i = 0; i < names.Count; i++)
            {
                j.WriteNumber(names[i], r.Staffing[i][k]);
            }
            j.WriteEndObject();
            j.WriteNumber("erlangA", r.ErlangStart[k]);
            EstimateJson.Number(j, "offered", p.Offered);
            EstimateJson.Estimate(j, "serviceLevel", p.ServiceLevel);
            EstimateJson.Estimate(j, "abandonment", p.Abandonment);
            EstimateJson.Estimate(j, "asa", p.Asa);
            if (r.PerformanceByCallType.Count > 0)
            {
                j.WriteStartObject("callTypes");
                for (var i = 0; i < r.PerformanceByCallType.Count; i++)
                {
                    var type = r.PerformanceByCallType[i][k];
                    j.WriteStartObject(s.CallTypes[r.Problem.JudgedCallTypes[i]].Name);
                    EstimateJson.Number(j, "offered", type.Offered);
                    EstimateJson.Estimate(j, "serviceLevel", type.ServiceLevel);
                    EstimateJson.Estimate(j, "abandonment", type.Abandonment);
                    EstimateJson.Estimate(j, "asa", type.Asa);
                    j.WriteEndObject();
                }
                j.WriteEndObject();
            }
            if (r.Precision.Count == s.IntervalCount)
            {
                var q = r.Precision[k];
                j.WriteStartObject("precision");
                EstimateJson.Number(j, "halfWidth", q.HalfWidth);
                EstimateJson.Number(j, "needed", q.Needed);
                j.WriteBoolean("reached", q.Reached);
                j.WriteNumber("replications", q.Replications);
                j.WriteEndObject();
            }
            j.WriteBoolean("meets", r.Misses[k] is null);
            j.WriteString("missed", r.Misses[k]);
            j.WriteString("reason", r.Reasons[k]);
            j.WriteEndObject();
        }
        j.WriteEndArray();
        j.WriteEndObject();
    }
}
