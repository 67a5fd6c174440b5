namespace CrisisSim.Testing;

/// <summary>The sample routing plug-in (samples/CrisisSim.Samples.Routing), built with the test project (a project
/// reference that does not reference its assembly, so the tests load it only as a plug-in, from its own folder).</summary>
internal static class SamplePlugin
{
    public const string TypeName = "CrisisSim.Samples.Routing.SurgePolicy";

    /// <summary>The plug-in's assembly, built in the same configuration as the test binaries.</summary>
    public static string AssemblyPath { get; } = Find();

    private static string Find()
    {
        // The test binaries are in .../bin/<configuration>/<framework>/.
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!.Name;
        for (var dir = framework; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CrisisSim.sln")))
            {
                var path = Path.Combine(dir.FullName, "samples", "CrisisSim.Samples.Routing", "bin", configuration, framework.Name, "CrisisSim.Samples.Routing.dll");
                return File.Exists(path) ? path : throw new InvalidOperationException("The sample routing plug-in is not built: " + path);
            }
        }
        throw new InvalidOperationException("CrisisSim.sln not found above " + AppContext.BaseDirectory);
    }
}
