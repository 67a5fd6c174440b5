namespace CrisisSim.Analytics.Tests;

internal static class Approx
{
    /// <summary>Asserts |expected − actual| ≤ tolerance · max(1, |expected|).</summary>
    public static void Equal(double expected, double actual, double tolerance)
    {
        double allowed = tolerance * Math.Max(1.0, Math.Abs(expected));
        Assert.True(
            Math.Abs(expected - actual) <= allowed,
            FormattableString.Invariant($"Expected {expected:R}, actual {actual:R}, difference {expected - actual:R}, allowed {allowed:R}."));
    }
}
