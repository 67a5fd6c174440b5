using System.Globalization;
using System.Text.Json;
using CrisisSim.Analytics;
using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using CrisisSim.Planning;
using CrisisSim.Reporting;
using CrisisSim.Scenarios;

namespace CrisisSim.Tests.Planning;

public sealed class SweepAndSizingTests
{
    private static readonly IReplicationHost Host = new LocalThreadsHost();

    private static readonly string Text = PlanningScenarios.Yaml("sweep-test", [.. Enumerable.Repeat(300.0, 6)], staffing: 30);

    [Fact]
    public async Task More_operators_never_lower_the_service_level_with_common_random_numbers()
    {
        var grid = new SweepGrid([SweepAxis.Parse("groups.agents.staffing=26..36", "--set")]);
        var points = await Sweep.RunAsync(Text, "sweep.yaml", grid, Host, seed: 5, replications: 10, null, CancellationToken.None);

        Assert.Equal(11, points.Count);
        Assert.Equal(Enumerable.Range(0, 11), points.Select(p => p.Index));
        for (var i = 1; i < points.Count; i++)
        {
            var (lower, higher) = (points[i - 1].Overall.Scalars[KpiCatalog.ServiceLevel], points[i].Overall.Scalars[KpiCatalog.ServiceLevel]);
            // Common random numbers make the difference far less noisy than either estimate: allow a tenth of a half-width.
            Assert.True(higher.Mean >= lower.Mean - 0.1 * Math.Max(lower.HalfWidth, higher.HalfWidth),
                $"{26 + i} operators: {higher.Mean:P2}, {25 + i}: {lower.Mean:P2}");
            Assert.True(points[i].AgentHours > points[i - 1].AgentHours);
        }
        Assert.True(points[^1].Overall.Scalars[KpiCatalog.ServiceLevel].Mean - points[0].Overall.Scalars[KpiCatalog.ServiceLevel].Mean > 0.3);
        Assert.Equal(30.0 * 3, points[4].AgentHours); // 30 operators over 6 half hours
    }

    [Fact]
    public async Task A_point_gives_the_KPIs_of_the_same_scenario_run_on_its_own()
    {
        var grid = new SweepGrid([SweepAxis.Parse("groups.agents.staffing=28,33", "--set"), SweepAxis.Parse("serviceLevel.threshold=10s,1m", "--set")]);
        var points = await Sweep.RunAsync(Text, "sweep.yaml", grid, Host, seed: 2, replications: 4, null, CancellationToken.None);
        var alone = CrisisSim.Engine.SimulationRunner.RunInline(ScenarioSettings.Parse(Text, "x", grid.Point(3)), 2, 4);
        Assert.Equal(alone.Overall.Scalars.Select(e => e.Mean), points[3].Overall.Scalars.Select(e => e.Mean));
        Assert.Equal(["groups.agents.staffing=33", "serviceLevel.threshold=1m"], points[3].Settings.Select(s => s.ToString()));

        using var csv = new StringWriter();
        SweepReport.WriteCsv(points, grid, csv);
        var lines = csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("point,groups.agents.staffing,serviceLevel.threshold,agent_hours,cost,intervals_below_target,offered_mean,offered_ci95,", lines[0]);
        Assert.StartsWith("3,33,1m,99,0,", lines[4]);
    }

    [Fact]
    public async Task The_sweep_table_shows_each_KPI_with_its_half_width()
    {
        var grid = new SweepGrid([SweepAxis.Parse("groups.agents.staffing=28,33", "--set")]);
        var points = await Sweep.RunAsync(Text, "sweep.yaml", grid, Host, seed: 2, replications: 4, null, CancellationToken.None);
        using var table = new StringWriter();
        SweepReport.WriteTable(points, grid, table);
        var rows = table.ToString().Split('\n').Where(l => l.TrimStart().StartsWith('0') || l.TrimStart().StartsWith('1')).ToList();
        Assert.Equal(2, rows.Count);
        // Service level, ASA, abandonment and occupancy each with its half-width.
        Assert.All(rows, r => Assert.Equal(4, r.Split('±').Length - 1));
        var occupancy = points[0].Overall.OccupancyByGroup[0];
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{occupancy.Mean * 100:F1} ± {occupancy.HalfWidth * 100:F1} %"), rows[0]);
    }

