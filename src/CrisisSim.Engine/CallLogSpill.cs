using System.Buffers.Binary;
using CrisisSim.Model.Recording;

namespace CrisisSim.Engine;

/// <summary>Where the replications of a run stream their call logs: one part per replication, written by the host that
/// runs it and read back, in replication order, by whoever writes <c>calls.csv</c>. The engine sees only streams (it
/// does no file I/O); hosts provide the store (a folder of the run's staging folder on the machine that runs them).</summary>
public interface ICallLogStore
{
    /// <summary>Creates the part of replication <paramref name="replication"/> for writing; <paramref name="location"/>
    /// names it for <see cref="OpenRead"/>.</summary>
    Stream Create(int replication, out string location);

    /// <summary>Opens a part for reading (seekable).</summary>
    Stream OpenRead(string location);

    /// <summary>Removes a part once it has been read.</summary>
    void Delete(string location);
}

/// <summary>A replication's call log streamed to a part of <paramref name="Store"/>: read it in call-id order, then
/// delete it.</summary>
public sealed record StreamedCallLog(ICallLogStore Store, CallLogPart Part)
{
    /// <summary>The records in call-id order, as a log held in memory and sorted would give them.</summary>
    public IEnumerable<CallRecord> Read()
    {
        using var stream = Store.OpenRead(Part.Location);
        foreach (var record in CallLogSpill.ReadInCallIdOrder(Part, stream))
        {
            yield return record;
        }
    }

    public void Delete() => Store.Delete(Part.Location);
}

/// <summary>Streams one replication's call log to a part of an <see cref="ICallLogStore"/> with bounded memory: records
/// are gathered in a chunk of <see cref="ChunkRecords"/>, each full chunk is sorted by call id and appended as a run,
/// and <see cref="ReadInCallIdOrder"/> merges the runs back, so the log comes out in call-id order, exactly as a log
/// held in memory and sorted.</summary>
public sealed class CallLogSpill : ICallLogSink, IDisposable
{
    /// <summary>Bytes of one record in a part: call id, call type, arrival, outcome, wait end, end, group, operator,
    /// end of after-call work.</summary>
    public const int RecordBytes = 8 + 4 + 8 + 1 + 8 + 8 + 4 + 4 + 8;

    /// <summary>Records sorted in memory at once: 4 MiB of records a replication in flight, whatever its calls.</summary>
    public const int ChunkRecords = 1 << 16;

    /// <summary>Records read at once from each run while merging (about 53 KB a run).</summary>
    private const int ReadBlockRecords = 1024;

    private static readonly Comparison<CallRecord> ByCallId = (a, b) => a.CallId.CompareTo(b.CallId);

    private readonly Stream _stream;
    private readonly string _location;
    private readonly CallRecord[] _chunk;
    private readonly byte[] _bytes = new byte[RecordBytes * ReadBlockRecords];
    private readonly List<long> _runs = [];
    private int _count;
    private bool _finished;

