using CrisisSim.Analytics;
using CrisisSim.Engine;
using CrisisSim.Model.Scenario;
using CrisisSim.Planning;
using CrisisSim.Reporting;

namespace CrisisSim.Tests.Planning;

/// <summary>The staffing as <c>staff</c> runs it: replications that grow to the precision the decision needs, a plan
/// verified on independent random numbers, and a verdict that never says "meets" for a search that did not converge.</summary>
public sealed class VerifiedStaffingTests
{
    private static readonly IReplicationHost Host = new LocalThreadsHost();

    private static Task<StaffingResult> Staff(ScenarioDefinition s, ServiceTargets targets, StaffingSettings settings) =>
        IterativeStaffing.RunAsync(new StaffingProblem(s, [], targets), Host, settings, null, CancellationToken.None);

    private static StaffingSettings Verified(int replications = 10, int maxReplications = 200, long seed = 1) =>
        new(replications, seed, PlanningLimits.DefaultIterations) { MaxReplications = maxReplications, VerificationRounds = PlanningLimits.DefaultVerificationRounds };

    [Fact]
    public async Task A_start_far_above_the_minimum_reaches_it_in_a_few_iterations()
    {
        // Each call holds an operator for 30 days: every call answered so far stays on the line, so the stationary
        // estimate (tens of thousands of operators) is far above the few thousand that answer every call.
        var s = PlanningScenarios.Queue([1000, 1000, 1000], staffing: 1, handle: 30 * 86400, patience: 300, threshold: 20, target: 0.8);
        var targets = ServiceTargets.Of(s);

        var result = await IterativeStaffing.RunAsync(new StaffingProblem(s, [], targets), Host, 4, 1, 25, null, CancellationToken.None);

        Assert.True(result.Converged, string.Join(" ", result.Iterations.Select(i => $"{i.AgentHours:F0}/{i.IntervalsMissed}")));
        Assert.True(result.ErlangStart[0] > 10 * result.Staffing[0][0], $"start {result.ErlangStart[0]}, found {result.Staffing[0][0]}");
        // At most every call offered so far, with room for the Poisson variation of three intervals.
        for (var k = 0; k < s.IntervalCount; k++)
        {
            Assert.InRange(result.Staffing[0].Take(k + 1).Max(), 1, 1000 * (k + 1) + 200);
        }
    }

    [Fact]
    public void A_search_that_ran_out_of_iterations_does_not_say_every_interval_meets()
    {
        var s = PlanningScenarios.Queue([360, 360], staffing: 40);
        var problem = new StaffingProblem(s, [], ServiceTargets.Of(s));
        var run = SimulationRunner.RunInline(s, 1, 4);
        var good = new IntervalPerformance(new Estimate(0.9, 0.01, 4), new Estimate(0.01, 0.01, 4), new Estimate(5, 1, 4), 360);
        var result = new StaffingResult(problem, [[40, 40]], s, run, [good, good], [null, null], [null, null], [36, 36],
            [new StaffingIteration(1, 40, 0, 2)], Converged: false, 4, 1);
        var text = new StringWriter();

        StaffingReport.WriteTable(result, text);

        Assert.DoesNotContain("Every interval meets the targets", text.ToString());
        Assert.Contains("Not converged", text.ToString());
    }

    [Fact]
    public async Task On_a_stationary_queue_the_verified_plan_is_the_Erlang_A_minimum()
    {
        // 360 calls per half hour at 180 s: 36 Erlangs, patience 300 s; 80 % within 20 s.
        var s = PlanningScenarios.Queue([.. Enumerable.Repeat(360.0, 8)], staffing: 1);
        var targets = ServiceTargets.Of(s);
        var minimum = Staffing.MinimumAgents(0.2, 180, 300, new StaffingTarget(0.8, 20));
        var atMinimum = ErlangA.CreateModel(new QueueParameters(0.2, 180, minimum), 300).ServiceLevel(20);

        var result = await Staff(s, targets, Verified());

        Assert.True(result.Converged);
        Assert.NotNull(result.Verification);
        Assert.Equal(0, result.IntervalsMissed);
        // The run starts empty: the first interval, still filling up, is not the stationary queue.
        for (var k = 1; k < s.IntervalCount; k++)
        {
            if (atMinimum > targets.ServiceLevel + 0.005)
            {
                Assert.True(minimum == result.Staffing[0][k], $"interval {k}: {result.Staffing[0][k]} operators, Erlang A minimum {minimum} ({atMinimum:P2}); plan {string.Join(",", result.Staffing[0])}, search {string.Join(" ", result.Iterations.Select(i => $"{i.IntervalsMissed}/{i.IntervalsChanged}/{i.Replications}"))}, verification {string.Join(" ", result.Verification.Rounds)}, SL {string.Join(" ", result.Performance.Select(p => $"{p.ServiceLevel.Mean:P2}±{p.ServiceLevel.HalfWidth:P2}"))}");
            }
            else
            {
                Assert.InRange(result.Staffing[0][k], minimum - 1, minimum + 1);
            }
        }
    }

