using System.Globalization;

namespace CrisisSim.Reporting;

/// <summary>CSV as every exporter writes it: invariant culture, numbers in their shortest round-trip form, a field quoted
/// when it holds a comma, quote or line break, <c>\n</c> line ends.</summary>
internal static class Csv
{
    /// <summary>Shortest round-trip text of a number; empty for NaN (a KPI undefined for the selection).</summary>
    public static string Number(double value) =>
        double.IsNaN(value) ? "" : double.IsPositiveInfinity(value) ? "inf" : value.ToString("R", CultureInfo.InvariantCulture);

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Bool(bool value) => value ? "true" : "false";

    /// <summary>A text field, quoted when it holds a comma, quote or line break.</summary>
    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

    /// <summary>One row of cells already formatted, ended by <c>\n</c> whatever the writer's line end.</summary>
    public static void Row(TextWriter writer, IEnumerable<string> cells) => writer.Write(string.Join(',', cells) + "\n");
}
