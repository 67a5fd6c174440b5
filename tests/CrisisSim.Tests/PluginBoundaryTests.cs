using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace CrisisSim.Tests;

/// <summary>The model and the engine, as compiled, load no assembly and resolve no path: plug-ins are loaded by the hosts
/// (<c>CrisisSim.Plugins</c>). The banned-API list stops such code at build time; this reads the compiled assemblies'
/// references, so it also catches the list being unhooked from a project.</summary>
public sealed class PluginBoundaryTests
{
    private static readonly (string Namespace, string Type, string? Member)[] Forbidden =
    [
        ("System.Runtime.Loader", "AssemblyLoadContext", null),
        ("System.Runtime.Loader", "AssemblyDependencyResolver", null),
        ("System.Reflection", "Assembly", "Load"),
        ("System.Reflection", "Assembly", "LoadFrom"),
        ("System.Reflection", "Assembly", "LoadFile"),
        ("System.Reflection", "Assembly", "UnsafeLoadFrom"),
        ("System.IO", "Path", "GetFullPath"),
        ("System.IO", "Path", "GetTempPath"),
        ("System.IO", "Path", "GetTempFileName"),
        ("System.IO", "Path", "Exists"),
        ("System", "Environment", "get_CurrentDirectory"),
        ("System", "AppContext", "get_BaseDirectory"),
    ];

    [Theory]
    [InlineData(typeof(Model.Routing.IRoutingPolicy))]
    [InlineData(typeof(Engine.InlineEngine))]
    public void The_model_and_the_engine_reference_no_assembly_loading_or_path_resolving_api(Type inAssembly)
    {
        var used = ForbiddenReferences(inAssembly.Assembly.Location);
        Assert.True(used.Count == 0, $"{inAssembly.Assembly.GetName().Name} uses {string.Join(", ", used)}");
    }

    [Fact]
    public void The_check_finds_the_references_of_the_hosts_loader()
    {
        // The hosts' loader does what the model must not: the same scan finds it there.
        var used = ForbiddenReferences(typeof(Plugins.RoutingPlugins).Assembly.Location);
        Assert.Contains("System.Runtime.Loader.AssemblyLoadContext", used);
        Assert.Contains("System.IO.Path.GetFullPath", used);
    }

    /// <summary>The forbidden types and members that the assembly's metadata references, by full name.</summary>
    private static List<string> ForbiddenReferences(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var metadata = pe.GetMetadataReader();
        var used = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var handle in metadata.TypeReferences)
        {
            var type = metadata.GetTypeReference(handle);
            var (ns, name) = (metadata.GetString(type.Namespace), metadata.GetString(type.Name));
            if (Forbidden.Any(f => f.Member is null && f.Namespace == ns && f.Type == name))
            {
                used.Add($"{ns}.{name}");
            }
        }
        foreach (var handle in metadata.MemberReferences)
        {
            var member = metadata.GetMemberReference(handle);
            if (member.Parent.Kind != HandleKind.TypeReference)
            {
                continue;
            }
            var type = metadata.GetTypeReference((TypeReferenceHandle)member.Parent);
            var (ns, name, memberName) = (metadata.GetString(type.Namespace), metadata.GetString(type.Name), metadata.GetString(member.Name));
            if (Forbidden.Any(f => f.Namespace == ns && f.Type == name && (f.Member is null || f.Member == memberName)))
            {
                used.Add($"{ns}.{name}.{memberName}");
            }
        }
        return [.. used];
    }
}
