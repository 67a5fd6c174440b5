using CrisisSim.Model.Components;
using CrisisSim.Model.Recording;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Engine;

/// <summary>What one replication produced: the merged records of its components.</summary>
/// <param name="Events">Messages and timers delivered.</param>
public sealed record ReplicationResult(int Replication, Recorder Records, long Events);

/// <summary>The inline host: one thread, the components called directly from the calendar loop.</summary>
public static class InlineEngine
{
    public static ReplicationResult RunReplication(ScenarioDefinition scenario, long seed, int replication, bool keepCallLog = false)
    {
        var center = new ContactCenter(scenario, seed, replication);
        var count = center.Layout.ComponentCount;
        var recorders = new Recorder[count];
        var components = new IComponent[count];
        for (var i = 0; i < count; i++)
        {
            recorders[i] = center.NewRecorder(keepCallLog);
            components[i] = center.CreateComponent(i, recorders[i]);
        }
        var calendar = new Calendar();
        foreach (var component in components)
        {
            component.Start(calendar);
        }
        while (calendar.TryNext(out var now, out var message))
        {
            components[message.Target].Handle(message, now, calendar);
        }
        return new ReplicationResult(replication, MergeInAddressOrder(center, recorders, keepCallLog), calendar.Delivered);
    }

    /// <summary>Merges component records in address order and sorts the call log by call id: the same on every host.</summary>
    public static Recorder MergeInAddressOrder(ContactCenter center, IReadOnlyList<Recorder> recorders, bool keepCallLog)
    {
        var merged = center.NewRecorder(keepCallLog);
        foreach (var recorder in recorders)
        {
            merged.MergeFrom(recorder);
        }
        merged.CallLog?.Sort((a, b) => a.CallId.CompareTo(b.CallId));
        return merged;
    }
}