    [Fact]
    public async Task An_activation_delay_to_choose_is_an_option_and_a_later_provider_never_does_better()
    {
        var text = PlanningScenarios.Yaml("provider-day", [.. Enumerable.Repeat(300.0, 6)], staffing: 10,
            extra: "  - { name: provider, serves: [calls], staffing: 0, costPerHour: 40, activation: { delay: 1h, perHour: 60, max: 30 } }\nonset: 0h");
        var request = new SizingRequest([new SizingMember("day.yaml", text, [])], SweepAxis.Parse("groups.agents.staffing=10,15", "--seats"),
            SweepAxis.Parse("groups.provider.staffing=25", "--on-demand"), new ContractTerms(CommittedCostPerHour: 30, ActivationFee: 100), Risk: 0.5,
            [SweepAxis.Parse("groups.provider.activation.delay=2h,1h,0s", "--option")]);
        Sizing.Validate(request);

        var result = await Sizing.RunAsync(request, Host, seed: 3, replications: 6, null, CancellationToken.None);

        Assert.Equal(6, result.Options.Count);
        Assert.Equal(["2h", "1h", "0s"], result.Options.Take(3).Select(o => o.Choices[0]));
        Assert.All(result.Options, o => Assert.Equal(25, o.OnDemand));
        for (var i = 0; i < result.Options.Count; i += 3)
        {
            // Earlier activation: more operator hours (so more cost), never fewer intervals met.
            Assert.True(result.Options[i].OnDemandAgentHours < result.Options[i + 1].OnDemandAgentHours);
            Assert.True(result.Options[i + 1].OnDemandAgentHours < result.Options[i + 2].OnDemandAgentHours);
            Assert.True(result.Options[i].ExpectedIntervalsBelow >= result.Options[i + 1].ExpectedIntervalsBelow);
            Assert.True(result.Options[i + 1].ExpectedIntervalsBelow >= result.Options[i + 2].ExpectedIntervalsBelow);
            Assert.Equal(100, result.Options[i].ActivationFee);
        }
        using var csv = new StringWriter();
        SizingReport.WriteCsv(result, csv);
        Assert.StartsWith("committed,on_demand,groups.provider.activation.delay,p_all_days,", csv.ToString());
        Assert.Contains("\n10,25,1h,", csv.ToString());
    }

    [Fact]
    public async Task The_probability_of_meeting_the_SLA_rises_with_the_seats_and_the_recommendation_is_the_cheapest_at_the_risk()
    {
        // Two members: the base day and a 30 % busier one.
        var members = new List<SizingMember>
        {
            new("day.yaml", Text, []),
            new("day.yaml", Text, [new ScenarioSetting("callTypes.calls.arrivals.callsPerInterval", "390")]),
        };
        var request = new SizingRequest(members, SweepAxis.Parse("groups.agents.staffing=26..44:3", "--seats"), null,
            new ContractTerms(CommittedCostPerHour: 20, PenaltyPerInterval: 50), Risk: 0.9, Confidence: 0.8);
        Sizing.Validate(request);

        // 2 x 10 outcomes: at 80 % confidence, enough for a Wilson lower bound to reach 90 % (at 95 %, 35 would be needed).
        var result = await Sizing.RunAsync(request, Host, seed: 1, replications: 10, null, CancellationToken.None);

        Assert.Equal(7, result.Options.Count);
        for (var i = 1; i < result.Options.Count; i++)
        {
            var (before, after) = (result.Options[i - 1], result.Options[i]);
            Assert.True(after.PAllDays >= before.PAllDays, $"{after.Committed} seats: {after.PAllDays}, {before.Committed}: {before.PAllDays}");
            Assert.True(after.ExpectedIntervalsBelow <= before.ExpectedIntervalsBelow + 1e-9);
            Assert.True(after.MeanServiceLevel >= before.MeanServiceLevel - 0.005);
            Assert.True(after.CommittedCost > before.CommittedCost);
        }
        Assert.Equal(0, result.Options[0].PAllDays);
        Assert.Equal(1, result.Options[^1].PAllDays);
        Assert.Equal(26 * 3.0 * 20, result.Options[0].CommittedCost); // seats x 3 hours x 20
        var rec = Assert.IsType<int>(result.Recommended);
        Assert.True(result.Options[rec].PAllDays >= 0.9);
        Assert.All(result.Options.Where(o => o.PAllDays >= 0.9), o => Assert.True(o.ExpectedTotal >= result.Options[rec].ExpectedTotal));
        Assert.Equal(result.Options[rec].CommittedCost + result.Options[rec].ExpectedPenalty, result.Options[rec].ExpectedTotal, 9);

        using var md = new StringWriter();
        SizingReport.WriteMarkdown(result, md);
        Assert.Contains("| committed seats | P(SLA met every day) |", md.ToString());
        Assert.Contains($"| **{result.Options[rec].Committed}** |", md.ToString());
        Assert.Contains("Recommended at 90 %", md.ToString());
    }

