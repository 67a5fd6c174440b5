using CrisisSim.Engine;

namespace CrisisSim.Reporting;

/// <summary>Writes <c>replications.csv</c> (<see cref="ReplicationsCsv"/>), one row per replication, and when the scenario
/// has a playbook <c>playbook.csv</c> (<see cref="PlaybookCsv"/>), one row per firing, as replications are folded in: the
/// files grow with the replications, memory does not. Always written.</summary>
public sealed class ReplicationsFile : IExporter
{
    public const string FormatName = "replications";

    public string Name => FormatName;

    public string Description => $"{ReplicationsCsv.FileName}: every replication's overall KPIs, one row each (and {PlaybookCsv.FileName}: every firing of the playbook's rules, when the scenario has one); always written";

    public IReplicationWriter? Begin(CrisisSim.Model.Scenario.ScenarioDefinition scenario, ExportTarget target)
    {
        var writer = target.CreateText(ReplicationsCsv.FileName);
        StreamWriter? firingsWriter = null;
        try
        {
            firingsWriter = scenario.Playbook is null ? null : target.CreateText(PlaybookCsv.FileName);
            return new Rows(new ReplicationsCsv(scenario, writer), writer, firingsWriter is null ? null : new PlaybookCsv(scenario, firingsWriter), firingsWriter);
        }
        catch
        {
            firingsWriter?.Dispose();
            writer.Dispose();
            throw;
        }
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
        using var rows = Begin(run.Scenario, target)!;
        foreach (var replication in run.Replications)
        {
            rows.Add(RunAccumulator.Measure(run.Scenario, replication, returnRecords: false));
        }
    }

    private sealed class Rows(ReplicationsCsv rows, StreamWriter writer, PlaybookCsv? firings, StreamWriter? firingsWriter) : IReplicationWriter
    {
        public void Add(ReplicationKpis replication)
        {
            rows.Add(replication);
            firings?.Add(replication);
        }

        public void Dispose()
        {
            writer.Dispose();
            firingsWriter?.Dispose();
        }
    }
}
