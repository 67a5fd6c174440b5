namespace CrisisSim.Traces;

/// <summary>What a trace-driven replay takes of each recorded call, aligned by call, in arrival order: the arrival
/// (seconds from midnight), the talk time (NaN unless answered), the patience when observed exactly (an abandoned call's
/// time in queue, NaN otherwise) and a lower bound of it (an answered call's time in queue, NaN otherwise). A call that
/// ended in the recorded message has only its arrival: its patience and talk were never seen.</summary>
public sealed record RecordedCallArrays(double[] TimesSeconds, float[] HandleSeconds, float[] PatienceSeconds, float[] PatienceAtLeastSeconds)
{
    public static RecordedCallArrays Empty { get; } = new([], [], [], []);

    public int Count => TimesSeconds.Length;
}

/// <summary>The recorded calls of one day and call type, kept for a trace-driven replay: 16 bytes a call (a log's
/// times and durations are whole seconds, exact in a float), in chunks that double up to
/// <see cref="MaxChunk"/> calls, so that growing never copies and the room unused is at most one chunk.</summary>
public sealed class RecordedCallList
{
    public const int MaxChunk = 8192;
    private const int FirstChunk = 64;

    private readonly List<Call[]> _chunks = [];
    private int _lastCount;

    public int Count { get; private set; }

    /// <summary>Keeps a call of the log (not a phantom: it is no arrival).</summary>
    public void Add(TraceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Outcome == TraceOutcome.Phantom)
        {
            throw new ArgumentException("A phantom call is no arrival", nameof(record));
        }
        if (_chunks.Count == 0 || _lastCount == _chunks[^1].Length)
        {
            _chunks.Add(new Call[_chunks.Count == 0 ? FirstChunk : Math.Min(MaxChunk, 2 * _chunks[^1].Length)]);
            _lastCount = 0;
        }
        _chunks[^1][_lastCount++] = new Call(
            (float)record.Arrival.TimeOfDay.TotalSeconds,
            record.Outcome == TraceOutcome.Answered ? record.HandleSeconds : float.NaN,
            record.Outcome == TraceOutcome.Abandoned ? record.QueueSeconds : float.NaN,
            record.Outcome == TraceOutcome.Answered ? record.QueueSeconds : float.NaN);
        Count++;
    }

    /// <summary>The calls in arrival order (calls of the same second in the log's order), then forgets them: a replay
    /// holds each call once.</summary>
    public RecordedCallArrays TakeArrays()
    {
        var calls = new Call[Count];
        var n = 0;
        foreach (var chunk in _chunks)
        {
            var length = Math.Min(chunk.Length, Count - n);
            Array.Copy(chunk, 0, calls, n, length);
            n += length;
        }
        _chunks.Clear();
        _lastCount = 0;
        Count = 0;
        if (!IsSorted(calls))
        {
            // Time, then position in the log: every key differs, so the order does not depend on the sort's stability.
            var keys = new long[calls.Length];
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = ((long)BitConverter.SingleToInt32Bits(calls[i].Time) << 32) | (uint)i;
            }
            Array.Sort(keys, calls);
        }
        var result = new RecordedCallArrays(new double[n], new float[n], new float[n], new float[n]);
        for (var i = 0; i < n; i++)
        {
            result.TimesSeconds[i] = calls[i].Time;
            result.HandleSeconds[i] = calls[i].Handle;
            result.PatienceSeconds[i] = calls[i].Patience;
            result.PatienceAtLeastSeconds[i] = calls[i].PatienceAtLeast;
        }
        return result;
    }

    private static bool IsSorted(Call[] calls)
    {
        for (var i = 1; i < calls.Length; i++)
        {
            if (calls[i].Time < calls[i - 1].Time)
            {
                return false;
            }
        }
        return true;
    }

    private readonly record struct Call(float Time, float Handle, float Patience, float PatienceAtLeast);
}
