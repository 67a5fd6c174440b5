namespace CrisisSim.Model.Recording;

/// <summary>What a replication hands back besides its KPI rows.</summary>
public enum ReplicationOutput
{
    /// <summary>Its KPI rows only, measured where it ran: a fraction of the size of its records.</summary>
    Kpis,

    /// <summary>Its KPI rows and its records (counts, histograms, interval tallies), without a record per call.</summary>
    Records,

    /// <summary>Its KPI rows and its records, with a record per call (the call log): streamed to the host's store when it
    /// has one, so memory does not follow the calls; otherwise held in the records.</summary>
    CallLog,
}

public static class ReplicationOutputExtensions
{
    /// <summary>Whether the replication records a record per call.</summary>
    public static bool KeepsCallLog(this ReplicationOutput output) => output == ReplicationOutput.CallLog;

    /// <summary>Whether the replication hands back its records, not only its KPI rows.</summary>
    public static bool ReturnsRecords(this ReplicationOutput output) => output != ReplicationOutput.Kpis;
}
