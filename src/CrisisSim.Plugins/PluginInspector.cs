using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using CrisisSim.Inputs;
using CrisisSim.Model.Routing;

namespace CrisisSim.Plugins;

/// <summary>Checks a routing plug-in from its assembly's metadata alone, without loading it: no code of the plug-in runs
/// (no static constructor, no module initializer). The file must be a regular file within
/// <see cref="RoutingPlugins.MaxAssemblyBytes"/>; the type must exist, be public, concrete and non-generic, implement
/// <c>CrisisSim.Model.Routing.IRoutingPolicy</c> (by name, on the class or a base class of the same assembly) and have a
/// public constructor the host can call; the assembly must not call <c>System.Environment.Exit</c> or
/// <c>FailFast</c>.</summary>
public static class PluginInspector
{
    private const string PolicyInterface = "CrisisSim.Model.Routing.IRoutingPolicy";
    private const string SetupType = "CrisisSim.Model.Routing.RoutingSetup";
    private const string SettingsType = "System.Collections.Generic.IReadOnlyDictionary`2<System.String,System.String>";

    /// <summary>Process-ending calls refused in a plug-in: they would end a run without its results or a message.</summary>
    private static readonly string[] ProcessEnding = ["Exit", "FailFast"];

    /// <summary>Checks that <paramref name="typeName"/> of the assembly at <paramref name="assemblyPath"/> (absolute) is
    /// a usable policy type, reading metadata only.</summary>
    /// <exception cref="RoutingPluginException">It is not; the message says why, and <see cref="RoutingPluginException.Problem"/>
    /// whether the assembly (<see cref="RoutingPluginProblem.FileNotFound"/>, <see cref="RoutingPluginProblem.NotAnAssembly"/>,
    /// <see cref="RoutingPluginProblem.Forbidden"/>) or the type is at fault.</exception>
    public static void Check(string assemblyPath, string typeName)
    {
        ArgumentNullException.ThrowIfNull(assemblyPath);
        ArgumentNullException.ThrowIfNull(typeName);
        var bytes = ReadFile(assemblyPath);
        try
        {
            using var pe = new PEReader(System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(bytes));
            if (!pe.HasMetadata)
            {
                throw new RoutingPluginException(RoutingPluginProblem.NotAnAssembly, $"{assemblyPath} is not a .NET assembly (a native library or program: it has no .NET metadata)");
            }
            var metadata = pe.GetMetadataReader();
            if (!metadata.IsAssembly)
            {
                throw new RoutingPluginException(RoutingPluginProblem.NotAnAssembly, $"{assemblyPath} is not a .NET assembly (a module without an assembly manifest)");
            }
            CheckNoProcessEnding(metadata, assemblyPath);
            CheckType(metadata, assemblyPath, typeName);
        }
        catch (BadImageFormatException)
        {
            throw new RoutingPluginException(RoutingPluginProblem.NotAnAssembly, $"{assemblyPath} is not a .NET assembly");
        }
        catch (Exception ex) when (InputFile.IsAccessFailure(ex))
        {
            throw new RoutingPluginException(RoutingPluginProblem.NotAnAssembly, $"{assemblyPath} cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>The one file guard: an existing regular file (a FIFO or a device is refused before it is opened) within
    /// the assembly size limit.</summary>
    internal static long CheckFile(string assemblyPath) =>
        Guarded(() => InputFile.Check(assemblyPath, RoutingPlugins.MaxAssemblyBytes, "a .NET assembly (.dll)"), assemblyPath);

    /// <summary>The assembly's bytes, read through the same guard (never past the size limit).</summary>
    private static byte[] ReadFile(string assemblyPath) =>
        Guarded(() => InputFile.ReadBytes(assemblyPath, RoutingPlugins.MaxAssemblyBytes, "a .NET assembly (.dll)"), assemblyPath);

    private static T Guarded<T>(Func<T> read, string assemblyPath)
    {
        try
        {
            return read();
        }
        catch (InputFileException ex)
        {
            var problem = ex.Reason == "file not found" ? RoutingPluginProblem.FileNotFound : RoutingPluginProblem.NotAnAssembly;
            throw new RoutingPluginException(problem, $"{assemblyPath} {(problem == RoutingPluginProblem.FileNotFound ? "does not exist" : ex.Reason)}", ex);
        }
    }

    private static void CheckNoProcessEnding(MetadataReader metadata, string assemblyPath)
    {
        foreach (var handle in metadata.MemberReferences)
        {
            var member = metadata.GetMemberReference(handle);
            if (member.Parent.Kind != HandleKind.TypeReference)
            {
                continue;
            }
            var type = metadata.GetTypeReference((TypeReferenceHandle)member.Parent);
            if (metadata.StringComparer.Equals(type.Namespace, "System") && metadata.StringComparer.Equals(type.Name, "Environment")
                && ProcessEnding.FirstOrDefault(m => metadata.StringComparer.Equals(member.Name, m)) is { } name)
            {
                throw new RoutingPluginException(RoutingPluginProblem.Forbidden,
                    $"{assemblyPath} calls System.Environment.{name}: a routing plug-in may not end the process (a run would end without its results or a message)");
            }
        }
    }

    private static void CheckType(MetadataReader metadata, string assemblyPath, string typeName)
    {
        var types = new Dictionary<string, TypeDefinitionHandle>(StringComparer.Ordinal);
        foreach (var handle in metadata.TypeDefinitions)
        {
            types.TryAdd(FullName(metadata, handle), handle);
        }
        if (!types.TryGetValue(typeName, out var found))
        {
            var candidates = types.Where(t => IsPublic(metadata, t.Value) && IsConcrete(metadata, t.Value) && Implements(metadata, t.Value, out _))
                .Select(t => t.Key).Order(StringComparer.Ordinal).ToList();
            var hint = candidates.Count == 0
                ? "; it holds no public type implementing " + PolicyInterface
                : "; its policy types: " + string.Join(", ", candidates.Take(10));
            throw new RoutingPluginException(RoutingPluginProblem.TypeNotFound, $"type '{typeName}' not found in {assemblyPath} (give the full name, with its namespace){hint}");
        }
        if (!Implements(metadata, found, out var outside))
        {
            throw new RoutingPluginException(RoutingPluginProblem.NotAPolicy, outside is null
                ? $"type '{typeName}' does not implement {PolicyInterface}"
                : $"type '{typeName}' does not implement {PolicyInterface} itself, and its base class {outside} is in another assembly, which is not inspected: implement the interface on the class");
        }
        if (!IsPublic(metadata, found) || !IsConcrete(metadata, found))
        {
            throw new RoutingPluginException(RoutingPluginProblem.NotAPolicy, $"type '{typeName}' must be a public, concrete, non-generic class");
        }
        if (!HasUsableConstructor(metadata, found))
        {
            throw new RoutingPluginException(RoutingPluginProblem.NotAPolicy,
                $"type '{typeName}' has no public constructor taking a RoutingSetup, an IReadOnlyDictionary<string, string> of settings, or nothing");
        }
    }

    /// <summary>Namespace.Name, nested types as Outer+Inner (as <see cref="Type.FullName"/> writes them).</summary>
    private static string FullName(MetadataReader metadata, TypeDefinitionHandle handle)
    {
        var type = metadata.GetTypeDefinition(handle);
        var name = metadata.GetString(type.Name);
        var declaring = type.GetDeclaringType();
        if (!declaring.IsNil)
        {
            return FullName(metadata, declaring) + "+" + name;
        }
        var ns = metadata.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    private static bool IsPublic(MetadataReader metadata, TypeDefinitionHandle handle)
    {
        var type = metadata.GetTypeDefinition(handle);
        var visibility = type.Attributes & TypeAttributes.VisibilityMask;
        return visibility == TypeAttributes.Public
            || visibility == TypeAttributes.NestedPublic && IsPublic(metadata, type.GetDeclaringType());
    }

    private static bool IsConcrete(MetadataReader metadata, TypeDefinitionHandle handle)
    {
        var type = metadata.GetTypeDefinition(handle);
        if ((type.Attributes & (TypeAttributes.Abstract | TypeAttributes.Interface)) != 0 || type.GetGenericParameters().Count > 0)
        {
            return false;
        }
        // A nested type of a generic type is generic too.
        var declaring = type.GetDeclaringType();
        return declaring.IsNil || metadata.GetTypeDefinition(declaring).GetGenericParameters().Count == 0;
    }

    /// <summary>Whether the type, or a base class defined in the same assembly, lists the policy interface;
    /// <paramref name="outside"/> names the first base class from another assembly (other than System.Object).</summary>
    private static bool Implements(MetadataReader metadata, TypeDefinitionHandle handle, out string? outside)
    {
        outside = null;
        for (var depth = 0; depth < 64 && !handle.IsNil; depth++)
        {
            var type = metadata.GetTypeDefinition(handle);
            foreach (var implementation in type.GetInterfaceImplementations())
            {
                if (Name(metadata, metadata.GetInterfaceImplementation(implementation).Interface) == PolicyInterface)
                {
                    return true;
                }
            }
            var baseType = type.BaseType;
            if (baseType.Kind == HandleKind.TypeDefinition)
            {
                handle = (TypeDefinitionHandle)baseType;
                continue;
            }
            if (!baseType.IsNil && Name(metadata, baseType) is { } name && name is not ("System.Object" or "System.ValueType"))
            {
                outside = name;
            }
            return false;
        }
        return false;
    }

    private static string? Name(MetadataReader metadata, EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
                return FullName(metadata, (TypeDefinitionHandle)handle);
            case HandleKind.TypeReference:
                var reference = metadata.GetTypeReference((TypeReferenceHandle)handle);
                var ns = metadata.GetString(reference.Namespace);
                var name = metadata.GetString(reference.Name);
                return ns.Length == 0 ? name : ns + "." + name;
            default:
                return null; // a generic instantiation: never the (non-generic) policy interface
        }
    }

    private static bool HasUsableConstructor(MetadataReader metadata, TypeDefinitionHandle handle)
    {
        var provider = new SignatureNames(metadata);
        foreach (var methodHandle in metadata.GetTypeDefinition(handle).GetMethods())
        {
            var method = metadata.GetMethodDefinition(methodHandle);
            if (!metadata.StringComparer.Equals(method.Name, ".ctor")
                || (method.Attributes & MethodAttributes.MemberAccessMask) != MethodAttributes.Public
                || (method.Attributes & MethodAttributes.Static) != 0)
            {
                continue;
            }
            var signature = method.DecodeSignature(provider, genericContext: null);
            if (signature.ParameterTypes.Length == 0
                || signature.ParameterTypes.Length == 1 && signature.ParameterTypes[0] is SetupType or SettingsType)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Parameter types as full names, enough to recognise the constructors the host calls.</summary>
    private sealed class SignatureNames(MetadataReader metadata) : ISignatureTypeProvider<string, object?>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => "System." + typeCode;

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => FullName(metadata, handle);

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => Name(metadata, handle) ?? "?";

        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) =>
            genericType + "<" + string.Join(",", typeArguments) + ">";

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[,]";

        public string GetByReferenceType(string elementType) => elementType + "&";

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetPinnedType(string elementType) => elementType;

        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";

        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

        public string GetTypeFromSerializedName(string name) => name;

        public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;

        public bool IsSystemType(string type) => type == "System.Type";

        public string GetSystemType() => "System.Type";
    }
}
