using System.Globalization;
using CrisisSim.Analytics;
using CrisisSim.Planning;

namespace CrisisSim.Reporting;

/// <summary>The sizing tables of <see cref="Sizing"/>: printed, Markdown for a proposal, CSV and JSON.</summary>
public static class SizingReport
{
    public const string MarkdownFile = "size.md";
    public const string CsvFile = "size.csv";
    public const string IntervalCsvFile = "risk-intervals.csv";
    public const string JsonFile = "size.json";

    /// <summary>Writes every file of a sizing into <paramref name="target"/>: <c>size.md</c>, <c>size.csv</c>,
    /// <c>risk-intervals.csv</c> (when the members share their intervals), <c>size.json</c> and the charts
    /// (<see cref="SizingCharts"/>); a chart that cannot be drawn is a warning on <paramref name="warnings"/>.</summary>
    public static void WriteFiles(SizingResult r, ExportTarget target, TextWriter warnings)
    {
        using (var md = target.CreateText(MarkdownFile))
        {
            WriteMarkdown(r, md);
        }
        using (var csv = target.CreateText(CsvFile))
        {
            WriteCsv(r, csv);
        }
        if (r.Options.Any(x => x.PIntervals is not null))
        {
            using var csv = target.CreateText(IntervalCsvFile);
            WriteIntervalCsv(r, csv);
        }
        using (var json = target.Create(JsonFile))
        {
            WriteJson(r, json);
        }
        PlanningCharts.Write(() => SizingCharts.Of(r), target, warnings);
    }
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Days shown as columns in the printed and Markdown tables (all are in the CSV).</summary>
    private const int DaysShown = 7;

