namespace CrisisSim.Scenarios;

/// <summary>Durations written with a unit: <c>90s</c>, <c>3m</c>, <c>1.5h</c>, <c>2d</c> (invariant culture).</summary>
internal static class Durations
{
    public static bool TryParse(string text, out double seconds)
    {
        seconds = 0;
        var trimmed = text.Trim();
        if (trimmed.Length < 2)
        {
            return false;
        }
        double unit = trimmed[^1] switch
        {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86400,
            _ => 0,
        };
        var number = trimmed[..^1].TrimEnd();
        // Only digits, sign, point and exponent: no ".inf" or ".nan" before a unit.
        if (unit == 0 || number.Length == 0 || number.StartsWith('.') && number.Length > 1 && char.IsAsciiLetter(number[1])
            || !ScenarioReader.TryParseNumber(number, out var value))
        {
            return false;
        }
        seconds = value * unit;
        return true;
    }
}
