using CrisisSim.Analytics;
using CrisisSim.Engine;
using CrisisSim.Model.Scenario;
using CrisisSim.Planning;
using CrisisSim.Reporting;

namespace CrisisSim.Tests.Planning;

public sealed class StaffingTests
{
    private static readonly IReplicationHost Host = new LocalThreadsHost();

    private static Task<StaffingResult> Staff(ScenarioDefinition s, ServiceTargets targets, int replications, long seed = 1, IReplicationHost? host = null) =>
        IterativeStaffing.RunAsync(new StaffingProblem(s, [], targets), host ?? Host, replications, seed, PlanningLimits.DefaultIterations, null, CancellationToken.None);

    [Fact]
    public async Task On_a_stationary_queue_the_staffing_is_the_Erlang_A_minimum_within_one_operator()
    {
        // 360 calls per half hour at 180 s: 36 Erlangs, patience 300 s; 80 % within 20 s.
        var s = PlanningScenarios.Queue([.. Enumerable.Repeat(360.0, 10)], staffing: 1);
        var targets = ServiceTargets.Of(s);
        var erlangA = Staffing.MinimumAgents(0.2, 180, 300, new StaffingTarget(0.8, 20));

        var result = await Staff(s, targets, replications: 20);

        Assert.True(result.Converged);
        Assert.Equal(0, result.IntervalsMissed);
        // The run starts empty: the first interval, still filling up, may need fewer operators than the steady state.
        Assert.InRange(result.Staffing[0][0], erlangA - 3, erlangA + 1);
        for (var k = 1; k < s.IntervalCount; k++)
        {
            Assert.InRange(result.Staffing[0][k], erlangA - 1, erlangA + 1);
        }
        Assert.All(result.ErlangStart, n => Assert.Equal(erlangA, n));
    }

    [Fact]
    public async Task With_an_abandonment_limit_the_staffing_is_the_Erlang_A_minimum_for_both_targets()
    {
        var s = PlanningScenarios.Queue([.. Enumerable.Repeat(360.0, 8)], staffing: 1, patience: 60);
        var targets = ServiceTargets.Of(s) with { ServiceLevel = 0.5, MaxAbandonment = 0.02 };
        var erlangA = Staffing.MinimumAgents(0.2, 180, 60, new StaffingTarget(0.5, 20) { MaxAbandonmentProbability = 0.02 });
        var slOnly = Staffing.MinimumAgents(0.2, 180, 60, new StaffingTarget(0.5, 20));
        Assert.True(erlangA > slOnly + 2, "the abandonment limit must be the binding target for this test to mean something");

        var result = await Staff(s, targets, replications: 20);

        Assert.Equal(0, result.IntervalsMissed);
        Assert.All(result.Staffing[0], n => Assert.InRange(n, erlangA - 1, erlangA + 1));
    }

    [Fact]
    public async Task On_a_sinusoidal_arrival_rate_every_interval_meets_the_target_in_an_independent_run()
    {
        var s = PlanningScenarios.Queue(PlanningScenarios.Sine(), staffing: 1);
        var targets = ServiceTargets.Of(s);

        var result = await Staff(s, targets, replications: 20, seed: 1);

        Assert.True(result.Converged);
        Assert.Equal(0, result.IntervalsMissed);
        // The staffing follows the load: more operators at the peak (interval 3) than in the trough (interval 9).
        Assert.True(result.Staffing[0][3] > 2 * result.Staffing[0][9], string.Join(",", result.Staffing[0]));

        // Fresh random numbers: each interval meets the target within the confidence of both estimates.
        var check = SimulationRunner.RunInline(result.Scenario, seed: 777, replications: 40);
        for (var k = 0; k < s.IntervalCount; k++)
        {
            var found = result.Performance[k].ServiceLevel;
            var fresh = check.Intervals[k].Kpis["service_level"];
            var tolerance = Math.Sqrt(found.HalfWidth * found.HalfWidth + fresh.HalfWidth * fresh.HalfWidth);
            Assert.True(fresh.Mean + tolerance >= targets.ServiceLevel,
                $"interval {k}: {result.Staffing[0][k]} operators give {fresh.Mean:P1} ± {fresh.HalfWidth:P1} (found {found.Mean:P1} ± {found.HalfWidth:P1})");
        }
    }

