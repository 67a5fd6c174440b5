using System.Globalization;
using CrisisSim.Engine;

namespace CrisisSim.Reporting;

/// <summary>Numbers as the planning tables show them, invariant culture; <c>-</c> for an undefined value.</summary>
internal static class TableText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Percent(double v) => double.IsNaN(v) ? "-" : (v * 100).ToString("F1", Inv) + " %";

    public static string PercentCi(Estimate e) =>
        double.IsNaN(e.Mean) ? "-" : (e.Mean * 100).ToString("F1", Inv) + (double.IsNaN(e.HalfWidth) ? "" : " ± " + (e.HalfWidth * 100).ToString("F1", Inv)) + " %";

    public static string Ci(Estimate e, string format) =>
        double.IsNaN(e.Mean) ? "-" : e.Mean.ToString(format, Inv) + (double.IsNaN(e.HalfWidth) ? "" : " ± " + e.HalfWidth.ToString(format, Inv));

    public static string Money(double v) => v.ToString("N0", Inv);
}
