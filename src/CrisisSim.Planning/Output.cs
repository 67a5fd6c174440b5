using System.Globalization;
using System.Text.Json;
using CrisisSim.Engine;

namespace CrisisSim.Planning;

/// <summary>CSV cells, invariant culture: numbers in their shortest round-trip form, empty for an undefined value.</summary>
internal static class Csv
{
    public static string Number(double value) =>
        double.IsNaN(value) ? "" : double.IsPositiveInfinity(value) ? "inf" : value.ToString("R", CultureInfo.InvariantCulture);

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Bool(bool value) => value ? "true" : "false";

    /// <summary>A text field, quoted when it holds a comma, quote or line break.</summary>
    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
}

internal static class Json
{
    public static void Number(Utf8JsonWriter j, string name, double value)
    {
        if (double.IsFinite(value))
        {
            j.WriteNumber(name, value);
        }
        else
        {
            j.WriteNull(name);
        }
    }

    /// <summary><c>{"mean", "ci95", "n"}</c>, as in <c>summary.json</c>.</summary>
    public static void Estimate(Utf8JsonWriter j, string name, Estimate e)
    {
        j.WriteStartObject(name);
        Number(j, "mean", e.Mean);
        Number(j, "ci95", e.HalfWidth);
        j.WriteNumber("n", e.Count);
        j.WriteEndObject();
    }
}

/// <summary>Numbers as the console tables show them.</summary>
internal static class Text
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Percent(double v) => double.IsNaN(v) ? "-" : (v * 100).ToString("F1", Inv) + " %";

    public static string PercentCi(Estimate e) =>
        double.IsNaN(e.Mean) ? "-" : (e.Mean * 100).ToString("F1", Inv) + (double.IsNaN(e.HalfWidth) ? "" : " ± " + (e.HalfWidth * 100).ToString("F1", Inv)) + " %";

    public static string Ci(Estimate e, string format) =>
        double.IsNaN(e.Mean) ? "-" : e.Mean.ToString(format, Inv) + (double.IsNaN(e.HalfWidth) ? "" : " ± " + e.HalfWidth.ToString(format, Inv));

    public static string Money(double v) => v.ToString("N0", Inv);
}