    [Fact]
    public async Task Each_interval_is_minimal_one_operator_less_misses_the_target()
    {
        var s = PlanningScenarios.Queue(PlanningScenarios.Sine(8), staffing: 1);
        var targets = ServiceTargets.Of(s);
        var result = await Staff(s, targets, replications: 10);
        var problem = new StaffingProblem(s, [], targets);
        var missedWithOneLess = 0;
        for (var k = 0; k < s.IntervalCount; k++)
        {
            var fewer = result.Staffing[0].ToArray();
            fewer[k]--;
            var run = SimulationRunner.RunInline(problem.WithStaffing([fewer]), 1, 10);
            missedWithOneLess += run.Intervals[k].Kpis["service_level"].Mean < targets.ServiceLevel ? 1 : 0;
        }
        // Judged with the same random numbers as the search; lowering one interval alone may pass where lowering its
        // neighbours too (as the search tries) did not, so most, not all, intervals are tight.
        Assert.True(missedWithOneLess >= s.IntervalCount - 2, $"{missedWithOneLess} of {s.IntervalCount} intervals miss with one operator less: {string.Join(",", result.Staffing[0])}");
    }

    [Fact]
    public async Task The_result_depends_only_on_the_seed()
    {
        var s = PlanningScenarios.Queue(PlanningScenarios.Sine(6), staffing: 1);
        var targets = ServiceTargets.Of(s) with { MaxAsaSeconds = 15 };
        var a = await Staff(s, targets, replications: 6, seed: 3);
        var b = await Staff(s, targets, replications: 6, seed: 3, host: new LocalThreadsHost(1));
        var c = await Staff(s, targets, replications: 6, seed: 4);
        Assert.Equal(a.Staffing[0], b.Staffing[0]);
        Assert.Equal(Json(a), Json(b));
        Assert.NotEqual(Json(a), Json(c));

        static string Json(StaffingResult r)
        {
            using var stream = new MemoryStream();
            StaffingReport.WriteJson(r, stream);
            return System.Text.Encoding.UTF8.GetString(stream.ToArray());
        }
    }

    [Fact]
    public void Several_groups_share_each_interval_in_proportion_to_their_scenario_hours()
    {
        var s = PlanningScenarios.Queue([100, 100], staffing: 30) with
        {
            Groups =
            [
                new OperatorGroupSpec("a", ["calls"], [30, 30], null),
                new OperatorGroupSpec("b", ["calls"], [10, 10], null),
                new OperatorGroupSpec("c", ["calls"], [5, 5], null),
            ],
        };
        var problem = new StaffingProblem(s, ["a", "b"], ServiceTargets.Of(s));
        Assert.Equal([2], problem.FixedGroups);
        Assert.Equal([30, 10], problem.Split(40, 0));
        Assert.Equal([8, 3], problem.Split(11, 0)); // 8.25 and 2.75: the larger remainder gets the last one
        Assert.Equal([0, 0], problem.Split(0, 1));
        var scenario = problem.WithStaffing(problem.SplitAll([40, 11]));
        Assert.Equal([30, 8], scenario.Groups[0].Staffing);
        Assert.Equal([10, 3], scenario.Groups[1].Staffing);
        Assert.Equal([5, 5], scenario.Groups[2].Staffing);
    }

    [Fact]
    public void Groups_are_named_or_the_only_one()
    {
        var one = PlanningScenarios.Queue([100], staffing: 3);
        Assert.Equal([0], new StaffingProblem(one, [], ServiceTargets.Of(one)).StaffedGroups);
        var two = one with { Groups = [.. one.Groups, new OperatorGroupSpec("backup", ["calls"], [1], null)] };
        Assert.Contains("name the groups to staff", Assert.Throws<PlanningException>(() => new StaffingProblem(two, [], ServiceTargets.Of(two))).Message);
        Assert.Contains("no group named 'nobody'", Assert.Throws<PlanningException>(() => new StaffingProblem(two, ["nobody"], ServiceTargets.Of(two))).Message);
        Assert.Contains("named twice", Assert.Throws<PlanningException>(() => new StaffingProblem(two, ["backup", "backup"], ServiceTargets.Of(two))).Message);
    }

