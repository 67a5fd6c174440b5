using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;
using CrisisSim.Reporting;
using CrisisSim.Testing;

namespace CrisisSim.Tests;

/// <summary>The one seam every command runs replications through: a host is one class, and the pipeline gives the same
/// result whatever the host, the order in which replications end or the number in flight.</summary>
public sealed class ReplicationPipelineTests
{
    /// <summary>A host written in test code: replications end in an order of its choosing (later ones first), and it
    /// remembers what it was asked.</summary>
    private sealed class ReversingHost(int concurrency) : IReplicationHost
    {
        private int _inFlight;
        private int _runIds;

        public int Concurrency => concurrency;

        public int MostInFlight { get; private set; }

        public List<ReplicationJob> Jobs { get; } = [];

        public string NewRunId(ScenarioDefinition scenario, long seed) => $"{scenario.Name}-{Interlocked.Increment(ref _runIds)}";

        public async Task<ReplicationKpis> RunAsync(ReplicationJob job, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _inFlight);
            lock (Jobs)
            {
                Jobs.Add(job);
                MostInFlight = Math.Max(MostInFlight, now);
            }
            try
            {
                // Lower replications wait longer, so they end after the higher ones started with them.
                await Task.Delay(TimeSpan.FromMilliseconds(2 * (8 - job.Replication % 8)), cancellationToken);
                var result = InlineEngine.RunReplication(job.Scenario, job.Seed, job.Replication, job.KeepsCallLog, cancellationToken);
                return RunAccumulator.Measure(job.Scenario, result, job.ReturnsRecords);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    [Fact]
    public async Task A_host_written_elsewhere_gives_the_inline_result_call_for_call()
    {
        var scenario = TestScenarios.Mixed();
        var inline = SimulationRunner.RunInline(scenario, 7, 6, keepCallLog: true, maxParallelism: 1);
        var host = new ReversingHost(3);
        var kpis = new List<int>();
        var run = await ReplicationPipeline.RunAsync(host, scenario, 7, 6, ReplicationOutput.CallLog,
            new ReplicationSink(KeepReplications: true, OnKpis: k => kpis.Add(k.Replication)), CancellationToken.None);

        Assert.Equal(SummaryJson.ToText(inline), SummaryJson.ToText(run));
        for (var r = 0; r < 6; r++)
        {
            Assert.Equal(inline.Replications[r].Records.CallLog!, run.Replications[r].Records.CallLog!);
        }
        Assert.Equal([0, 1, 2, 3, 4, 5], kpis);
        Assert.InRange(host.MostInFlight, 1, 3);
        Assert.All(host.Jobs, j => Assert.Equal(ReplicationOutput.CallLog, j.Output));
        Assert.Single(host.Jobs.Select(j => j.RunId).Distinct());
    }

    [Fact]
    public async Task The_sink_gets_records_only_when_it_needs_them()
    {
        var scenario = TestScenarios.Mixed(intervals: 2);
        var host = new ReversingHost(2);
        var records = 0;
        await ReplicationPipeline.RunAsync(host, scenario, 1, 3, ReplicationOutput.Kpis, new ReplicationSink(OnReplication: _ => records++), CancellationToken.None);
        Assert.Equal(3, records);
        Assert.All(host.Jobs, j => Assert.Equal(ReplicationOutput.Records, j.Output));

        var plain = new ReversingHost(2);
        await ReplicationPipeline.RunAsync(plain, scenario, 1, 3, ReplicationOutput.Kpis, null, CancellationToken.None);
        Assert.All(plain.Jobs, j => Assert.Equal(ReplicationOutput.Kpis, j.Output));
    }

    [Fact]
    public async Task Points_come_back_in_order_with_common_random_numbers_and_a_run_id_each()
    {
        var a = TestScenarios.Mixed(intervals: 2);
        var b = a with { Name = "other" };
        var host = new ReversingHost(4);
        var done = new List<PointResult>();
        var progress = new List<PlanProgress>();
        await ReplicationPipeline.RunPointsAsync(host, [new PlanPoint(() => a), new PlanPoint(() => b), new PlanPoint(() => a)], 3, 5,
            done.Add, new SyncProgress<PlanProgress>(progress.Add), CancellationToken.None);

        Assert.Equal([0, 1, 2], done.Select(p => p.Index));
        Assert.All(done, p => Assert.Equal([0, 1, 2, 3, 4], p.Replications.Select(k => k.Replication)));
        // The same (seed, replication) streams at every point: the same scenario gives the same result.
        Assert.Equal(SummaryJson.ToText(done[0].Run), SummaryJson.ToText(done[2].Run));
        Assert.Equal(SummaryJson.ToText(SimulationRunner.RunInline(b, 3, 5)), SummaryJson.ToText(done[1].Run));
        Assert.Equal(3, host.Jobs.Select(j => j.RunId).Distinct().Count());
        Assert.Equal(new PlanProgress(3, 3, 15, 15), progress[^1]);
    }

    /// <summary>Runs a small scenario in place of the one asked for, so the pipeline's bound on memory can be watched on
    /// scenarios too large to simulate in a test.</summary>
    private sealed class StandInHost(int concurrency, ScenarioDefinition standIn) : IReplicationHost
    {
        private int _inFlight;

        public int Concurrency => concurrency;

        public int MostInFlight { get; private set; }

        public string NewRunId(ScenarioDefinition scenario, long seed) => scenario.Name;

        public async Task<ReplicationKpis> RunAsync(ReplicationJob job, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _inFlight);
            lock (this)
            {
                MostInFlight = Math.Max(MostInFlight, now);
            }
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
                return RunAccumulator.Measure(standIn, InlineEngine.RunReplication(standIn, job.Seed, job.Replication, false, cancellationToken), false);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    [Fact]
    public async Task Replications_estimated_beyond_the_memory_budget_run_one_at_a_time_and_small_ones_fill_the_window()
    {
        var small = TestScenarios.Mixed(intervals: 2);
        var large = small with { Name = "large", Groups = Enumerable.Repeat(small.Groups[0], 20_000).ToList() };
        Assert.True(ReplicationFootprint.EstimateBytes(large) > RunLimits.ReplicationMemoryBudget / 2);
        Assert.Equal(1, ReplicationFootprint.ReplicationsInBudget(large));
        Assert.True(ReplicationFootprint.ReplicationsInBudget(small) >= 4);

        var bounded = new StandInHost(4, small);
        var ran = new List<int>();
        await ReplicationPipeline.RunPlanAsync(bounded, [new PlanPoint(() => large)], 1, 0, 6, (_, _, k) => ran.Add(k.Replication), null, CancellationToken.None);
        Assert.Equal([0, 1, 2, 3, 4, 5], ran);
        Assert.Equal(1, bounded.MostInFlight);

        var free = new StandInHost(4, small);
        await ReplicationPipeline.RunPlanAsync(free, [new PlanPoint(() => small)], 1, 0, 12, (_, _, _) => { }, null, CancellationToken.None);
        Assert.Equal(4, free.MostInFlight);
    }

    /// <summary>Replication 0 runs long, the others at once: those that finish wait in the window for it, and their
    /// measures (their interval rows) with them, so they keep their memory until folded.</summary>
    private sealed class SlowFirstHost(ScenarioDefinition standIn, Func<int> folded) : IReplicationHost
    {
        private int _started;

        public int Concurrency => 4;

        public int MostHeld { get; private set; }

        public string NewRunId(ScenarioDefinition scenario, long seed) => scenario.Name;

        public async Task<ReplicationKpis> RunAsync(ReplicationJob job, CancellationToken cancellationToken)
        {
            var started = Interlocked.Increment(ref _started);
            lock (this)
            {
                MostHeld = Math.Max(MostHeld, started - folded());
            }
            await Task.Delay(TimeSpan.FromMilliseconds(job.Replication == 0 ? 300 : 5), cancellationToken);
            return RunAccumulator.Measure(standIn, InlineEngine.RunReplication(standIn, job.Seed, job.Replication, false, cancellationToken), false);
        }
    }

    [Fact]
    public async Task Finished_replications_keep_their_memory_until_they_are_folded()
    {
        var small = TestScenarios.Mixed(intervals: 2);
        // About two fifths of the budget each: two are held at once, never three.
        var groups = (int)(RunLimits.ReplicationMemoryBudget / 2.5 / ReplicationFootprint.BytesPerGroup);
        var large = small with { Name = "large", Groups = Enumerable.Repeat(small.Groups[0], groups).ToList() };
        Assert.Equal(2, ReplicationFootprint.ReplicationsInBudget(large));

        var folded = 0;
        var host = new SlowFirstHost(small, () => Volatile.Read(ref folded));
        var order = new List<int>();
        await ReplicationPipeline.RunPlanAsync(host, [new PlanPoint(() => large)], 1, 0, 8, (_, _, k) =>
        {
            order.Add(k.Replication);
            Interlocked.Increment(ref folded);
        }, null, CancellationToken.None);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], order);
        Assert.Equal(2, host.MostHeld);
    }