    public CallLogSpill(ICallLogStore store, int replication, int chunkRecords = ChunkRecords)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkRecords, 1);
        _stream = store.Create(replication, out _location);
        _chunk = new CallRecord[chunkRecords];
    }

    public void Add(in CallRecord record)
    {
        _chunk[_count++] = record;
        if (_count == _chunk.Length)
        {
            WriteRun();
        }
    }

    /// <summary>Writes what is left and closes the part.</summary>
    public CallLogPart Finish()
    {
        if (!_finished)
        {
            if (_count > 0)
            {
                WriteRun();
            }
            _stream.Flush();
            _stream.Dispose();
            _finished = true;
        }
        return new CallLogPart(_location, [.. _runs]);
    }

    public void Dispose()
    {
        _finished = true;
        _stream.Dispose();
    }

    private void WriteRun()
    {
        Array.Sort(_chunk, 0, _count, Comparer<CallRecord>.Create(ByCallId));
        for (var i = 0; i < _count; i += ReadBlockRecords)
        {
            var n = Math.Min(ReadBlockRecords, _count - i);
            for (var j = 0; j < n; j++)
            {
                Write(_bytes.AsSpan(j * RecordBytes, RecordBytes), _chunk[i + j]);
            }
            _stream.Write(_bytes, 0, n * RecordBytes);
        }
        _runs.Add(_count);
        _count = 0;
    }

    /// <summary>The records of a part in call-id order (ties in the order they were written), merging its runs with one
    /// block of each in memory.</summary>
    public static IEnumerable<CallRecord> ReadInCallIdOrder(CallLogPart part, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(part);
        ArgumentNullException.ThrowIfNull(stream);
        var runs = new RunReader[part.Runs.Length];
        var queue = new PriorityQueue<int, (long CallId, int Run)>(runs.Length);
        long offset = 0;
        for (var r = 0; r < runs.Length; r++)
        {
            runs[r] = new RunReader(offset, part.Runs[r]);
            offset += part.Runs[r] * RecordBytes;
            if (runs[r].TryAdvance(stream))
            {
                queue.Enqueue(r, (runs[r].Current.CallId, r));
            }
        }
        while (queue.TryDequeue(out var r, out _))
        {
            yield return runs[r].Current;
            if (runs[r].TryAdvance(stream))
            {
                queue.Enqueue(r, (runs[r].Current.CallId, r));
            }
        }
    }

    private sealed class RunReader(long offset, long count)
    {
        private readonly byte[] _block = new byte[RecordBytes * ReadBlockRecords];
        private long _position = offset;
        private long _left = count;
        private int _inBlock;
        private int _next;

        public CallRecord Current { get; private set; }

        public bool TryAdvance(Stream stream)
        {
            if (_next == _inBlock)
            {
                if (_left == 0)
                {
                    return false;
                }
                _inBlock = (int)Math.Min(ReadBlockRecords, _left);
                stream.Position = _position;
                stream.ReadExactly(_block, 0, _inBlock * RecordBytes);
                _position += _inBlock * RecordBytes;
                _left -= _inBlock;
                _next = 0;
            }
            Current = Read(_block.AsSpan(_next++ * RecordBytes, RecordBytes));
            return true;
        }
    }

    private static void Write(Span<byte> b, in CallRecord r)
    {
        BinaryPrimitives.WriteInt64LittleEndian(b, r.CallId);
        BinaryPrimitives.WriteInt32LittleEndian(b[8..], r.CallType);
        BinaryPrimitives.WriteDoubleLittleEndian(b[12..], r.ArrivalTime);
        b[20] = (byte)r.Outcome;
        BinaryPrimitives.WriteDoubleLittleEndian(b[21..], r.WaitEnd);
        BinaryPrimitives.WriteDoubleLittleEndian(b[29..], r.EndTime);
        BinaryPrimitives.WriteInt32LittleEndian(b[37..], r.Group);
        BinaryPrimitives.WriteInt32LittleEndian(b[41..], r.Operator);
        BinaryPrimitives.WriteDoubleLittleEndian(b[45..], r.AfterCallWorkEnd);
    }

    private static CallRecord Read(ReadOnlySpan<byte> b) => new(
        BinaryPrimitives.ReadInt64LittleEndian(b),
        BinaryPrimitives.ReadInt32LittleEndian(b[8..]),
        BinaryPrimitives.ReadDoubleLittleEndian(b[12..]),
        (CallOutcome)b[20],
        BinaryPrimitives.ReadDoubleLittleEndian(b[21..]),
        BinaryPrimitives.ReadDoubleLittleEndian(b[29..]),
        BinaryPrimitives.ReadInt32LittleEndian(b[37..]),
        BinaryPrimitives.ReadInt32LittleEndian(b[41..]),
        BinaryPrimitives.ReadDoubleLittleEndian(b[45..]));
}
