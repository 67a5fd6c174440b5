using CrisisSim.Engine;

namespace CrisisSim.Reporting;

/// <summary>Writes <c>replications.csv</c> (<see cref="ReplicationsCsv"/>), one row per replication, as replications are
/// folded in: the file grows with the replications, memory does not. Always written.</summary>
public sealed class ReplicationsFile : IExporter
{
    public const string FormatName = "replications";

    public string Name => FormatName;

    public string Description => $"{ReplicationsCsv.FileName}: every replication's overall KPIs, one row each; always written";

    public IReplicationWriter? Begin(CrisisSim.Model.Scenario.ScenarioDefinition scenario, ExportTarget target)
    {
        var writer = target.CreateText(ReplicationsCsv.FileName);
        return new Rows(new ReplicationsCsv(scenario, writer), writer);
    }

    /// <summary>Writes the rows of a run that kept its replications, unless they were written during the run; a run that
    /// kept neither has no rows to write.</summary>
    public void Export(RunReport report, ExportTarget target)
    {
        var run = report.Run;
        if (target.Has(ReplicationsCsv.FileName) || run.Replications.Count != run.ReplicationCount)
        {
            return;
        }
        using var writer = target.CreateText(ReplicationsCsv.FileName);
        var rows = new ReplicationsCsv(run.Scenario, writer);
        foreach (var replication in run.Replications)
        {
            rows.Add(RunAccumulator.Measure(run.Scenario, replication, returnRecords: false));
        }
    }

    private sealed class Rows(ReplicationsCsv rows, StreamWriter writer) : IReplicationWriter
    {
        public void Add(ReplicationKpis replication) => rows.Add(replication);

        public void Dispose() => writer.Dispose();
    }
}
