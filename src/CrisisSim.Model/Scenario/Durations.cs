using System.Globalization;

namespace CrisisSim.Model.Scenario;

/// <summary>Numbers and durations as the scenario format writes them (invariant culture): a number of seconds
/// (<c>90</c>) or a number with a unit (<c>250ms</c>, <c>90s</c>, <c>3m</c>, <c>1.5h</c>, <c>2d</c>). The scenario reader, rate tables,
/// command-line settings and routing policy settings all parse with these rules.</summary>
public static class Durations
{
    /// <summary>A duration in seconds: a plain number or a number with a unit. The result may be infinite or NaN
    /// (<c>.inf</c>, <c>1e400</c>): callers that need a finite duration check it.</summary>
    public static bool TryParse(string text, out double seconds)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        return TryParseNumber(trimmed, out seconds) || TryParseWithUnit(trimmed, out seconds);
    }

    /// <summary>A finite duration in seconds, plain or with a unit.</summary>
    public static bool TryParseFinite(string text, out double seconds) => TryParse(text, out seconds) && double.IsFinite(seconds);

    /// <summary>A number followed by ms, s, m, h or d; a plain number is not one.</summary>
    public static bool TryParseWithUnit(string text, out double seconds)
    {
        ArgumentNullException.ThrowIfNull(text);
        seconds = 0;
        var trimmed = text.Trim();
        if (trimmed.Length < 2)
        {
            return false;
        }
        var millis = trimmed.EndsWith("ms", StringComparison.Ordinal);
        double unit = millis ? 0.001 : trimmed[^1] switch
        {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86400,
            _ => 0,
        };
        var number = trimmed[..^(millis ? 2 : 1)].TrimEnd();
        // Only digits, sign, point and exponent: no ".inf" or ".nan" before a unit.
        if (unit == 0 || number.Length == 0 || number.StartsWith('.') && number.Length > 1 && char.IsAsciiLetter(number[1])
            || !TryParseNumber(number, out var value))
        {
            return false;
        }
        seconds = value * unit;
        return true;
    }

    /// <summary>A YAML number: digits with sign, point and exponent, or <c>.inf</c>, <c>-.inf</c>, <c>.nan</c>.</summary>
    public static bool TryParseNumber(string text, out double value)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (text.Trim())
        {
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                value = double.PositiveInfinity;
                return true;
            case "-.inf" or "-.Inf" or "-.INF":
                value = double.NegativeInfinity;
                return true;
            case ".nan" or ".NaN" or ".NAN":
                value = double.NaN;
                return true;
        }
        // Digits, sign, point and exponent only: the words "Infinity" and "NaN" are not YAML numbers.
        if (text.Any(c => char.IsAsciiLetter(c) && c is not ('e' or 'E')))
        {
            value = 0;
            return false;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}
