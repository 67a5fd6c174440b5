using CrisisSim.Engine;
using CrisisSim.Model.Components;
using CrisisSim.Model.Recording;

namespace CrisisSim.Reporting;

/// <summary>Writes <c>calls.csv</c>, the per-call log (only when requested): one row per call and replication.</summary>
public sealed class CallsCsv : IExporter
{
    public const string FileName = "calls.csv";

    public string Name => "calls";

    public string Description => $"{FileName}: the per-call log, one row per call, attempt and leg (streamed to disk: about {RunLimits.CallLogBytesPerRow} bytes a row)";

    public bool NeedsCallLog => true;

    /// <summary>Opens the log before the run and writes each replication's calls as it ends, so that the log is never
    /// held whole in memory.</summary>
    public IReplicationWriter? Begin(CrisisSim.Model.Scenario.ScenarioDefinition scenario, ExportTarget target)
    {
        var writer = target.CreateText(FileName);
        WriteHeader(writer);
        return new Streamed(scenario, writer);
    }

    /// <summary>Writes the log of a run that kept its replications, unless it was streamed during the run.</summary>
    public void Export(RunReport report, ExportTarget target)
    {
        if (target.Has(FileName))
        {
            return;
        }
        using var writer = target.CreateText(FileName);
        Write(report.Run, writer);
    }

    private sealed class Streamed(CrisisSim.Model.Scenario.ScenarioDefinition scenario, StreamWriter writer) : IReplicationWriter
    {
        public void Add(ReplicationResult replication) => WriteReplication(scenario, replication, writer);

        public void Dispose() => writer.Dispose();
    }

    /// <summary>The columns; <c>caller</c> is the call id of the caller's first attempt, <c>attempt</c> 1 for it, 2 for
    /// the first redial …, <c>leg</c> 1 for the call as dialled, 2 after a first transfer … (attempts count within a leg);
    /// <c>acw_end_s</c> is when the answering operator was free again (the end of its after-call work; <c>end_s</c>
    /// without it), empty for a call not answered.</summary>
    public const string Header = "replication,call_id,call_type,arrival_s,outcome,wait_s,end_s,group,operator,caller,attempt,leg,acw_end_s";

    /// <summary>Writes the whole log of a run that kept its replications.</summary>
    public static void Write(RunResult run, TextWriter writer)
    {
        WriteHeader(writer);
        foreach (var replication in run.Replications)
        {
            WriteReplication(run.Scenario, replication, writer);
        }
    }

    public static void WriteHeader(TextWriter writer)
    {
        writer.Write(Header);
        writer.Write('\n');
    }

    /// <summary>Writes one replication's calls (sorted by call id): a run streams its log replication by replication.
    /// A log the replication streamed to a part (<see cref="ReplicationResult.CallLog"/>) is read back in call-id order
    /// with bounded memory, then its part is deleted.</summary>
    public static void WriteReplication(CrisisSim.Model.Scenario.ScenarioDefinition scenario, ReplicationResult replication, TextWriter writer)
    {
        if (replication.CallLog is { } streamed)
        {
            WriteRows(scenario, replication.Replication, streamed.Read(), writer);
            streamed.Delete();
            return;
        }
        WriteRows(scenario, replication.Replication, replication.Records.CallLog ?? [], writer);
    }

    private static void WriteRows(CrisisSim.Model.Scenario.ScenarioDefinition scenario, int replication, IEnumerable<CallRecord> calls, TextWriter writer)
    {
        var types = scenario.CallTypes;
        var groups = scenario.Groups;
        var r = Csv.Int(replication);
        foreach (var c in calls)
        {
            writer.Write(string.Join(',',
                r,
                Csv.Int(c.CallId),
                Csv.Field(types[c.CallType].Name),
                Csv.Number(c.ArrivalTime),
                Outcome(c.Outcome),
                Csv.Number(c.Wait),
                Csv.Number(c.EndTime),
                c.Group >= 0 ? Csv.Field(groups[c.Group].Name) : "",
                c.Operator >= 0 ? Csv.Int(c.Operator) : "",
                Csv.Int(CallIds.Caller(c.CallId)),
                Csv.Int(CallIds.Attempt(c.CallId)),
                Csv.Int(CallIds.Leg(c.CallId)),
                c.Group >= 0 ? Csv.Number(c.AfterCallWorkEnd) : ""));
            writer.Write('\n');
        }
    }

    /// <summary>The outcome's name from its model definition; an outcome without one throws rather than being mislabelled.</summary>
    public static string Outcome(CallOutcome outcome) => CallOutcomes.Of(outcome).Name;
}
