using System.Globalization;
using CrisisSim.Inputs;

namespace CrisisSim.Traces;

/// <summary>The call-log formats <c>crisissim import</c>, <c>fit</c> and <c>replay</c> read.</summary>
public enum TraceFormat
{
    /// <summary>The Anonymous Bank call-center data (Technion SEE lab): tab-separated, 17 columns, one header line.</summary>
    AnonymousBank,

    /// <summary>A comma-separated file with a header line naming the canonical columns (<see cref="CanonicalCsv.Columns"/>),
    /// in any order, or other names mapped to them.</summary>
    Csv,
}

/// <summary>A row the reader could not take, with where and why.</summary>
public sealed record TraceProblem(long Line, string Field, string Message)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"line {Line}: {Field}: {Message}");
}

/// <summary>What a read found: rows, records taken, the rows refused (the first <see cref="TraceReader.MaxListedProblems"/>
/// listed), and the records by outcome and call type.</summary>
public sealed class TraceReport
{
    private readonly List<TraceProblem> _problems = [];

    public long Rows { get; internal set; }

    public long Records { get; internal set; }

    public long Malformed { get; private set; }

    public IReadOnlyList<TraceProblem> Problems => _problems;

    public SortedDictionary<string, long> ByOutcome { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, long> ByCallType { get; } = new(StringComparer.Ordinal);

    public DateTime? First { get; internal set; }

    public DateTime? Last { get; internal set; }

    internal void Refuse(TraceProblem problem)
    {
        Malformed++;
        if (_problems.Count < TraceReader.MaxListedProblems)
        {
            _problems.Add(problem);
        }
    }

    internal void Took(TraceRecord record)
    {
        Records++;
        Add(ByOutcome, TraceRecord.OutcomeName(record.Outcome));
        Add(ByCallType, record.CallType);
        First = First is { } f && f <= record.Arrival ? f : record.Arrival;
        Last = Last is { } l && l >= record.Arrival ? l : record.Arrival;
    }

    private static void Add(SortedDictionary<string, long> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
}

/// <summary>A trace file refused as a whole (not a row): its header, its size, or strict mode meeting a bad row.</summary>
public sealed class TraceFormatException(string path, long line, string message) : Exception($"{path}:{line}: {message}")
{
    public string Path { get; } = path;

    public long Line { get; } = line;
}

/// <summary>Reads a call log line by line through the input guard (a regular file of at most <see cref="MaxBytes"/>):
/// memory does not grow with the file. A row that cannot be read is counted and listed (the first
/// <see cref="MaxListedProblems"/>) and skipped, or, strict, stops the read; never dropped silently.</summary>
public static class TraceReader
{
    public const long MaxBytes = 4L * 1024 * 1024 * 1024;
    public const int MaxListedProblems = 20;
    public const int MaxFieldLength = 64;
    public const int MaxLineLength = 4096;

    /// <summary>Durations above this (seconds) are refused as malformed: 7 days.</summary>
    public const int MaxSeconds = 7 * 86_400;

    public static IEnumerable<TraceRecord> Read(string path, TraceFormat format, TraceReport report, bool strict = false, IReadOnlyDictionary<string, string>? columns = null)
    {
        using var stream = InputFile.OpenRead(path, MaxBytes, "call log");
        using var reader = new StreamReader(stream);
        var header = reader.ReadLine() ?? throw new TraceFormatException(path, 1, "the file is empty; expected a header line");
        var parse = format == TraceFormat.AnonymousBank ? AnonymousBank(path, header) : Csv(path, header, columns);
        long line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0 || (text.Length == 1 && text[0] == '\r'))
            {
                continue;
            }
            report.Rows++;
            TraceRecord? record;
            TraceProblem? problem;
            if (text.Length > MaxLineLength)
            {
                (record, problem) = (null, new TraceProblem(line, "row", $"longer than {MaxLineLength:N0} characters"));
            }
            else
            {
                (record, problem) = parse(line, text.TrimEnd('\r'));
            }
            if (problem is not null)
            {
                if (strict)
                {
                    throw new TraceFormatException(path, line, $"{problem.Field}: {problem.Message} (--strict stops at the first row that cannot be read)");
                }
                report.Refuse(problem);
                continue;
            }
            report.Took(record!);
            yield return record!;
        }
    }

