namespace CrisisSim.Model.Components;

/// <summary>The numbers callers dial: each number's lines (and the calls holding one now) and its opening hours. A call
/// type without a number has unlimited lines and is always open.</summary>
public sealed class Switchboard
{
    private readonly int[] _numberByCallType;
    private readonly int[] _lines;
    private readonly int[] _inSystem;
    private readonly OpeningHours?[] _hours;
    private readonly bool[] _shut;
    private readonly int[] _hoursGeneration;

    /// <param name="numberByCallType">The number each call type dials, or -1.</param>
    /// <param name="hoursByNumber">Null, or null for a number: always open.</param>
    /// <param name="closedByNumber">Null, or the numbers closed from the start until a playbook opens them.</param>
    public Switchboard(int[] numberByCallType, int[]? linesByNumber, OpeningHours?[]? hoursByNumber, bool[]? closedByNumber = null)
    {
        _numberByCallType = numberByCallType;
        _lines = linesByNumber is null ? [] : [.. linesByNumber];
        _inSystem = new int[_lines.Length];
        _hours = hoursByNumber ?? new OpeningHours?[_lines.Length];
        _shut = closedByNumber is null ? new bool[_lines.Length] : [.. closedByNumber];
        _hoursGeneration = new int[_lines.Length];
    }

    public int NumberCount => _lines.Length;

    /// <summary>The number is closed now: shut by the playbook (or from the start), or outside its hours (a number
    /// without hours is open unless shut).</summary>
    public bool IsClosed(int number, double now) => _shut[number] || (_hours[number] is { } hours && !hours.IsOpen(now));

    /// <summary>A playbook opens the number (it follows its hours again) or shuts it.</summary>
    public void SetShut(int number, bool shut) => _shut[number] = shut;

    /// <summary>A playbook sets the number's lines; calls holding lines beyond them keep them.</summary>
    public void SetLines(int number, int lines) => _lines[number] = Math.Max(0, lines);

    public int Lines(int number) => _lines[number];

    /// <summary>A playbook replaces the number's opening hours (null: always open): closings of the former hours are
    /// ignored from now on (see <see cref="HoursGeneration"/>).</summary>
    public void SetHours(int number, OpeningHours? hours)
    {
        _hours[number] = hours;
        _hoursGeneration[number]++;
    }

    /// <summary>How many times a playbook has replaced the number's hours.</summary>
    public int HoursGeneration(int number) => _hoursGeneration[number];

    /// <summary>The number's first closing strictly after <paramref name="now"/>, when it tells its callers to call back
    /// at closing; otherwise +inf.</summary>
    public double NextCallBackClosing(int number, double now)
    {
        var first = FirstCallBackClosing(number);
        if (double.IsPositiveInfinity(first) || first > now)
        {
            return first;
        }
        var days = Math.Floor((now - first) / OpeningHours.Day) + 1;
        return first + days * OpeningHours.Day;
    }

    /// <summary>Closed now, and its callers are told to call back at closing (<c>atClose: callBack</c>).</summary>
    public bool TellsToCallBack(int number, double now) => _hours[number] is { CallBackAtClose: true } hours && !hours.IsOpen(now);

    /// <summary>The number's first closing time, when it tells its callers to call back at closing; otherwise +inf.</summary>
    public double FirstCallBackClosing(int number) =>
        _hours[number] is { CallBackAtClose: true } hours ? hours.FirstClosing : double.PositiveInfinity;

    /// <summary>A call takes one of the number's lines; false: all are held (the caller gets a busy signal).</summary>
    public bool TrySeizeLine(int number)
    {
        if (_inSystem[number] >= _lines[number])
        {
            return false;
        }
        _inSystem[number]++;
        return true;
    }

    /// <summary>A call of the type leaves the system: the line it held, if its type dials a number, is free.</summary>
    public void ReleaseLine(int callType)
    {
        var number = _numberByCallType[callType];
        if (number >= 0)
        {
            _inSystem[number]--;
        }
    }
}
