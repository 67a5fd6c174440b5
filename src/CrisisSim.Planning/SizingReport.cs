using System.Globalization;
using System.Text.Json;
using CrisisSim.Reporting;

namespace CrisisSim.Planning;

/// <summary>The sizing tables: printed, Markdown for a proposal, CSV and JSON.</summary>
public static class SizingReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Days shown as columns in the printed and Markdown tables (all are in the CSV).</summary>
    private const int DaysShown = 7;

    private static string P(double p) => double.IsNaN(p) ? "-" : (p * 100).ToString("F1", Inv) + " %";

    private static string Money(double v) => v.ToString("N0", Inv);

    /// <summary>The Markdown table (the printed table is the same): one row per option, the recommended one in bold,
    /// then the recommendation and the assumptions.</summary>
    public static void WriteMarkdown(SizingResult r, TextWriter w)
    {
        var req = r.Request;
        var onDemand = req.OnDemand is not null;
        var days = Math.Min(DaysShown, r.Options.Count == 0 ? 0 : r.Options.Max(o => o.PDays.Count));
        var choices = r.Request.Options.Axes.Skip(r.Request.FirstChoice).Select(a => a.Key).ToList();
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
            cells.Add(P(o.PAllDays));
            if (days > 1)
            {
                cells.AddRange(Enumerable.Range(0, days).Select(d => d < o.PDays.Count ? P(o.PDays[d]) : "-"));
            }
            cells.AddRange([P(o.MinPInterval), P(o.MeanServiceLevel), o.ExpectedIntervalsBelow.ToString("F1", Inv), Money(o.CommittedCost)]);
            if (onDemand)
            {
                cells.AddRange([Money(o.OnDemandCost), Money(o.ActivationFee)]);
            }
            cells.AddRange([Money(o.ExpectedPenalty), Money(o.ExpectedTotal)]);
            if (r.Recommended == i)
            {
                cells = [.. cells.Select(c => "**" + c + "**")];
            }
            w.Write("| " + string.Join(" | ", cells) + " |\n");
        }
        w.Write("\n");
        w.Write(Recommendation(r) + "\n\n");
        w.Write(Assumptions(r) + "\n");
    }

    public static string Recommendation(SizingResult r)
    {
        var risk = (r.Request.Risk * 100).ToString("0.##", Inv);
        if (r.Recommended is not { } i)
        {
            var best = r.Options.OrderByDescending(o => o.PAllDays).ThenBy(o => o.ExpectedTotal).First();
            return string.Create(Inv, $"No option meets the SLA every day with probability {risk} %: the best, {Seats(r, best)}, does with {P(best.PAllDays)}. Widen the range of seats.");
        }
        var o = r.Options[i];
        return string.Create(Inv, $"Recommended at {risk} %: {Seats(r, o)}, meeting the SLA every day with probability {P(o.PAllDays)}, expected total cost {Money(o.ExpectedTotal)}.");
    }

    private static string Seats(SizingResult r, SizingOption o)
    {
        var seats = r.Request.OnDemand is null
            ? string.Create(Inv, $"{o.Committed} committed seats")
            : string.Create(Inv, $"{o.Committed} committed and {o.OnDemand} on-demand seats");
        var keys = r.Request.Options.Axes.Skip(r.Request.FirstChoice).Select(a => a.Key).ToList();
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
            lines.Add(string.Create(Inv, $"On-demand seats ({od.Key}) paid per hour on duty at {(t.OnDemandCostPerHour is { } rate ? rate.ToString("0.##", Inv) : "the group's costPerHour")}, plus an activation fee of {Money(t.ActivationFee)}."));
        }
        foreach (var choice in req.Options.Axes.Skip(req.FirstChoice))
        {
            lines.Add($"Options of {choice.Key}: {string.Join(", ", choice.Values)} (at equal cost, the first listed is preferred).");
        }
        lines.Add(string.Create(Inv, $"Penalties: {Money(t.PenaltyPerInterval)} per interval and {Money(t.PenaltyPerDay)} per day below the SLA, expected over the ensemble."));
        return string.Join("\n", lines.Select(l => "- " + l));
    }

    /// <summary><c>size.csv</c>: one row per option. Columns: <c>committed</c>, <c>on_demand</c> (seats), one column
    /// per <c>--option</c> key (its value), <c>p_all_days</c>, <c>p_day_1</c> … <c>p_day_D</c> (one per day of the longest member), <c>min_p_interval</c>,
    /// <c>mean_service_level</c>, <c>expected_intervals_below</c>, <c>expected_days_below</c>, <c>committed_cost</c>,
    /// <c>on_demand_agent_hours</c>, <c>on_demand_cost</c>, <c>activation_fee</c>, <c>expected_penalty</c>,
    /// <c>expected_total_cost</c>, <c>meets_risk</c>, <c>recommended</c>. Probabilities and the service level are
    /// fractions; money in the units of the costs given.</summary>
    public static void WriteCsv(SizingResult r, TextWriter w)
    {
        var days = r.Options.Count == 0 ? 0 : r.Options.Max(o => o.PDays.Count);
        var header = new List<string> { "committed", "on_demand" };
        header.AddRange(r.Request.Options.Axes.Skip(r.Request.FirstChoice).Select(a => Csv.Field(a.Key)));
        header.Add("p_all_days");
        header.AddRange(Enumerable.Range(1, days).Select(d => "p_day_" + d.ToString(Inv)));
        header.AddRange(["min_p_interval", "mean_service_level", "expected_intervals_below", "expected_days_below", "committed_cost", "on_demand_agent_hours",
            "on_demand_cost", "activation_fee", "expected_penalty", "expected_total_cost", "meets_risk", "recommended"]);
        w.Write(string.Join(',', header) + "\n");
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
                Csv.Number(o.ExpectedPenalty), Csv.Number(o.ExpectedTotal), Csv.Bool(o.PAllDays + 1e-12 >= r.Request.Risk), Csv.Bool(r.Recommended == i),
            ]);
            w.Write(string.Join(',', cells) + "\n");
        }
    }

    /// <summary><c>risk-intervals.csv</c>: the risk curves per interval, one row per option and interval. Columns:
    /// <c>committed</c>, <c>on_demand</c>, one per <c>--option</c> key, <c>interval</c>, <c>clock</c>, <c>p_meet</c> (probability that the interval
    /// meets the SLA; empty in the warm-up). Written only when every member has the same intervals.</summary>
    public static void WriteIntervalCsv(SizingResult r, TextWriter w)
    {
        var choiceKeys = r.Request.Options.Axes.Skip(r.Request.FirstChoice).Select(a => Csv.Field(a.Key)).ToList();
        w.Write(string.Join(',', ["committed", "on_demand", .. choiceKeys, "interval", "clock", "p_meet"]) + "\n");
        var days = r.ClockStartSeconds + r.IntervalCount * r.IntervalSeconds > 86400;
        foreach (var o in r.Options)
        {
            if (o.PIntervals is not { } p)
            {
                continue;
            }
            for (var k = 0; k < p.Count; k++)
            {
                w.Write(string.Join(',', [Csv.Int(o.Committed), Csv.Int(o.OnDemand), .. o.Choices.Select(Csv.Field), Csv.Int(k),
                    ConsoleReport.Clock(r.ClockStartSeconds + k * r.IntervalSeconds, days), Csv.Number(p[k])]) + "\n");
            }
        }
    }

    /// <summary><c>size.json</c>: <c>seed</c>, <c>replications</c>, <c>risk</c>, <c>members[]</c> (<c>path</c>,
    /// <c>settings</c>), <c>committedKey</c>, <c>onDemandKey</c>, <c>choiceKeys</c>, <c>terms</c>, <c>recommended</c> (index or null) and
    /// <c>options[]</c> with the fields of <c>size.csv</c> (<c>choices</c>, <c>pDays</c> and <c>pIntervals</c> as
    /// lists).</summary>
    public static void WriteJson(SizingResult r, Stream stream)
    {
        using var j = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n" });
        var req = r.Request;
        j.WriteStartObject();
        j.WriteNumber("seed", r.Seed);
        j.WriteNumber("replications", r.Replications);
        j.WriteNumber("risk", req.Risk);
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
        foreach (var a in req.Options.Axes.Skip(req.FirstChoice))
        {
            j.WriteStringValue(a.Key);
        }
        j.WriteEndArray();
        j.WriteStartObject("terms");
        Optional(j, "committedCostPerHour", req.Terms.CommittedCostPerHour);
        Optional(j, "onDemandCostPerHour", req.Terms.OnDemandCostPerHour);
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
            Json.Number(j, "pAllDays", o.PAllDays);
            Numbers(j, "pDays", o.PDays);
            if (o.PIntervals is { } p)
            {
                Numbers(j, "pIntervals", p);
            }
            else
            {
                j.WriteNull("pIntervals");
            }
            Json.Number(j, "minPInterval", o.MinPInterval);
            Json.Number(j, "meanServiceLevel", o.MeanServiceLevel);
            Json.Number(j, "expectedIntervalsBelow", o.ExpectedIntervalsBelow);
            Json.Number(j, "expectedDaysBelow", o.ExpectedDaysBelow);
            Json.Number(j, "committedCost", o.CommittedCost);
            Json.Number(j, "onDemandAgentHours", o.OnDemandAgentHours);
            Json.Number(j, "onDemandCost", o.OnDemandCost);
            Json.Number(j, "activationFee", o.ActivationFee);
            Json.Number(j, "expectedPenalty", o.ExpectedPenalty);
            Json.Number(j, "expectedTotalCost", o.ExpectedTotal);
            j.WriteBoolean("meetsRisk", o.PAllDays + 1e-12 >= req.Risk);
            j.WriteEndObject();
        }
        j.WriteEndArray();
        j.WriteEndObject();
    }

    private static void Optional(Utf8JsonWriter j, string name, double? value)
    {
        if (value is { } v)
        {
            j.WriteNumber(name, v);
        }
        else
        {
            j.WriteNull(name);
        }
    }

    private static void Numbers(Utf8JsonWriter j, string name, IReadOnlyList<double> values)
    {
        j.WriteStartArray(name);
        foreach (var v in values)
        {
            if (double.IsFinite(v))
            {
                j.WriteNumberValue(v);
            }
            else
            {
                j.WriteNullValue();
            }
        }
        j.WriteEndArray();
    }
}