    [Fact]
    public async Task The_first_failure_is_thrown_and_stops_the_rest()
    {
        var scenario = TestScenarios.Mixed(intervals: 2);
        var host = new FailingHost(failAt: 2);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ReplicationPipeline.RunAsync(host, scenario, 1, 50, ReplicationOutput.Kpis, null, CancellationToken.None));
        Assert.Equal("replication 2 failed", ex.Message);
        Assert.True(host.Started < 50, $"{host.Started} replications started after the failure");
    }

    [Fact]
    public async Task A_host_that_hands_back_the_wrong_replication_is_caught()
    {
        var scenario = TestScenarios.Mixed(intervals: 2);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ReplicationPipeline.RunAsync(new ShiftedHost(), scenario, 1, 2, ReplicationOutput.Kpis, null, CancellationToken.None));
        Assert.Contains("came back as replication", ex.Message);
    }

    private sealed class FailingHost(int failAt) : IReplicationHost
    {
        private int _started;

        public int Started => Volatile.Read(ref _started);

        public int Concurrency => 2;

        public string NewRunId(ScenarioDefinition scenario, long seed) => "";

        public async Task<ReplicationKpis> RunAsync(ReplicationJob job, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _started);
            if (job.Replication == failAt)
            {
                throw new InvalidOperationException($"replication {failAt} failed");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
            return RunAccumulator.Measure(job.Scenario, InlineEngine.RunReplication(job.Scenario, job.Seed, job.Replication), false);
        }
    }

    private sealed class ShiftedHost : IReplicationHost
    {
        public int Concurrency => 1;

        public string NewRunId(ScenarioDefinition scenario, long seed) => "";

        public Task<ReplicationKpis> RunAsync(ReplicationJob job, CancellationToken cancellationToken) =>
            Task.FromResult(RunAccumulator.Measure(job.Scenario, InlineEngine.RunReplication(job.Scenario, job.Seed, job.Replication + 1), false));
    }

    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value)
        {
            lock (this)
            {
                report(value);
            }
        }
    }
}
