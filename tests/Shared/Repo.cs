namespace CrisisSim.Testing;

internal static class Repo
{
    /// <summary>The folder holding CrisisSim.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string Scenarios => Path.Combine(Root, "scenarios");

    public static string Scenario(string relative) => Path.Combine(Scenarios, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CrisisSim.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("CrisisSim.sln not found above " + AppContext.BaseDirectory);
    }
}