    private delegate (TraceRecord?, TraceProblem?) RowParser(long line, string text);

    private static readonly string[] BankColumns =
        ["vru+line", "call_id", "customer_id", "priority", "type", "date", "vru_entry", "vru_exit", "vru_time", "q_start", "q_exit", "q_time", "outcome", "ser_start", "ser_exit", "ser_time", "server"];

    private static RowParser AnonymousBank(string path, string header)
    {
        var names = header.TrimEnd('\r').Split('\t').Select(n => n.Trim()).ToArray();
        if (!names.SequenceEqual(BankColumns))
        {
            throw new TraceFormatException(path, 1, $"not an Anonymous Bank header: expected the {BankColumns.Length} tab-separated columns {string.Join(", ", BankColumns)}");
        }
        return (line, text) =>
        {
            var f = text.Split('\t');
            if (f.Length != BankColumns.Length)
            {
                return (null, new TraceProblem(line, "row", $"{f.Length} fields; expected {BankColumns.Length} (two fields fused, or one missing)"));
            }
            for (var i = 0; i < f.Length; i++)
            {
                f[i] = f[i].Trim();
                if (f[i].Length > MaxFieldLength || f[i].Contains(',') || f[i].Contains('"'))
                {
                    return (null, new TraceProblem(line, BankColumns[i], $"'{Printable.Escape(Short(f[i]))}' is not a value of this column"));
                }
            }
            if (!TryDate(f[5], out var date))
            {
                return (null, new TraceProblem(line, "date", $"'{Printable.Escape(f[5])}' is not a date yymmdd"));
            }
            if (!TryClock(f[6], out var entry))
            {
                return (null, new TraceProblem(line, "vru_entry", $"'{Printable.Escape(f[6])}' is not a time h:mm:ss"));
            }
            if (!TryInt(f[3], 0, 9, out var priority))
            {
                return (null, new TraceProblem(line, "priority", $"'{Printable.Escape(f[3])}' is not a priority 0 to 9"));
            }
            var durations = new int[3];
            string[] durationNames = ["vru_time", "q_time", "ser_time"];
            int[] durationIndex = [8, 11, 15];
            for (var k = 0; k < 3; k++)
            {
                if (!TryInt(f[durationIndex[k]], 0, MaxSeconds, out durations[k]))
                {
                    return (null, new TraceProblem(line, durationNames[k], $"'{Printable.Escape(f[durationIndex[k]])}' is not a number of seconds from 0 to {MaxSeconds:N0}"));
                }
            }
            if (!TryClock(f[9], out var queueStart))
            {
                return (null, new TraceProblem(line, "q_start", $"'{Printable.Escape(f[9])}' is not a time h:mm:ss"));
            }
            if (f[4].Length == 0)
            {
                return (null, new TraceProblem(line, "type", "empty"));
            }
            var queued = queueStart != TimeSpan.Zero;
            TraceOutcome outcome;
            switch (f[12])
            {
                case "AGENT":
                    outcome = TraceOutcome.Answered;
                    break;
                case "HANG":
                    outcome = queued ? TraceOutcome.Abandoned : TraceOutcome.EndedInMessage;
                    break;
                case "PHANTOM":
                    outcome = TraceOutcome.Phantom;
                    break;
                default:
                    return (null, new TraceProblem(line, "outcome", $"'{Printable.Escape(f[12])}' is not AGENT, HANG or PHANTOM"));
            }
            var server = outcome == TraceOutcome.Answered && f[16] != "NO_SERVER" ? f[16] : "";
            return (new TraceRecord(f[1], date + entry, f[4], priority, f[0], durations[0], queued ? durations[1] : 0, outcome,
                outcome == TraceOutcome.Answered ? durations[2] : 0, server), null);
        };
    }

