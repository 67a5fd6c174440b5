namespace CrisisSim.Model.Components;

/// <summary>The numbers callers dial: each number's lines (and the calls holding one now) and its opening hours. A call
/// type without a number has unlimited lines and is always open.</summary>
public sealed class Switchboard
{
    private readonly int[] _numberByCallType;
    private readonly int[] _lines;
    private readonly int[] _inSystem;
    private readonly OpeningHours?[] _hours;

    /// <param name="numberByCallType">The number each call type dials, or -1.</param>
    /// <param name="hoursByNumber">Null, or null for a number: always open.</param>
    public Switchboard(int[] numberByCallType, int[]? linesByNumber, OpeningHours?[]? hoursByNumber)
    {
        _numberByCallType = numberByCallType;
        _lines = linesByNumber ?? [];
        _inSystem = new int[_lines.Length];
        _hours = hoursByNumber ?? new OpeningHours?[_lines.Length];
    }

    public int NumberCount => _lines.Length;

    /// <summary>The number's hours say it is closed now (a number without hours never is).</summary>
    public bool IsClosed(int number, double now) => _hours[number] is { } hours && !hours.IsOpen(now);

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
