using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;
using CrisisSim.Testing;

namespace CrisisSim.Tests;

/// <summary>The playbook's firings from a replication's records to the run's summary per rule: carried by
/// <see cref="ReplicationKpis"/> and the recorder's state, folded into <see cref="RunResult.Playbook"/>.</summary>
public sealed class PlaybookResultTests
{
    /// <summary>Three rules whose conditions do not matter here: the firings are given.</summary>
    internal static ScenarioDefinition Scenario { get; } = TestScenarios.Mixed(intervals: 4) with
    {
        Playbook = new PlaybookSpec(
        [
            new PlaybookRuleSpec("overflow", new QueueCondition(PlaybookScope.All, 10), []) { AfterSeconds = 300 },
            new PlaybookRuleSpec("message", new WindowCondition(PlaybookScope.All, WindowMeasure.ServiceLevel, false, 0.5, 900), []) { CooldownSeconds = 600 },
            new PlaybookRuleSpec("never", new ClockCondition(86_000), []),
        ], 60),
    };

    /// <summary>The first firings of <c>overflow</c> in replications 0 to 14, sorted; replication r gets
    /// <c>OverflowTimes[r x 7 mod 15]</c>, so they come unsorted. Replications 15 to 19 see no firing of it.</summary>
    internal static double[] OverflowTimes { get; } = [600, 600, 660, 720, 720, 720, 780, 840, 900, 1200, 1200, 1260, 1500, 1800, 3600];

    internal const int Replications = 20;

    /// <summary>The firings of replication <paramref name="r"/>: <c>overflow</c> (effect 300 s later) in the first 15,
    /// <c>message</c> twice in replication 0 (a cooldown) and once in replication 3, <c>never</c> never.</summary>
    internal static PlaybookFiring[] FiringsOf(int r)
    {
        var firings = new List<PlaybookFiring>();
        if (r < 15)
        {
            var t = OverflowTimes[r * 7 % 15];
            firings.Add(new PlaybookFiring(0, 1, t, t + 300));
        }
        if (r == 0)
        {
            firings.Add(new PlaybookFiring(1, 1, 1200, 1200));
            firings.Add(new PlaybookFiring(1, 2, 2400, 2400));
        }
        if (r == 3)
        {
            firings.Add(new PlaybookFiring(1, 1, 1800, 1800));
        }
        return [.. firings.OrderBy(f => f.Time)];
    }

    internal static Recorder RecorderWith(ScenarioDefinition s, IEnumerable<PlaybookFiring> firings)
    {
        var records = new Recorder(s.IntervalCount, s.IntervalSeconds, s.CallTypes.Count, s.Groups.Count, s.ServiceLevel.ThresholdSeconds, keepCallLog: false);
        foreach (var f in firings)
        {
            records.PlaybookFired(f);
        }
        return records;
    }

    private static RunResult Fold(ScenarioDefinition scenario)
    {
        var accumulator = new RunAccumulator(scenario, 7);
        for (var r = 0; r < Replications; r++)
        {
            accumulator.Add(RunAccumulator.Measure(scenario, new ReplicationResult(r, RecorderWith(scenario, FiringsOf(r)), 0), returnRecords: false));
        }
        return accumulator.Finish();
    }

    [Fact]
    public void The_summary_per_rule_is_the_hand_computed_share_median_and_range()
    {
        var playbook = Fold(Scenario).Playbook;
        Assert.NotNull(playbook);
        Assert.Equal(60, playbook.EvaluateEverySeconds);
        Assert.Equal(["overflow", "message", "never"], playbook.Rules.Select(r => r.Name));
        Assert.Equal([0, 1, 2], playbook.Rules.Select(r => r.Rule));

        // overflow: 15 of 20; Wilson 95 % interval of 0.75 with n = 20 is [0.5313, 0.8881].
        var overflow = playbook.Rules[0];
        Assert.Equal(15, overflow.FiredReplications);
        Assert.Equal(0.75, overflow.FiredShare.Estimate);
        Assert.Equal(0.531299, overflow.FiredShare.Lower, 6);
        Assert.Equal(0.888138, overflow.FiredShare.Upper, 6);
        Assert.Equal(20, overflow.FiredShare.Count);
        Assert.Equal(0.75, overflow.FiringsPerReplication);
        // 15 sorted times: the median is the 8th (840), the 5 % quantile the 1st (ceil 0.75), the 95 % the 15th (ceil 14.25).
        Assert.Equal(new TimeQuantiles(840, 600, 3600), overflow.FirstTime);
        Assert.Equal(new TimeQuantiles(1140, 900, 3900), overflow.FirstEffectTime);

        // message: 2 of 20 replications, 3 firings; its first firings are 1200 (replication 0) and 1800 (replication 3).
        var message = playbook.Rules[1];
        Assert.Equal(2, message.FiredReplications);
        Assert.Equal(0.1, message.FiredShare.Estimate);
        Assert.Equal(0.027866, message.FiredShare.Lower, 6);
        Assert.Equal(0.301034, message.FiredShare.Upper, 6);
        Assert.Equal(0.15, message.FiringsPerReplication, 12);
        Assert.Equal(new TimeQuantiles(1200, 1200, 1800), message.FirstTime);
        Assert.Equal(message.FirstTime, message.FirstEffectTime);

        // never: 0 of 20, whose interval is still not empty: [0, z² / (n + z²)].
        var never = playbook.Rules[2];
        Assert.Equal(0, never.FiredReplications);
        Assert.Equal(0, never.FiredShare.Estimate);
        Assert.Equal(0, never.FiredShare.Lower);
        Assert.Equal(0.161125, never.FiredShare.Upper, 6);
        Assert.Equal(0, never.FiringsPerReplication);
        Assert.True(double.IsNaN(never.FirstTime.Median) && double.IsNaN(never.FirstTime.P05) && double.IsNaN(never.FirstTime.P95));
        Assert.True(double.IsNaN(never.FirstEffectTime.Median));
    }