    private static RowParser Csv(string path, string header, IReadOnlyDictionary<string, string>? columns)
    {
        var names = header.TrimEnd('\r').Split(',').Select(n => n.Trim()).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var canonical in CanonicalCsv.Columns)
        {
            var source = columns is not null && columns.TryGetValue(canonical, out var mapped) ? mapped : canonical;
            var i = Array.IndexOf(names, source);
            if (i >= 0)
            {
                index[canonical] = i;
            }
        }
        foreach (var required in new[] { "arrival", "call_type", "queue_seconds", "outcome", "handle_seconds" })
        {
            if (!index.ContainsKey(required))
            {
                var source = columns is not null && columns.TryGetValue(required, out var mapped) ? mapped : required;
                throw new TraceFormatException(path, 1, $"no column '{source}' (for {required}) in the header; a CSV call log names the columns {string.Join(", ", CanonicalCsv.Columns)} (optional: call_id, priority, number, message_seconds, operator), or maps them with --column CANONICAL=NAME");
            }
        }
        return (line, text) =>
        {
            var f = text.Split(',');
            if (f.Length != names.Length)
            {
                return (null, new TraceProblem(line, "row", $"{f.Length} fields; the header has {names.Length}"));
            }
            string Get(string column, string otherwise = "") => index.TryGetValue(column, out var i) ? f[i].Trim() : otherwise;
            foreach (var (column, i) in index)
            {
                if (f[i].Length > MaxFieldLength || f[i].Contains('"'))
                {
                    return (null, new TraceProblem(line, column, $"'{Printable.Escape(Short(f[i]))}' is not a value of this column"));
                }
            }
            var arrivalText = Get("arrival");
            if (!DateTime.TryParseExact(arrivalText, ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var arrival))
            {
                return (null, new TraceProblem(line, "arrival", $"'{Printable.Escape(arrivalText)}' is not a local date and time yyyy-MM-ddTHH:mm:ss"));
            }
            var type = Get("call_type");
            if (type.Length == 0)
            {
                return (null, new TraceProblem(line, "call_type", "empty"));
            }
            if (!TryInt(Get("priority", "0"), 0, 9, out var priority))
            {
                return (null, new TraceProblem(line, "priority", $"'{Printable.Escape(Get("priority"))}' is not a priority 0 to 9"));
            }
            var seconds = new int[3];
            string[] durationNames = ["message_seconds", "queue_seconds", "handle_seconds"];
            for (var k = 0; k < 3; k++)
            {
                if (!TryInt(Get(durationNames[k], "0"), 0, MaxSeconds, out seconds[k]))
                {
                    return (null, new TraceProblem(line, durationNames[k], $"'{Printable.Escape(Get(durationNames[k]))}' is not a number of seconds from 0 to {MaxSeconds:N0}"));
                }
            }
            if (!TraceRecord.TryParseOutcome(Get("outcome"), out var outcome))
            {
                return (null, new TraceProblem(line, "outcome", $"'{Printable.Escape(Get("outcome"))}' is not answered, abandoned, ended-in-message or phantom"));
            }
            var id = Get("call_id", line.ToString(CultureInfo.InvariantCulture));
            return (new TraceRecord(id.Length > 0 ? id : line.ToString(CultureInfo.InvariantCulture), arrival, type, priority, Get("number"),
                seconds[0], seconds[1], outcome, outcome == TraceOutcome.Answered ? seconds[2] : 0, outcome == TraceOutcome.Answered ? Get("operator") : ""), null);
        };
    }

    private static string Short(string text) => text.Length <= 40 ? text : text[..37] + "...";

    private static bool TryInt(string text, int min, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;

    /// <summary>yymmdd: years 70-99 are 19yy, 00-69 are 20yy.</summary>
    private static bool TryDate(string text, out DateTime date)
    {
        date = default;
        if (text.Length != 6 || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return false;
        }
        var (yy, mm, dd) = (n / 10000, n / 100 % 100, n % 100);
        var year = yy >= 70 ? 1900 + yy : 2000 + yy;
        if (mm is < 1 or > 12 || dd < 1 || dd > DateTime.DaysInMonth(year, mm))
        {
            return false;
        }
        date = new DateTime(year, mm, dd, 0, 0, 0, DateTimeKind.Unspecified);
        return true;
    }

    /// <summary>h:mm:ss, hours 0 to 23.</summary>
    private static bool TryClock(string text, out TimeSpan time)
    {
        time = default;
        var parts = text.Split(':');
        if (parts.Length != 3 || !TryInt(parts[0], 0, 23, out var h) || parts[1].Length != 2 || !TryInt(parts[1], 0, 59, out var m)
            || parts[2].Length != 2 || !TryInt(parts[2], 0, 59, out var s))
        {
            return false;
        }
        time = new TimeSpan(h, m, s);
        return true;
    }
}
