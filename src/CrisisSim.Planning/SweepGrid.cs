using System.Globalization;
using System.Text.RegularExpressions;
using CrisisSim.Scenarios;

namespace CrisisSim.Planning;

/// <summary>A key of the scenario file and the values it takes: <c>KEY=VALUES</c>, the values a comma-separated list
/// (<c>1h,2h,4h</c>; a value may be a flow list or map, <c>[10, 20],[20, 30]</c>) or a range <c>A..B:STEP</c> (from A
/// to B included, by STEP; <c>A..B</c> steps by 1). Range ends and steps are numbers, or durations with a unit
/// (<c>30m..4h:30m</c>).</summary>
public sealed record SweepAxis(string Key, IReadOnlyList<string> Values)
{
    private static readonly Regex Range = new(
        @"^\s*(?<a>-?\d+(?:\.\d+)?)(?<ua>[smhd]?)\s*\.\.\s*(?<b>-?\d+(?:\.\d+)?)(?<ub>[smhd]?)\s*(?::\s*(?<step>\d+(?:\.\d+)?)(?<us>[smhd]?))?\s*$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, TimeSpan.FromSeconds(1));

    /// <summary>Parses <c>KEY=VALUES</c>; throws <see cref="PlanningException"/> with the problem. No more than
    /// <paramref name="maxValues"/> values are ever made.</summary>
    public static SweepAxis Parse(string text, string option, long maxValues = PlanningLimits.MaxPoints)
    {
        text ??= "";
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            throw new PlanningException($"{option} '{Shorten(text)}': expected KEY=VALUES, such as groups.operators.staffing=10..20:2 or groups.provider.activation.delay=1h,2h,4h");
        }
        var key = text[..eq].Trim();
        if (text[(eq + 1)..].Trim().Length == 0)
        {
            throw new PlanningException($"{option} '{Shorten(text)}': no value after '='");
        }
        var values = new List<string>();
        foreach (var part in SplitTopLevel(text[(eq + 1)..]))
        {
            var token = part.Trim();
            if (token.Length == 0)
            {
                throw new PlanningException($"{option} '{Shorten(text)}': an empty value in the list");
            }
            if (Range.Match(token) is { Success: true } m)
            {
                foreach (var v in Expand(m, option, text, maxValues - values.Count))
                {
                    values.Add(v);
                }
            }
            else if (NotARange(token) is { } reason)
            {
                throw new PlanningException($"{option} '{Shorten(text)}': '{Shorten(token)}' {reason}");
            }
            else
            {
                values.Add(token);
            }
            if (values.Count > maxValues)
            {
                throw new PlanningException(Inv($"{option} '{Shorten(text)}': more than {maxValues:N0} values; the limit is {PlanningLimits.MaxPoints:N0} points"));
            }
        }
        if (values.Count == 0)
        {
            throw new PlanningException($"{option} '{Shorten(text)}': no value after '='");
        }
        foreach (var v in values)
        {
            if (ScenarioSettings.Check(new ScenarioSetting(key, v)) is { } problem)
            {
                throw new PlanningException($"{option} '{Shorten(text)}': {problem}");
            }
        }
        return new SweepAxis(key, values);
    }