    [Fact]
    public void An_activation_ramp_makes_one_operator_available_at_its_start_then_one_every_1_over_perHour()
    {
        var s = PlanningScenarios.Queue([100, 100, 100, 100, 100, 100], staffing: 30) with { OnsetSeconds = 1800 };
        var provider = s.Groups[0] with { Activation = new ActivationSpec(DelaySeconds: 1800, PerHour: 2, Max: 5), Shrinkage = 0.2 };
        var a = GroupTerms.ActivationOf(s, provider)!;
        Assert.Equal(3600, a.FromSeconds);
        Assert.Equal(0, a.AvailableBy(3600));
        Assert.Equal(1, a.AvailableBy(3601));
        Assert.Equal(1, a.AvailableBy(5400));
        Assert.Equal(2, a.AvailableBy(5401));
        Assert.Equal(4, a.AvailableBy(20 * 3600)); // 1:00, 1:30, 2:00, 2:30: the horizon ends at 3:00
        // On duty over an interval: the smaller of the schedule and the ramp, averaged.
        Assert.Equal(1.5, a.MeanOnDuty(10, 3600, 7200), 9);
        Assert.Equal(1, a.MeanOnDuty(1, 3600, 7200), 9);
        Assert.Equal(0, a.MeanOnDuty(10, 0, 3600), 9);
        // With 20 % shrinkage, 2 scheduled give round(1.6) = 2 on duty, 4 give 3 and 5 give 4: 2 are worth scheduling
        // for the 2 activated by 2:00, none before 1:00.
        Assert.Equal(0, GroupTerms.Cap(s, provider, 1).Cap);
        Assert.NotNull(GroupTerms.Cap(s, provider, 1).Limit);
        Assert.Equal(2, GroupTerms.Cap(s, provider, 3).Cap);
        Assert.Equal(2, GroupTerms.Scheduled(provider, 2));
        Assert.Equal(5, GroupTerms.Scheduled(provider, 4));
        Assert.Equal(3, GroupTerms.OnDuty(provider, 4));
    }

    [Fact]
    public async Task Intervals_before_a_provider_is_activated_cannot_meet_the_target_and_say_why()
    {
        var s = PlanningScenarios.Queue([.. Enumerable.Repeat(300.0, 6)], staffing: 10) with { OnsetSeconds = 0 };
        s = s with
        {
            Groups =
            [
                s.Groups[0] with { Name = "inhouse" },
                new OperatorGroupSpec("provider", ["calls"], [.. Enumerable.Repeat(0, 6)], null)
                {
                    CostPerHour = 40,
                    Activation = new ActivationSpec(DelaySeconds: 3600, PerHour: 30, Max: 40),
                },
            ],
        };
        var problem = new StaffingProblem(s, ["provider"], ServiceTargets.Of(s));
        Assert.Equal([0, 0, 15, 30, 40, 40], problem.Upper);

        var result = await IterativeStaffing.RunAsync(problem, Host, 8, 1, PlanningLimits.DefaultIterations, null, CancellationToken.None);

        Assert.True(result.Converged);
        Assert.Equal(0, result.Staffing[0][0]);
        Assert.Equal(0, result.Staffing[0][1]);
        Assert.NotNull(result.Misses[0]);
        Assert.Equal("provider is not on duty before 01:00 (activation)", result.Reasons[1]);
        Assert.All(Enumerable.Range(4, 2), k => Assert.Null(result.Misses[k]));
        // Every interval that misses is at the most the ramp allows, and says so.
        Assert.All(Enumerable.Range(0, 6).Where(k => result.Misses[k] is not null), k =>
        {
            Assert.Equal(problem.Upper[k], result.Staffing[0][k]);
            Assert.Contains("activation", result.Reasons[k]);
        });
        // 30 Erlangs on 10 in-house operators: the provider brings about 25 once it can.
        Assert.InRange(result.Staffing[0][4], 18, 30);
        Assert.Equal(result.AgentHours(0) * 40, result.Cost(0), 9);
        Assert.Equal(GroupTerms.OnDutyHours(result.Scenario, result.Scenario.Groups[1]), result.AgentHours(0), 9);
    }
}
