using System.Globalization;
using System.Security;

namespace CrisisSim.Inputs;

/// <summary>A file a command was asked to read could not be read within the guard's rules (see <see cref="InputFile"/>).</summary>
/// <param name="path">The path as given.</param>
/// <param name="reason">What is wrong, without the path ("is a directory, not a scenario file").</param>
public sealed class InputFileException(string path, string reason, Exception? inner = null)
    : Exception(Printable.Escape($"{path}: {reason}"), inner)
{
    public string Path { get; } = path;

    public string Reason { get; } = reason;
}

/// <summary>The one guard for every file any command reads (scenario files, rate tables, plug-in assemblies, previous
/// results, contract terms): the path must name an existing regular file (not a directory, FIFO, device or socket,
/// which are refused before they are opened: opening a FIFO blocks until a writer comes, a device may never end) of at
/// most a given size, and no more than that size is ever read, even from a file that grows while it is read.</summary>
public static class InputFile
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Checks the path without opening it; <paramref name="what"/> names the expected kind of file with its
    /// article ("a scenario file"), for the messages.</summary>
    /// <exception cref="InputFileException">The path names no regular file, or one larger than the limit.</exception>
    /// <returns>The file's size in bytes.</returns>
    public static long Check(string path, long maxBytes, string what)
    {
        try
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new InputFileException(path ?? "", "no path given");
            }
            if (Directory.Exists(path))
            {
                throw new InputFileException(path, $"is a directory, not {what}");
            }
            if (!File.Exists(path))
            {
                throw new InputFileException(path, "file not found");
            }
            if (FileKind.NotRegular(path) is { } kind)
            {
                throw new InputFileException(path, $"is {kind}, not a regular file: give the path of {what}");
            }
            var size = new FileInfo(path).Length;
            if (size > maxBytes)
            {
                throw new InputFileException(path, TooLarge(string.Create(Inv, $"is {size:N0} bytes"), maxBytes, what));
            }
            return size;
        }
        catch (Exception ex) when (IsAccessFailure(ex))
        {
            throw new InputFileException(path ?? "", "cannot read the file: " + ex.Message, ex);
        }
    }

    /// <summary>The bytes of a regular file of at most <paramref name="maxBytes"/> bytes (see <see cref="Check"/>).</summary>
    /// <exception cref="InputFileException">As <see cref="Check"/>, or the file cannot be read.</exception>
    public static byte[] ReadBytes(string path, long maxBytes, string what)
    {
        var (buffer, length) = Read(path, maxBytes, what);
        return buffer.Length == length ? buffer : buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>As <see cref="ReadBytes"/>, without copying: the bytes are the buffer's first <c>Length</c>.</summary>
    public static (byte[] Buffer, int Length) Read(string path, long maxBytes, string what)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBytes, Array.MaxLength - 1L);
        var size = Check(path, maxBytes, what);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            // One byte more than announced, to notice a file that grew since its size was read.
            var buffer = new byte[size + 1];
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        throw new InputFileException(path, TooLarge(string.Create(Inv, $"holds more than {maxBytes:N0} bytes"), maxBytes, what));
                    }
                    Array.Resize(ref buffer, (int)Math.Min(2L * buffer.Length + 4096, maxBytes + 1L));
                }
                var read = stream.Read(buffer, length, buffer.Length - length);
                if (read == 0)
                {
                    return (buffer, length);
                }
                length += read;
            }
        }
        catch (Exception ex) when (IsAccessFailure(ex))
        {
            throw new InputFileException(path, "cannot read the file: " + ex.Message, ex);
        }
    }

    /// <summary>A stream over a regular file of at most <paramref name="maxBytes"/> bytes (see <see cref="Check"/>), for
    /// readers that need only the start of a file or read it line by line; reading past the limit (a file that grew)
    /// throws <see cref="InputFileException"/>.</summary>
    /// <exception cref="InputFileException">As <see cref="Check"/>, or the file cannot be opened.</exception>
    public static Stream OpenRead(string path, long maxBytes, string what)
    {
        Check(path, maxBytes, what);
        try
        {
            return new BoundedStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan), path, maxBytes, what);
        }
        catch (Exception ex) when (IsAccessFailure(ex))
        {
            throw new InputFileException(path, "cannot read the file: " + ex.Message, ex);
        }
    }

    /// <summary>The exceptions that mean "this path cannot be read", as opposed to a defect.</summary>
    public static bool IsAccessFailure(Exception ex) =>
        ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or SecurityException;

    /// <summary>"is 20,000,000 bytes; the limit is 16,777,216 bytes (16 MiB) for a scenario file".</summary>
    public static string TooLarge(string what, long maxBytes, string kind) =>
        string.Create(Inv, $"{what}; the limit is {maxBytes:N0} bytes ({Size(maxBytes)}) for {kind}");

    /// <summary>A size in the largest binary unit that divides it ("16 MiB", "1,500 bytes").</summary>
    public static string Size(long bytes) =>
        bytes >= 1L << 30 && bytes % (1L << 30) == 0 ? string.Create(Inv, $"{bytes >> 30:N0} GiB")
        : bytes >= 1L << 20 && bytes % (1L << 20) == 0 ? string.Create(Inv, $"{bytes >> 20:N0} MiB")
        : bytes >= 1L << 10 && bytes % (1L << 10) == 0 ? string.Create(Inv, $"{bytes >> 10:N0} KiB")
        : string.Create(Inv, $"{bytes:N0} bytes");
}

/// <summary>Reads at most a given number of bytes of a file, then refuses: a file that grows while it is read is never
/// read beyond the limit its size was checked against.</summary>
internal sealed class BoundedStream(FileStream inner, string path, long maxBytes, string what) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // One byte beyond the limit is asked for, to tell "ends at the limit" from "goes on".
        var room = (int)Math.Min(buffer.Length, maxBytes + 1 - _read);
        int read;
        try
        {
            read = inner.Read(buffer[..room]);
        }
        catch (Exception ex) when (InputFile.IsAccessFailure(ex))
        {
            throw new InputFileException(path, "cannot read the file: " + ex.Message, ex);
        }
        _read += read;
        if (_read > maxBytes)
        {
            throw new InputFileException(path, InputFile.TooLarge(string.Create(CultureInfo.InvariantCulture, $"holds more than {maxBytes:N0} bytes"), maxBytes, what));
        }
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