    [Fact]
    public void A_quantile_is_the_earliest_instant_reached_by_that_share_of_the_replications()
    {
        static TimeQuantiles Of(params (double Instant, int Count)[] counts) =>
            TimeQuantiles.Of(new SortedDictionary<double, int>(counts.ToDictionary(c => c.Instant, c => c.Count)));

        Assert.Equal(new TimeQuantiles(60, 60, 60), Of((60, 1)));
        // Two replications: the median is the first (half of them had fired by then).
        Assert.Equal(new TimeQuantiles(60, 60, 120), Of((60, 1), (120, 1)));
        // 100 replications, one per instant 1 … 100: the 5th, 50th and 95th.
        Assert.Equal(new TimeQuantiles(50, 5, 95), Of([.. Enumerable.Range(1, 100).Select(i => ((double)i, 1))]));
        Assert.True(double.IsNaN(Of().Median));
    }

    [Fact]
    public void A_scenario_without_a_playbook_has_no_summary()
    {
        Assert.Null(Fold(Scenario with { Playbook = null }).Playbook);
        Assert.Null(SimulationRunner.RunInline(TestScenarios.Mixed(intervals: 2), 3, 2).Playbook);
    }

    [Fact]
    public void Measure_carries_the_records_firings_in_order_and_none_as_null()
    {
        var firings = FiringsOf(0);
        var kpis = RunAccumulator.Measure(Scenario, new ReplicationResult(0, RecorderWith(Scenario, firings), 0), returnRecords: false);
        Assert.Equal(firings, kpis.PlaybookFirings);
        Assert.Null(RunAccumulator.Measure(Scenario, new ReplicationResult(0, RecorderWith(Scenario, []), 0), returnRecords: false).PlaybookFirings);
    }

    [Fact]
    public void A_firing_of_a_rule_the_playbook_does_not_have_is_refused()
    {
        var accumulator = new RunAccumulator(Scenario, 7);
        var kpis = RunAccumulator.Measure(Scenario, new ReplicationResult(0, RecorderWith(Scenario, [new PlaybookFiring(3, 1, 60, 60)]), 0), returnRecords: false);
        Assert.Contains("rule 3", Assert.Throws<ArgumentException>(() => accumulator.Add(kpis)).Message);
    }

    [Fact]
    public void The_recorder_state_carries_the_firings_and_a_merge_keeps_them()
    {
        var firings = FiringsOf(0);
        var records = RecorderWith(Scenario, firings);
        var state = records.ToState();
        Assert.Equal(firings, state.PlaybookFirings);
        Assert.Equal(firings, Recorder.FromState(state).PlaybookFirings);
        Assert.Null(RecorderWith(Scenario, []).ToState().PlaybookFirings);
        Assert.Empty(Recorder.FromState(RecorderWith(Scenario, []).ToState()).PlaybookFirings);

        // The router records the firings; the other components' recorders are merged with it.
        var merged = RecorderWith(Scenario, []);
        merged.MergeFrom(Recorder.FromState(state));
        merged.MergeFrom(RecorderWith(Scenario, []));
        Assert.Equal(firings, merged.PlaybookFirings);
    }

    [Fact]
    public void Memory_follows_the_distinct_instants_not_the_replications()
    {
        var accumulator = new PlaybookAccumulator(Scenario.Playbook!);
        for (var r = 0; r < 10_000; r++)
        {
            var t = 60.0 * (1 + r % 3);
            accumulator.Add(r, [new PlaybookFiring(0, 1, t, t + 300), new PlaybookFiring(1, 1, t, t)]);
        }
        // Three instants for each rule's first firings and three for their effects.
        Assert.Equal(12, accumulator.DistinctInstants);
        var summary = accumulator.Finish();
        Assert.Equal(1, summary.Rules[0].FiredShare.Estimate);
        Assert.Equal(new TimeQuantiles(120, 60, 180), summary.Rules[0].FirstTime);
    }
}
