using System.Globalization;

namespace CrisisSim.Reporting;

internal static class Formats
{
    /// <summary>Shortest round-trip text of a number, invariant culture; empty for NaN (a KPI undefined for the selection).</summary>
    public static string Number(double value) =>
        double.IsNaN(value) ? "" : double.IsPositiveInfinity(value) ? "inf" : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A CSV field, quoted when it holds a comma, quote or line break.</summary>
    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
}

/// <summary>Text files as every exporter writes them: UTF-8 without byte order mark, <c>\n</c> line ends on every
/// system.</summary>
public static class TextFiles
{
    public static StreamWriter Create(string path) => new(path, append: false, new System.Text.UTF8Encoding(false)) { NewLine = "\n" };
}
