using CrisisSim.Model.Components;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Engine;

/// <summary>What one replication produced: the merged records of its components.</summary>
/// <param name="Events">Messages and timers delivered to components (a timer set in turn is not a delivery).</param>
/// <param name="CallLog">The call log streamed to a store (<see cref="ICallLogStore"/>), when the host streamed it;
/// otherwise null (the log, when kept, is in <see cref="Recorder.CallLog"/>).</param>
public sealed record ReplicationResult(int Replication, Recorder Records, long Events, StreamedCallLog? CallLog = null);

/// <summary>The inline host: one thread, the components called directly from the calendar loop.</summary>
public static class InlineEngine
{
    /// <summary>Events between two looks at the cancellation token: about a millisecond of work.</summary>
    private const int CancellationCheckInterval = 4096;

    /// <param name="cancellationToken">Looked at every few thousand events: a cancelled replication stops within
    /// milliseconds with <see cref="OperationCanceledException"/>.</param>
    /// <param name="callLogs">With <paramref name="keepCallLog"/>: where the call log is streamed (its memory stays
    /// bounded, see <see cref="CallLogSpill"/>); null: it is held in the records.</param>
    /// <param name="keepCallTypeIntervals">Record a row of intervals per call type whatever their number (for consumers of
    /// <see cref="Recorder.Calls"/>); otherwise only up to <see cref="Recorder.MaxCallTypeIntervalCells"/>.</param>
    public static ReplicationResult RunReplication(
        ScenarioDefinition scenario, long seed, int replication, bool keepCallLog = false, CancellationToken cancellationToken = default,
        ICallLogStore? callLogs = null, bool keepCallTypeIntervals = true)
    {
        using var spill = keepCallLog && callLogs is not null ? new CallLogSpill(callLogs, replication) : null;
        var center = new ContactCenter(scenario, seed, replication);
        var count = center.Layout.ComponentCount;
        var recorders = new Recorder[count];
        for (var i = 0; i < count; i++)
        {
            // Without rows per call type, every component adds its call counts to the first one's: one table, not one each.
            recorders[i] = spill is null ? center.NewRecorder(keepCallLog, keepCallTypeIntervals, i == 0 ? null : recorders[0]) : center.NewRecorder(spill);
        }
        var components = center.CreateComponents(recorders);
        var calendar = new Calendar();
        foreach (var component in components)
        {
            component.Start(calendar);
        }
        var check = CancellationCheckInterval;
        while (calendar.TryNext(out var now, out var message))
        {
            components[message.Target].Handle(message, now, calendar);
            if (--check == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                check = CancellationCheckInterval;
            }
        }
        var merged = MergeInAddressOrder(center, recorders, keepCallLog && spill is null);
        return new ReplicationResult(replication, merged, calendar.Delivered, spill is null ? null : new StreamedCallLog(callLogs!, spill.Finish()));
    }

    /// <summary>Merges component records in address order and sorts the call log by call id: the same on every host.
    /// The first component's recorder receives the others (adding to it is exactly adding to zeros first), so no
    /// extra copy of the records is made.</summary>
    public static Recorder MergeInAddressOrder(ContactCenter center, IReadOnlyList<Recorder> recorders, bool keepCallLog)
    {
        var merged = recorders.Count > 0 ? recorders[0] : center.NewRecorder(keepCallLog);
        for (var i = 1; i < recorders.Count; i++)
        {
            merged.MergeFrom(recorders[i]);
        }
        merged.CallLog?.Sort((a, b) => a.CallId.CompareTo(b.CallId));
        return merged;
    }
}
