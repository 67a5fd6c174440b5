using System.Globalization;

namespace CrisisSim.Traces;

/// <summary>How a recorded call ended.</summary>
public enum TraceOutcome
{
    /// <summary>An operator took the call (Anonymous Bank: <c>AGENT</c>).</summary>
    Answered,

    /// <summary>The caller hung up while queued (<c>HANG</c> after queueing).</summary>
    Abandoned,

    /// <summary>The caller hung up in the recorded message, never queued (<c>HANG</c> with no queue start).</summary>
    EndedInMessage,

    /// <summary>A call the switch logged without a caller behind it (<c>PHANTOM</c>); never counted as an arrival.</summary>
    Phantom,
}

/// <summary>One recorded call in the canonical form every trace is imported to (<c>crisissim import</c>; columns in
/// <see cref="CanonicalCsv"/>). Times are the local clock of the record; durations are whole seconds.</summary>
/// <param name="Number">The line or entry point the call came through (Anonymous Bank: the VRU and line).</param>
/// <param name="MessageSeconds">Time in the recorded message (IVR, VRU) before the queue.</param>
/// <param name="QueueSeconds">Time queued (0: never queued).</param>
/// <param name="HandleSeconds">Talk time with the operator (0 unless answered).</param>
/// <param name="Operator">Who answered; empty when nobody did.</param>
public sealed record TraceRecord(
    string CallId,
    DateTime Arrival,
    string CallType,
    int Priority,
    string Number,
    int MessageSeconds,
    int QueueSeconds,
    TraceOutcome Outcome,
    int HandleSeconds,
    string Operator)
{
    /// <summary>When the operator took the call (answered calls): after the message and the queue.</summary>
    public DateTime ServiceStart => Arrival.AddSeconds(MessageSeconds + QueueSeconds);

    public static string OutcomeName(TraceOutcome outcome) => outcome switch
    {
        TraceOutcome.Answered => "answered",
        TraceOutcome.Abandoned => "abandoned",
        TraceOutcome.EndedInMessage => "ended-in-message",
        _ => "phantom",
    };

    public static bool TryParseOutcome(string text, out TraceOutcome outcome)
    {
        foreach (var o in Enum.GetValues<TraceOutcome>())
        {
            if (OutcomeName(o) == text)
            {
                outcome = o;
                return true;
            }
        }
        outcome = default;
        return false;
    }
}

/// <summary>The canonical call-log CSV: a header line, then one row per call; invariant culture, comma-separated,
/// fields without commas or quotes (the importer refuses values that hold them).</summary>
public static class CanonicalCsv
{
    public static readonly string[] Columns =
        ["call_id", "arrival", "call_type", "priority", "number", "message_seconds", "queue_seconds", "outcome", "handle_seconds", "operator"];

    public static string Header => string.Join(',', Columns);

    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss";

    public static string Row(TraceRecord r) => string.Join(',',
        r.CallId,
        r.Arrival.ToString(TimeFormat, CultureInfo.InvariantCulture),
        r.CallType,
        r.Priority.ToString(CultureInfo.InvariantCulture),
        r.Number,
        r.MessageSeconds.ToString(CultureInfo.InvariantCulture),
        r.QueueSeconds.ToString(CultureInfo.InvariantCulture),
        TraceRecord.OutcomeName(r.Outcome),
        r.HandleSeconds.ToString(CultureInfo.InvariantCulture),
        r.Operator);
}
