using CrisisSim.Reporting;

namespace CrisisSim.Testing;

/// <summary>The system components some tests use, which a fresh machine may lack (scripts/provision.sh installs them):
/// without one, its tests are reported as skipped with the reason, never as passed; with
/// <c>CRISISSIM_REQUIRE_COMPONENTS=1</c> (set by <c>.ci/run</c>) they run, and fail.</summary>
public static class RequiredComponents
{
    public const string RequireVariable = "CRISISSIM_REQUIRE_COMPONENTS";

    private static readonly Lazy<string?> FontsProblem = new(() =>
    {
        try
        {
            ChartFonts.Find(ChartFonts.SearchFolders());
            return null;
        }
        catch (ChartFontsException ex)
        {
            return ex.Message;
        }
    });

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>Why the chart fonts are missing; null when they are there.</summary>
    public static string? MissingFonts => FontsProblem.Value;

    /// <summary>The skip reason for a test that needs a component: null when it is there, or required.</summary>
    public static string? SkipReason(string? problem) =>
        problem is null || Required ? null : $"skipped: {problem} (scripts/provision.sh installs it; {RequireVariable}=1 makes this a failure)";
}

/// <summary>A test that draws charts: skipped, with the reason, on a machine without the chart fonts.</summary>
public sealed class FactWithFontsAttribute : FactAttribute
{
    public FactWithFontsAttribute() => Skip = RequiredComponents.SkipReason(RequiredComponents.MissingFonts);
}

/// <summary>A theory that draws charts: skipped, with the reason, on a machine without the chart fonts.</summary>
public sealed class TheoryWithFontsAttribute : TheoryAttribute
{
    public TheoryWithFontsAttribute() => Skip = RequiredComponents.SkipReason(RequiredComponents.MissingFonts);
}
