namespace CrisisSim.Analytics;

internal static class Guard
{
    public static void PositiveFinite(double value, string paramName)
    {
        if (!double.IsFinite(value) || value <= 0.0)
        {
            throw new ArgumentOutOfRangeException(paramName, value, "Value must be finite and greater than zero.");
        }
    }

    public static void NonNegativeFinite(double value, string paramName)
    {
        if (!double.IsFinite(value) || value < 0.0)
        {
            throw new ArgumentOutOfRangeException(paramName, value, "Value must be finite and not negative.");
        }
    }

    public static void OpenUnitInterval(double value, string paramName)
    {
        if (!(value > 0.0 && value < 1.0))
        {
            throw new ArgumentOutOfRangeException(paramName, value, "Value must lie strictly between 0 and 1.");
        }
    }
}