    private static IEnumerable<string> Expand(Match m, string option, string text, long room)
    {
        var units = new[] { m.Groups["ua"].Value, m.Groups["ub"].Value, m.Groups["us"].Value };
        var duration = units.Any(u => u.Length > 0);
        decimal Value(string group, string unit) => decimal.Parse(m.Groups[group].Value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * UnitSeconds(unit);
        decimal a, b, step;
        try
        {
            a = Value("a", units[0]);
            b = Value("b", units[1]);
            step = m.Groups["step"].Success ? Value("step", units[2]) : 1;
        }
        catch (OverflowException)
        {
            throw new PlanningException($"{option} '{Shorten(text)}': a number of the range is too large");
        }
        if (step <= 0)
        {
            throw new PlanningException($"{option} '{Shorten(text)}': the step of a range must be above 0");
        }
        if (b < a)
        {
            throw new PlanningException($"{option} '{Shorten(text)}': a range A..B needs B >= A");
        }
        decimal count;
        try
        {
            count = decimal.Floor((b - a) / step) + 1;
        }
        catch (OverflowException)
        {
            count = decimal.MaxValue;
        }
        if (count > room)
        {
            throw new PlanningException(Inv($"{option} '{Shorten(text)}': the range has {count:N0} values; the limit is {PlanningLimits.MaxPoints:N0} points"));
        }
        for (var i = 0; i < (long)count; i++)
        {
            var v = a + i * step;
            yield return duration ? FormatDuration(v) : Format(v);
        }
    }

    /// <summary>Why a value that starts as a range (a number, then <c>..</c>) is not one, or null for a plain value: read
    /// as a literal, <c>1..10:-1</c> or <c>1..1e9:1</c> would become one point instead of a range or a refusal.</summary>
    private static string? NotARange(string token)
    {
        var dots = token.IndexOf("..", StringComparison.Ordinal);
        if (dots <= 0 || !double.TryParse(token[..dots].Trim().TrimEnd('s', 'm', 'h', 'd'), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            return null;
        }
        var colon = token.IndexOf(':', dots);
        if (colon >= 0 && double.TryParse(token[(colon + 1)..].Trim().TrimEnd('s', 'm', 'h', 'd'), NumberStyles.Float, CultureInfo.InvariantCulture, out var step) && !(step > 0))
        {
            return "is not a valid range: the step of a range must be above 0";
        }
        return Inv($"is not a valid range A..B:STEP: its ends and step are plain decimal numbers (no exponent, no sign on the step), or durations such as 30m..4h:30m, and a range holds at most {PlanningLimits.MaxPoints:N0} values");
    }

    private static decimal UnitSeconds(string unit) => unit switch
    {
        "m" => 60,
        "h" => 3600,
        "d" => 86400,
        _ => 1,
    };

    private static string Format(decimal v) => v.ToString("0.############################", CultureInfo.InvariantCulture);

    /// <summary>A duration in seconds, written in the largest unit that holds it exactly (<c>90m</c>, <c>2h</c>).</summary>
    private static string FormatDuration(decimal seconds)
    {
        foreach (var (unit, size) in new[] { ("d", 86400m), ("h", 3600m), ("m", 60m) })
        {
            if (seconds != 0 && seconds % size == 0)
            {
                return Format(seconds / size) + unit;
            }
        }
        return Format(seconds) + "s";
    }

    /// <summary>Splits at commas outside brackets, braces and quotes.</summary>
    private static List<string> SplitTopLevel(string text)
    {
        var parts = new List<string>();
        var depth = 0;
        char? quote = null;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
                continue;
            }
            switch (c)
            {
                case '"' or '\'':
                    quote = c;
                    break;
                case '[' or '{':
                    depth++;
                    break;
                case ']' or '}':
                    depth = Math.Max(0, depth - 1);
                    break;
                case ',' when depth == 0:
                    parts.Add(text[start..i]);
                    start = i + 1;
                    break;
            }
        }
        parts.Add(text[start..]);
        return parts;
    }

    internal static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Every combination of the axes' values, the first axis varying slowest.</summary>
public sealed class SweepGrid
{
    public SweepGrid(IReadOnlyList<SweepAxis> axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in axes)
        {
            if (!keys.Add(a.Key))
            {
                throw new PlanningException($"the key {a.Key} is set twice");
            }
        }
        long count = 1;
        foreach (var a in axes)
        {
            count *= a.Values.Count;
            if (count > PlanningLimits.MaxPoints)
            {
                throw new PlanningException(string.Create(CultureInfo.InvariantCulture,
                    $"the grid has {Describe(axes)} points; the limit is {PlanningLimits.MaxPoints:N0}"));
            }
        }
        Axes = axes;
        Count = (int)count;
    }

    public IReadOnlyList<SweepAxis> Axes { get; }

    public int Count { get; }

    /// <summary>For each axis, the index of its value at point <paramref name="index"/>.</summary>
    public int[] Indices(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var indices = new int[Axes.Count];
        for (var a = Axes.Count - 1; a >= 0; a--)
        {
            indices[a] = index % Axes[a].Values.Count;
            index /= Axes[a].Values.Count;
        }
        return indices;
    }

    /// <summary>The settings of point <paramref name="index"/>.</summary>
    public IReadOnlyList<ScenarioSetting> Point(int index)
    {
        var indices = Indices(index);
        return [.. Axes.Select((a, i) => new ScenarioSetting(a.Key, a.Values[indices[i]]))];
    }

    private static string Describe(IReadOnlyList<SweepAxis> axes)
    {
        double product = 1;
        foreach (var a in axes)
        {
            product *= a.Values.Count;
        }
        return string.Join(" x ", axes.Select(a => a.Values.Count.ToString(CultureInfo.InvariantCulture)))
            + " = " + product.ToString("N0", CultureInfo.InvariantCulture);
    }
}
