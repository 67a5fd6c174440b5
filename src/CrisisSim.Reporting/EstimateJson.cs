using System.Text.Json;
using CrisisSim.Engine;

namespace CrisisSim.Reporting;

/// <summary>JSON as every exporter writes it: an estimate as <c>{"mean", "ci95", "n"}</c>, a number that is not finite
/// (an undefined KPI) as <c>null</c>, indented with <c>\n</c> line ends.</summary>
internal static class EstimateJson
{
    public static Utf8JsonWriter Writer(Stream stream) => new(stream, new JsonWriterOptions { Indented = true, NewLine = "\n" });

    /// <summary>A number, or <c>null</c> when it is NaN or infinite (JSON has neither).</summary>
    public static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    /// <summary>A number given or <c>null</c> when not given.</summary>
    public static void Optional(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    /// <summary>An array of numbers, <c>null</c> for those that are not finite.</summary>
    public static void Numbers(Utf8JsonWriter json, string name, IEnumerable<double> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values)
        {
            if (double.IsFinite(v))
            {
                json.WriteNumberValue(v);
            }
            else
            {
                json.WriteNullValue();
            }
        }
        json.WriteEndArray();
    }

    public static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values)
        {
            json.WriteStringValue(v);
        }
        json.WriteEndArray();
    }

    /// <summary><c>"name": {"mean", "ci95", "n"}</c>.</summary>
    public static void Estimate(Utf8JsonWriter json, string name, Estimate e)
    {
        json.WritePropertyName(name);
        Estimate(json, e);
    }

    /// <summary><c>{"mean", "ci95", "n"}</c> as a value (after a property name or in an array).</summary>
    public static void Estimate(Utf8JsonWriter json, Estimate e)
    {
        json.WriteStartObject();
        Number(json, "mean", e.Mean);
        Number(json, "ci95", e.HalfWidth);
        json.WriteNumber("n", e.Count);
        json.WriteEndObject();
    }
}