    [Fact]
    public async Task The_recommendation_s_interval_holds_on_a_seed_it_did_not_use()
    {
        // Six half hours of 100 calls: one operator moves the probability of meeting the SLA over the day by tens of points.
        var text = PlanningScenarios.Yaml("risk-day", [.. Enumerable.Repeat(100.0, 6)], staffing: 10);
        var request = new SizingRequest([new SizingMember("day.yaml", text, [])], SweepAxis.Parse("groups.agents.staffing=8..16", "--seats"), null,
            new ContractTerms(CommittedCostPerHour: 20), Risk: 0.9, Confidence: 0.95);
        // On seed 3, 13 operators meet the SLA in 36 of 40 days: 90 % in the estimate, but not with 95 % confidence.
        var result = await Sizing.RunAsync(request, Host, seed: 3, replications: 40, null, CancellationToken.None);

        var rec = result.Options[Assert.IsType<int>(result.Recommended)];
        Assert.True(rec.AllDays.Lower >= request.Risk, $"{rec.Committed} seats: lower end {rec.AllDays.Lower}");
        Assert.True(rec.AllDays.Lower <= rec.PAllDays && rec.PAllDays <= rec.AllDays.Upper);
        Assert.Equal(40, rec.AllDays.Count);
        Assert.All(result.Options.Where(o => o.Committed < rec.Committed), o => Assert.False(result.MeetsRisk(o)));

        // The same option on other random numbers, many more days: the stated risk must not be contradicted at the same
        // confidence (the fresh interval reaches the risk level), and the two intervals must overlap.
        var alone = new SizingRequest(request.Members, SweepAxis.Parse("groups.agents.staffing=" + rec.Committed.ToString(CultureInfo.InvariantCulture), "--seats"), null,
            request.Terms, request.Risk, Confidence: request.Confidence);
        var again = await Sizing.RunAsync(alone, Host, seed: 2, replications: 2000, null, CancellationToken.None);
        var fresh = again.Options[0].AllDays;
        Assert.True(fresh.Upper >= request.Risk, $"{rec.Committed} seats on seed 2: {fresh.Estimate:P1} [{fresh.Lower:P1}, {fresh.Upper:P1}], below the risk level {request.Risk:P0}");
        Assert.True(fresh.Upper >= rec.AllDays.Lower && fresh.Lower <= rec.AllDays.Upper,
            $"seed 3: [{rec.AllDays.Lower:P1}, {rec.AllDays.Upper:P1}], seed 2: [{fresh.Lower:P1}, {fresh.Upper:P1}]");

        // The files carry the intervals, in invariant culture.
        var saved = CultureInfo.CurrentCulture;
        string csv, intervals, json, md;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("fr-FR");
            using var c = new StringWriter();
            SizingReport.WriteCsv(result, c);
            csv = c.ToString();
            using var i = new StringWriter();
            SizingReport.WriteIntervalCsv(result, i);
            intervals = i.ToString();
            using var m = new StringWriter();
            SizingReport.WriteMarkdown(result, m);
            md = m.ToString();
            using var stream = new MemoryStream();
            SizingReport.WriteJson(result, stream);
            json = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
        var header = csv.Split('\n')[0].Split(',');
        Assert.Equal(["p_all_days_low", "p_all_days_high", "p_day_1_low", "p_day_1_high", "min_p_interval_low", "min_p_interval_high",
            "expected_penalty_half_width", "expected_total_cost_half_width", "outcomes", "confidence"], header[^10..]);
        var row = csv.Split('\n')[1 + Array.IndexOf([.. result.Options], rec)].Split(',');
        Assert.Equal(rec.AllDays.Lower, double.Parse(row[Array.IndexOf(header, "p_all_days_low")], CultureInfo.InvariantCulture), 12);
        Assert.Equal("true", row[Array.IndexOf(header, "meets_risk")]);
        Assert.Equal("0.95", row[^1]);
        Assert.StartsWith("committed,on_demand,interval,clock,p_meet,p_meet_low,p_meet_high\n", intervals);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(0.95, doc.RootElement.GetProperty("confidence").GetDouble());
        var option = doc.RootElement.GetProperty("options")[result.Recommended!.Value];
        Assert.Equal(rec.AllDays.Lower, option.GetProperty("pAllDaysCi").GetProperty("low").GetDouble(), 12);
        Assert.Equal(6, option.GetProperty("pIntervalsCi").GetArrayLength());
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"Recommended at 90 % with 95 % confidence: {rec.Committed} committed seats"), md);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"[{rec.AllDays.Lower * 100:F1}, 100.0]"), md);
    }

    [Fact]
    public async Task Without_enough_replications_no_option_is_recommended_and_the_closest_is_named()
    {
        var text = PlanningScenarios.Yaml("risk-day", [.. Enumerable.Repeat(100.0, 6)], staffing: 10);
        var request = new SizingRequest([new SizingMember("day.yaml", text, [])], SweepAxis.Parse("groups.agents.staffing=12..16:2", "--seats"), null,
            new ContractTerms(CommittedCostPerHour: 20), Risk: 0.9);

        // 10 days, all met, show at most 72 % with 95 % confidence.
        var result = await Sizing.RunAsync(request, Host, seed: 1, replications: 10, null, CancellationToken.None);

        Assert.Null(result.Recommended);
        Assert.Equal(1, result.Closest); // 14 seats: the same lower end as 16, and cheaper
        Assert.Equal(1.0, result.Options[1].PAllDays);
        Assert.Equal(35, ProportionInterval.TrialsToShow(0.9));
        var text2 = SizingReport.Recommendation(result);
        Assert.StartsWith("No option meets the SLA every day with probability 90 % at 95 % confidence", text2);
        Assert.Contains("the closest, 14 committed seats,", text2);
        Assert.Contains("at least 35 are needed (-r 35 or more with 1 scenario(s))", text2);
    }
}
