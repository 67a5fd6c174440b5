namespace CrisisSim.Model.Recording;

/// <summary>Receives each call's record as the call ends (in the order calls end), so that a host can stream the call
/// log out of the replication instead of holding it: the model does no I/O, its hosts provide the writer.</summary>
public interface ICallLogSink
{
    void Add(in CallRecord record);
}

/// <summary>A replication's call log as its host streamed it: a part written where <see cref="Location"/> says (a file
/// of the run's staging folder), made of sorted runs of records, each run sorted by call id; <see cref="Runs"/> holds
/// the record count of each run, in the order they were written.</summary>
public sealed record CallLogPart(string Location, long[] Runs)
{
    /// <summary>Records in the part.</summary>
    public long Count => Runs.Sum();
}