    [Fact]
    public async Task A_verified_plan_on_a_surge_day_holds_on_a_third_seed()
    {
        // 48 half hours: a quiet night, a surge peaking at 10:00 and a slow decline.
        var calls = Enumerable.Range(0, 48).Select(k => 60 + 300 * Math.Exp(-Math.Pow((k - 20) / 5.0, 2))).ToArray();
        var s = PlanningScenarios.Queue(calls, staffing: 1);
        var targets = ServiceTargets.Of(s);

        var result = await Staff(s, targets, Verified(seed: 5));

        Assert.NotNull(result.Verification);
        Assert.NotEqual(result.Seed, result.Verification.Seed);
        Assert.True(result.Verification.Passed);
        var fresh = SimulationRunner.RunInline(result.Scenario, seed: 999, replications: 200);
        var below = 0;
        for (var k = 0; k < s.IntervalCount; k++)
        {
            var sl = fresh.Intervals[k].Kpis["service_level"];
            Assert.True(sl.Mean + sl.HalfWidth >= targets.ServiceLevel - 0.005,
                $"interval {k}: {result.Staffing[0][k]} operators give {sl.Mean:P2} ± {sl.HalfWidth:P2} on a third seed");
            below += sl.Mean < targets.ServiceLevel ? 1 : 0;
        }
        Assert.True(below <= s.IntervalCount / 10, $"{below} of {s.IntervalCount} intervals below the target on a third seed");
        var erlangHours = result.ErlangStart.Sum(x => (double)x) / 2;
        Assert.InRange(result.ScheduledHours(0), erlangHours * 0.97, erlangHours * 1.03);
    }

    /// <summary><c>staff</c> with a playbook in play: a provider the playbook calls in when the queue builds takes part
    /// of the surge, so the in-house agents staffed (and verified on another seed) are fewer after it comes than without
    /// the rule firing.</summary>
    [Fact]
    public async Task Staffing_a_scenario_with_a_playbook_counts_the_provider_its_rule_calls_in()
    {
        var calls = Enumerable.Range(0, 16).Select(k => 60 + 300 * Math.Exp(-Math.Pow((k - 8) / 3.0, 2))).ToArray();
        var queue = PlanningScenarios.Queue(calls, staffing: 1);
        var provider = new OperatorGroupSpec("provider", ["calls"], [.. Enumerable.Repeat(15, calls.Length)], null) { Activation = new ActivationSpec(1800, 60, 15) };
        PlaybookSpec Rule(int queueAbove) => new([new PlaybookRuleSpec("call-provider", new HeldForCondition(new QueueCondition(PlaybookScope.All, queueAbove), 300), [new ActivateGroupAction("provider")])]);
        var with = queue with { Groups = [queue.Groups[0], provider], Playbook = Rule(5) };
        var never = with with { Playbook = Rule(1_000_000) };
        var targets = ServiceTargets.Of(with);

        var staffed = await IterativeStaffing.RunAsync(new StaffingProblem(with, ["agents"], targets), Host, Verified(), null, CancellationToken.None);
        var alone = await IterativeStaffing.RunAsync(new StaffingProblem(never, ["agents"], targets), Host, Verified(), null, CancellationToken.None);

        Assert.True(staffed.Converged && alone.Converged);
        Assert.True(staffed.Verification!.Passed && alone.Verification!.Passed);
        Assert.True(staffed.Staffing[0].Sum() < alone.Staffing[0].Sum(),
            $"agents with the provider called in: {string.Join(",", staffed.Staffing[0])}; without: {string.Join(",", alone.Staffing[0])}");
    }
}
