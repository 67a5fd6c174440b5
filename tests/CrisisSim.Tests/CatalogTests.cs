using CrisisSim.Engine;
using CrisisSim.Model.Recording;
using CrisisSim.Reporting;

namespace CrisisSim.Tests;

/// <summary>The model's tables of counters, outcomes and KPIs are complete and consistent.</summary>
public sealed class CatalogTests
{
    [Fact]
    public void Every_outcome_has_a_definition_with_its_own_counters()
    {
        foreach (var outcome in Enum.GetValues<CallOutcome>())
        {
            var d = CallOutcomes.Of(outcome);
            Assert.Equal(outcome, d.Outcome);
            Assert.Equal(CounterKind.Count, CallCounter.All[d.Counter].Kind);
            Assert.True(d.WaitSumCounter < 0 || CallCounter.All[d.WaitSumCounter].Kind == CounterKind.TimeSum);
            Assert.Equal(d.Name, CallsCsv.Outcome(outcome));
        }
        Assert.Equal(CallOutcomes.All.Count, CallOutcomes.All.Select(d => d.Name).Distinct().Count());
        Assert.Equal(CallOutcomes.All.Count, CallOutcomes.All.Select(d => d.Counter).Distinct().Count());
    }

    [Fact]
    public void An_outcome_without_a_definition_is_refused_not_written_as_another()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CallsCsv.Outcome((CallOutcome)200));
    }

    [Fact]
    public void Counters_and_kpis_are_indexed_and_named_once()
    {
        for (var i = 0; i < CallCounter.Count; i++)
        {
            Assert.Equal(i, CallCounter.All[i].Index);
        }
        Assert.Equal(CallCounter.Count, CallCounter.All.Select(c => c.Name).Distinct().Count());
        Assert.Equal(KpiCatalog.All.Count, KpiValues.Names.Distinct().Count());
        Assert.Equal("offered", KpiValues.Names[KpiCatalog.Offered]);
        Assert.Equal("max_queue", KpiValues.Names[KpiCatalog.MaxQueueLength]);
        Assert.Equal("outbound_created", KpiValues.Names[KpiCatalog.OutboundCreated]);
        Assert.Equal("p50_wait", KpiValues.Names[KpiCatalog.P50Wait]);
        Assert.Equal("p95_wait", KpiValues.Names[KpiCatalog.P95Wait]);
        Assert.Equal("outbound_unreached", KpiValues.Names[KpiCatalog.OutboundUnreached]);
    }

    [Fact]
    public void Recorder_state_refuses_a_counter_table_of_another_width()
    {
        var r = new Recorder(2, 60, 1, 0, 20, keepCallLog: false);
        r.Offered(0, 1);
        var state = r.ToState();
        var bad = state with { CallRows = [state.CallRows[0] with { Counters = new double[2 * CallCounter.Count + 1] }] };
        Assert.Throws<ArgumentException>(() => Recorder.FromState(bad));
    }
}
