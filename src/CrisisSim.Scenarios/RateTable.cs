using System.Globalization;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Scenarios;

/// <summary>Parses a rate table: a CSV file with a header <c>time,callsPerHour</c> (a rate from each time on) or
/// <c>time,calls</c> (calls from each time to the next; the last row to the horizon). Times are durations from the
/// start of the run (<c>0</c>, <c>90m</c>, <c>1d</c>), strictly increasing. Blank lines and lines starting with
/// <c>#</c> are skipped.</summary>
internal static class RateTable
{
    /// <param name="text">The file's text.</param>
    /// <param name="file">The path errors are reported under.</param>
    /// <param name="source">The path as the scenario wrote it.</param>
    /// <param name="key">The scenario key that names the file.</param>
    /// <param name="horizon">The run's horizon in seconds (NaN when unknown: counts are then not converted).</param>
    /// <param name="error">Where errors go.</param>
    public static RateTableArrivalSpec? Parse(string text, string file, string source, string key, double horizon, Action<ScenarioError> error)
    {
        var lines = text.Split('\n');
        var ok = true;
        bool? counts = null;
        var times = new List<double>();
        var values = new List<double>();
        var lineNumbers = new List<int>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var lineNumber = i + 1;
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }
            var fields = line.Split(',');
            if (counts is null)
            {
                var header = string.Join(",", fields.Select(f => f.Trim()));
                counts = header switch
                {
                    "time,callsPerHour" => false,
                    "time,calls" => true,
                    _ => null,
                };
                if (counts is null)
                {
                    error(new ScenarioError(file, lineNumber, 1, key, LooksLikeHeader(fields)
                        ? $"expected the header time,callsPerHour or time,calls, found '{Short(line)}'"
                        : "expected the header time,callsPerHour or time,calls: this file is not a rate table (nothing of it is shown)"));
                    return null;
                }
                continue;
            }
            if (fields.Length != 2)
            {
                error(new ScenarioError(file, lineNumber, 1, key, Inv($"expected 2 fields (time and {(counts.Value ? "calls" : "callsPerHour")}), found {fields.Length}")));
                ok = false;
                continue;
            }
            if (times.Count >= ScenarioLimits.MaxRateTableRows)
            {
                error(new ScenarioError(file, lineNumber, 1, key, Inv($"more than {ScenarioLimits.MaxRateTableRows:N0} rows; the limit is {ScenarioLimits.MaxRateTableRows:N0}")));
                return null;
            }
            var valueColumn = fields[0].Length + 2;
            var time = Time(fields[0]);
            if (time is null)
            {
                error(new ScenarioError(file, lineNumber, 1, key, $"time: expected a duration from the start of the run such as 0, 90m, 1.5h or 2d, found '{Short(fields[0].Trim())}'"));
                ok = false;
            }
            else if (time < 0 || time > ScenarioLimits.MaxHorizonSeconds)
            {
                error(new ScenarioError(file, lineNumber, 1, key, "time: must be from 0 to 366d"));
                ok = false;
                time = null;
            }
            else if (times.Count > 0 && !(time > times[^1]))
            {
                error(new ScenarioError(file, lineNumber, 1, key, Inv($"time: must be after the previous row's ({times[^1]:0.###}s, line {lineNumbers[^1]})")));
                ok = false;
                time = null;
            }
            var name = counts.Value ? "calls" : "callsPerHour";
            double? value = null;
            if (!Durations.TryParseNumber(fields[1], out var v) || !double.IsFinite(v))
            {
                error(new ScenarioError(file, lineNumber, valueColumn, key, $"{name}: expected a finite number, found '{Short(fields[1].Trim())}'"));
                ok = false;
            }
            else if (v < 0)
            {
                error(new ScenarioError(file, lineNumber, valueColumn, key, $"{name}: must be a number >= 0"));
                ok = false;
            }
            else
            {
                value = v;
            }
            if (time is { } t && value is { } x)
            {
                times.Add(t);
                values.Add(x);
                lineNumbers.Add(lineNumber);
            }
        }
        if (counts is null)
        {
            error(new ScenarioError(file, 1, 1, key, "the CSV file is empty: expected the header time,callsPerHour or time,calls and at least one row"));
            return null;
        }
        if (times.Count == 0 && ok)
        {
            error(new ScenarioError(file, 1, 1, key, "the CSV file holds no row"));
            return null;
        }
        if (!ok || double.IsNaN(horizon))
        {
            return null;
        }
        var perHour = new double[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            var span = (i + 1 < times.Count ? times[i + 1] : horizon) - times[i];
            perHour[i] = !counts.Value ? values[i] : span > 0 ? values[i] / span * 3600 : 0;
        }
        return new RateTableArrivalSpec(source, times.AsReadOnly(), perHour.AsReadOnly());
    }

    private static double? Time(string text)
    {
        return Durations.TryParseFinite(text, out var seconds) ? seconds : null;
    }

    /// <summary>A header with a first column <c>time</c>: a rate table with a mistake, which may be quoted; any other
    /// file (the path may name any file the user can read) is never quoted.</summary>
    private static bool LooksLikeHeader(string[] fields) =>
        fields.Length == 2 && fields[0].Trim().Equals("time", StringComparison.OrdinalIgnoreCase)
        && fields[1].Trim().Length <= 40 && fields[1].Trim().All(char.IsAsciiLetter);

    private static string Short(string text) => text.Length <= 40 ? text : text[..37] + "...";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