    /// <summary>The Markdown table (the printed table is the same): one row per option, the recommended one in bold,
    /// then the recommendation and the assumptions.</summary>
    public static void WriteMarkdown(SizingResult r, TextWriter w)
    {
        var req = r.Request;
        var onDemand = req.OnDemand is not null;
        var days = Math.Min(DaysShown, r.Options.Count == 0 ? 0 : r.Options.Max(o => o.PDays.Count));
        var choices = ChoiceAxes(r.Request).Select(a => a.Key).ToList();
        var header = new List<string> { "committed seats" };
        if (onDemand)
        {
            header.Add("on-demand seats");
        }
        header.AddRange(choices);
        header.Add("P(SLA met every day)");
        if (days > 1)
        {
            header.AddRange(Enumerable.Range(1, days).Select(d => $"P(day {d})"));
        }
        header.AddRange(["worst interval P", "mean service level", "intervals missed", "committed cost"]);
        if (onDemand)
        {
            header.AddRange(["on-demand cost", "activation"]);
        }
        header.AddRange(["expected penalties", "expected total"]);
        w.Write("| " + string.Join(" | ", header) + " |\n");
        w.Write("|" + string.Concat(header.Select(_ => "---:|")) + "\n");
        for (var i = 0; i < r.Options.Count; i++)
        {
            var o = r.Options[i];
            var cells = new List<string> { o.Committed.ToString(Inv) };
            if (onDemand)
            {
                cells.Add(o.OnDemand.ToString(Inv));
            }
            cells.AddRange(o.Choices.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal)));
            cells.Add(ProbabilityCi(o.AllDays));
            if (days > 1)
            {
                cells.AddRange(Enumerable.Range(0, days).Select(d => d < o.Days.Count ? ProbabilityCi(o.Days[d]) : "-"));
            }
            cells.AddRange([ProbabilityCi(o.MinPIntervalCi), TableText.Percent(o.MeanServiceLevel), o.ExpectedIntervalsBelow.ToString("F1", Inv), TableText.Money(o.CommittedCost)]);
            if (onDemand)
            {
                cells.AddRange([TableText.Money(o.OnDemandCost), TableText.Money(o.ActivationFee)]);
            }
            cells.AddRange([MoneyCi(o.ExpectedPenalty, o.PenaltyHalfWidth), MoneyCi(o.ExpectedTotal, o.ExpectedTotalHalfWidth)]);
            if (r.Recommended == i)
            {
                cells = [.. cells.Select(c => "**" + c + "**")];
            }
            w.Write("| " + string.Join(" | ", cells) + " |\n");
        }
        w.Write("\n");
        w.Write(Precision(r) + "\n\n");
        w.Write(Recommendation(r) + "\n\n");
        w.Write(Assumptions(r) + "\n");
    }

    /// <summary>A probability with its interval: <c>96.7 % [83.3, 99.4]</c>.</summary>
    private static string ProbabilityCi(ProportionInterval p) =>
        double.IsNaN(p.Estimate) ? "-" : string.Create(Inv, $"{TableText.Percent(p.Estimate)} [{p.Lower * 100:F1}, {p.Upper * 100:F1}]");

    private static string MoneyCi(double value, double halfWidth) =>
        double.IsNaN(halfWidth) ? TableText.Money(value) : TableText.Money(value) + " ± " + TableText.Money(halfWidth);

    private static string Level(SizingResult r) => (r.Request.Confidence * 100).ToString("0.##", Inv);

    /// <summary>What the brackets and ± of the table are, and the outcomes behind them.</summary>
    public static string Precision(SizingResult r)
    {
        var outcomes = r.Options.Count == 0 ? 0 : r.Options[0].AllDays.Count;
        return string.Create(Inv,
            $"Probabilities: estimate [{Level(r)} % Wilson interval] over {outcomes:0.#} outcomes per option ({r.Request.Members.Count} scenario(s) x {r.Replications} replications); penalties and totals: expected value ± {Level(r)} % half-width (only the penalties are estimated).");
    }

    public static string Recommendation(SizingResult r)
    {
        var risk = (r.Request.Risk * 100).ToString("0.##", Inv);
        var level = Level(r);
        if (r.Recommended is not { } i)
        {
            var best = r.Options[r.Closest ?? 0];
            var text = string.Create(Inv,
                $"No option meets the SLA every day with probability {risk} % at {level} % confidence (the lower end of its interval at least {risk} %): the closest, {Seats(r, best)}, does with {ProbabilityCi(best.AllDays)}.");
            var outcomes = best.AllDays.Count;
            var needed = ProportionInterval.TrialsToShow(r.Request.Risk, r.Request.Confidence);
            if (double.IsPositiveInfinity(needed))
            {
                return text + " No number of replications shows a probability of 100 %: lower --risk.";
            }
            if (outcomes < needed)
            {
                var perScenario = Math.Ceiling(needed / Math.Max(1, r.Request.Members.Count));
                return text + string.Create(Inv,
                    $" {outcomes:0.#} outcomes per option cannot show {risk} % even if all of them meet the SLA: at least {needed:0} are needed (-r {perScenario:0} or more with {r.Request.Members.Count} scenario(s)).");
            }
            return text + (r.Undecided > 0
                ? string.Create(Inv, $" {r.Undecided} option(s) reach it in the estimate only: more replications (-r) would tell.")
                : " Widen the range of seats.");
        }
        var o = r.Options[i];
        return string.Create(Inv,
            $"Recommended at {risk} % with {level} % confidence: {Seats(r, o)}, meeting the SLA every day with probability {ProbabilityCi(o.AllDays)}, expected total cost {MoneyCi(o.ExpectedTotal, o.ExpectedTotalHalfWidth)}.");
    }

    private static string Seats(SizingResult r, SizingOption o)
    {
        var seats = r.Request.OnDemand is null
            ? string.Create(Inv, $"{o.Committed} committed seats")
            : string.Create(Inv, $"{o.Committed} committed and {o.OnDemand} on-demand seats");
        var keys = ChoiceAxes(r.Request).Select(a => a.Key).ToList();
        return keys.Count == 0 ? seats : seats + " with " + string.Join(", ", keys.Select((k, i) => k + " = " + o.Choices[i]));
    }

    private static string Assumptions(SizingResult r)
    {
        var req = r.Request;
        var t = req.Terms;
        var lines = new List<string>
        {
            string.Create(Inv, $"Ensemble: {req.Members.Count} scenario(s), equally likely: {string.Join("; ", req.Members.Select(m => m.Label))}."),
            string.Create(Inv, $"Each option and scenario: {r.Replications} replications, seed {r.Seed} (the same random numbers for every option)."),
            "SLA: each scenario's serviceLevel.target within serviceLevel.threshold, judged per interval and per day (calls arriving after the warm-up).",
            string.Create(Inv, $"Committed seats ({req.Committed.Key}) paid every hour of the horizon at {(t.CommittedCostPerHour is { } c ? c.ToString("0.##", Inv) : "the group's costPerHour")} per hour."),
        };
        if (req.OnDemand is { } od)
        {
            lines.Add(string.Create(Inv, $"On-demand seats ({od.Key}) paid per hour on duty at {(t.OnDemandCostPerHour is { } rate ? rate.ToString("0.##", Inv) : "the group's costPerHour")}, plus an activation fee of {TableText.Money(t.ActivationFee)}."));
        }
        foreach (var choice in ChoiceAxes(req))
        {
            lines.Add($"Options of {choice.Key}: {string.Join(", ", choice.Values)} (at equal cost, the first listed is preferred).");
        }
        lines.Add(string.Create(Inv, $"Penalties: {TableText.Money(t.PenaltyPerInterval)} per interval and {TableText.Money(t.PenaltyPerDay)} per day below the SLA, expected over the ensemble."));
        lines.Add(string.Create(Inv, $"Recommendation: the cheapest option whose probability of meeting the SLA every day is at least {r.Request.Risk * 100:0.##} % with {Level(r)} % confidence (the lower end of its Wilson interval, not the estimate)."));
        return string.Join("\n", lines.Select(l => "- " + l));
    }

    /// <summary><c>size.csv</c>: one row per option. Columns: <c>committed</c>, <c>on_demand</c> (seats), one column
    /// per <c>--option</c> key (its value), <c>p_all_days</c>, <c>p_day_1</c> … <c>p_day_D</c> (one per day of the longest member), <c>min_p_interval</c>,
    /// <c>mean_service_level</c>, <c>expected_intervals_below</c>, <c>expected_days_below</c>, <c>committed_cost</c>,
    /// <c>on_demand_agent_hours</c>, <c>on_demand_cost</c>, <c>activation_fee</c>, <c>expected_penalty</c>,
    /// <c>expected_total_cost</c>, <c>meets_risk</c> (the lower end of <c>p_all_days</c>'s interval reaches the risk
    /// level), <c>recommended</c>, then the confidence intervals at the chosen confidence: <c>p_all_days_low</c>,
    /// <c>p_all_days_high</c>, <c>p_day_d_low</c>, <c>p_day_d_high</c> (each day), <c>min_p_interval_low</c>,
    /// <c>min_p_interval_high</c> (Wilson intervals), <c>expected_penalty_half_width</c>,
    /// <c>expected_total_cost_half_width</c> (Student-t over the replications of each member), <c>outcomes</c> (the
    /// count behind the probabilities), <c>confidence</c>. Probabilities and the service level are fractions; money in
    /// the units of the costs given.</summary>
    public static void WriteCsv(SizingResult r, TextWriter w)
    {
        var days = r.Options.Count == 0 ? 0 : r.Options.Max(o => o.PDays.Count);
        var header = new List<string> { "committed", "on_demand" };
        header.AddRange(ChoiceAxes(r.Request).Select(a => Csv.Field(a.Key)));
        header.Add("p_all_days");
        header.AddRange(Enumerable.Range(1, days).Select(d => "p_day_" + d.ToString(Inv)));
        header.AddRange(["min_p_interval", "mean_service_level", "expected_intervals_below", "expected_days_below", "committed_cost", "on_demand_agent_hours",
            "on_demand_cost", "activation_fee", "expected_penalty", "expected_total_cost", "meets_risk", "recommended", "p_all_days_low", "p_all_days_high"]);
        foreach (var d in Enumerable.Range(1, days).Select(d => d.ToString(Inv)))
        {
            header.AddRange(["p_day_" + d + "_low", "p_day_" + d + "_high"]);
        }
        header.AddRange(["min_p_interval_low", "min_p_interval_high", "expected_penalty_half_width", "expected_total_cost_half_width", "outcomes", "confidence"]);
        Csv.Row(w, header);
        for (var i = 0; i < r.Options.Count; i++)
        {
            var o = r.Options[i];
            var cells = new List<string> { Csv.Int(o.Committed), Csv.Int(o.OnDemand) };
            cells.AddRange(o.Choices.Select(Csv.Field));
            cells.Add(Csv.Number(o.PAllDays));
            cells.AddRange(Enumerable.Range(0, days).Select(d => d < o.PDays.Count ? Csv.Number(o.PDays[d]) : ""));
            cells.AddRange([
                Csv.Number(o.MinPInterval), Csv.Number(o.MeanServiceLevel), Csv.Number(o.ExpectedIntervalsBelow), Csv.Number(o.ExpectedDaysBelow),
                Csv.Number(o.CommittedCost), Csv.Number(o.OnDemandAgentHours), Csv.Number(o.OnDemandCost), Csv.Number(o.ActivationFee),
                Csv.Number(o.ExpectedPenalty), Csv.Number(o.ExpectedTotal), Csv.Bool(r.MeetsRisk(o)), Csv.Bool(r.Recommended == i),
                Csv.Number(o.AllDays.Lower), Csv.Number(o.AllDays.Upper),
            ]);
            foreach (var d in Enumerable.Range(0, days))
            {
                cells.AddRange(d < o.Days.Count ? [Csv.Number(o.Days[d].Lower), Csv.Number(o.Days[d].Upper)] : ["", ""]);
            }
            var worst = o.MinPIntervalCi;
            cells.AddRange([Csv.Number(worst.Lower), Csv.Number(worst.Upper), Csv.Number(o.PenaltyHalfWidth), Csv.Number(o.ExpectedTotalHalfWidth),
                Csv.Number(o.AllDays.Count), Csv.Number(r.Request.Confidence)]);
            Csv.Row(w, cells);
        }
    }

    /// <summary><c>risk-intervals.csv</c>: the risk curves per interval, one row per option and interval. Columns:
    /// <c>committed</c>, <c>on_demand</c>, one per <c>--option</c> key, <c>interval</c>, <c>clock</c>, <c>p_meet</c> (probability that the interval
    /// meets the SLA; empty in the warm-up), <c>p_meet_low</c>, <c>p_meet_high</c> (its Wilson interval at the chosen
    /// confidence). Written only when every member has the same intervals.</summary>
    public static void WriteIntervalCsv(SizingResult r, TextWriter w)
    {
        var choiceKeys = ChoiceAxes(r.Request).Select(a => Csv.Field(a.Key)).ToList();
        Csv.Row(w, ["committed", "on_demand", .. choiceKeys, "interval", "clock", "p_meet", "p_meet_low", "p_meet_high"]);
        var days = r.ClockStartSeconds + r.IntervalCount * r.IntervalSeconds > 86400;
        foreach (var o in r.Options)
        {
            if (o.PIntervals is not { } p)
            {
                continue;
            }
            for (var k = 0; k < p.Count; k++)
            {
                Csv.Row(w, [Csv.Int(o.Committed), Csv.Int(o.OnDemand), .. o.Choices.Select(Csv.Field), Csv.Int(k),
                    ConsoleReport.Clock(r.ClockStartSeconds + k * r.IntervalSeconds, days), Csv.Number(p[k]),
                    Csv.Number(o.Intervals is { } ci ? ci[k].Lower : double.NaN), Csv.Number(o.Intervals is { } cu ? cu[k].Upper : double.NaN)]);
            }
        }
    }

    /// <summary><c>size.json</c>: <c>seed</c>, <c>replications</c>, <c>risk</c>, <c>confidence</c>, <c>closest</c> (without a
    /// recommendation, the index of the option closest to the risk level; else null), <c>members[]</c> (<c>path</c>,
    /// <c>settings</c>), <c>committedKey</c>, <c>onDemandKey</c>, <c>choiceKeys</c>, <c>terms</c>, <c>recommended</c> (index or null) and
    /// <c>options[]</c> with the fields of <c>size.csv</c> (<c>choices</c>, <c>pDays</c> and <c>pIntervals</c> as
    /// lists; <c>pAllDaysCi</c>, <c>pDaysCi</c>, <c>pIntervalsCi</c> and <c>minPIntervalCi</c> as <c>{low, high}</c>
    /// intervals; <c>expectedPenaltyHalfWidth</c>, <c>expectedTotalCostHalfWidth</c>, <c>outcomes</c>).</summary>
    public static void WriteJson(SizingResult r, Stream stream)
    {
        using var j = EstimateJson.Writer(stream);
        var req = r.Request;
        j.WriteStartObject();
        j.WriteNumber("seed", r.Seed);
        j.WriteNumber("replications", r.Replications);
        j.WriteNumber("risk", req.Risk);
        j.WriteNumber("confidence", req.Confidence);
        if (r.Closest is { } closest)
        {
            j.WriteNumber("closest", closest);
        }
        else
        {
            j.WriteNull("closest");
        }
        j.WriteStartArray("members");
        foreach (var m in req.Members)
        {
            j.WriteStartObject();
            j.WriteString("path", m.Path);
            j.WriteStartObject("settings");
            foreach (var s in m.Settings)
            {
                j.WriteString(s.Key, s.Value);
            }
            j.WriteEndObject();
            j.WriteEndObject();
        }
        j.WriteEndArray();
        j.WriteString("committedKey", req.Committed.Key);
        j.WriteString("onDemandKey", req.OnDemand?.Key);
        j.WriteStartArray("choiceKeys");
        foreach (var a in ChoiceAxes(req))
        {
            j.WriteStringValue(a.Key);
        }
        j.WriteEndArray();
        j.WriteStartObject("terms");
        EstimateJson.Optional(j, "committedCostPerHour", req.Terms.CommittedCostPerHour);
        EstimateJson.Optional(j, "onDemandCostPerHour", req.Terms.OnDemandCostPerHour);
        j.WriteNumber("activationFee", req.Terms.ActivationFee);
        j.WriteNumber("penaltyPerInterval", req.Terms.PenaltyPerInterval);
        j.WriteNumber("penaltyPerDay", req.Terms.PenaltyPerDay);
        j.WriteEndObject();
        if (r.Recommended is { } rec)
        {
            j.WriteNumber("recommended", rec);
        }
        else
        {
            j.WriteNull("recommended");
        }
        j.WriteStartArray("options");
        foreach (var o in r.Options)
        {
            j.WriteStartObject();
            j.WriteNumber("committed", o.Committed);
            j.WriteNumber("onDemand", o.OnDemand);
            j.WriteStartArray("choices");
            foreach (var c in o.Choices)
            {
                j.WriteStringValue(c);
            }
            j.WriteEndArray();
            EstimateJson.Number(j, "pAllDays", o.PAllDays);
            EstimateJson.Numbers(j, "pDays", o.PDays);
            if (o.PIntervals is { } p)
            {
                EstimateJson.Numbers(j, "pIntervals", p);
            }
            else
            {
                j.WriteNull("pIntervals");
            }
            EstimateJson.Number(j, "minPInterval", o.MinPInterval);
            EstimateJson.Number(j, "meanServiceLevel", o.MeanServiceLevel);
            EstimateJson.Number(j, "expectedIntervalsBelow", o.ExpectedIntervalsBelow);
            EstimateJson.Number(j, "expectedDaysBelow", o.ExpectedDaysBelow);
            EstimateJson.Number(j, "committedCost", o.CommittedCost);
            EstimateJson.Number(j, "onDemandAgentHours", o.OnDemandAgentHours);
            EstimateJson.Number(j, "onDemandCost", o.OnDemandCost);
            EstimateJson.Number(j, "activationFee", o.ActivationFee);
            EstimateJson.Number(j, "expectedPenalty", o.ExpectedPenalty);
            EstimateJson.Number(j, "expectedTotalCost", o.ExpectedTotal);
            j.WriteBoolean("meetsRisk", r.MeetsRisk(o));
            Interval(j, "pAllDaysCi", o.AllDays);
            j.WriteStartArray("pDaysCi");
            foreach (var d in o.Days)
            {
                Interval(j, null, d);
            }
            j.WriteEndArray();
            if (o.Intervals is { } intervals)
            {
                j.WriteStartArray("pIntervalsCi");
                foreach (var k in intervals)
                {
                    Interval(j, null, k);
                }
                j.WriteEndArray();
            }
            else
            {
                j.WriteNull("pIntervalsCi");
            }
            Interval(j, "minPIntervalCi", o.MinPIntervalCi);
            EstimateJson.Number(j, "expectedPenaltyHalfWidth", o.PenaltyHalfWidth);
            EstimateJson.Number(j, "expectedTotalCostHalfWidth", o.ExpectedTotalHalfWidth);
            EstimateJson.Number(j, "outcomes", o.AllDays.Count);
            j.WriteEndObject();
        }
        j.WriteEndArray();
        j.WriteEndObject();
    }

    private static void Interval(System.Text.Json.Utf8JsonWriter j, string? name, ProportionInterval p)
    {
        if (name is null)
        {
            j.WriteStartObject();
        }
        else
        {
            j.WriteStartObject(name);
        }
        EstimateJson.Number(j, "low", p.Lower);
        EstimateJson.Number(j, "high", p.Upper);
        j.WriteEndObject();
    }

    /// <summary>The <c>--option</c> axes: those of the options grid after the committed and on-demand seats.</summary>
    private static IEnumerable<SweepAxis> ChoiceAxes(SizingRequest req) => req.Options.Axes.Skip(req.OnDemand is null ? 1 : 2);
}
