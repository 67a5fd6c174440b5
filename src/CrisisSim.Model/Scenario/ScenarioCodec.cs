using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CrisisSim.Model.Scenario;

/// <summary>A scenario as one self-describing value (UTF-8 JSON), so that a host can carry it whole (to a grain, a
/// silo, a file) without knowing its parts: a property or a derived type added to the model travels with no
/// change anywhere else.</summary>
/// <remarks>Every public property with a setter (init-only included) is written and read back; objects are created
/// without running a constructor, so records with several constructors need no annotation. Each abstract model type
/// (a distribution, an arrival process, a baseline, a surge shape …) is written with a <c>$type</c> discriminator,
/// the name of its concrete type; the concrete types are found in the model assembly.</remarks>
public static class ScenarioCodec
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static T Deserialize<T>(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize<T>(utf8Json, Options) ?? throw new JsonException($"A {typeof(T).Name} was expected, got null");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            IncludeFields = false,
            IgnoreReadOnlyProperties = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { Customize } },
        };
        options.MakeReadOnly();
        return options;
    }

    private static void Customize(JsonTypeInfo info)
    {
        var type = info.Type;
        if (info.Kind != JsonTypeInfoKind.Object || type.Assembly != typeof(ScenarioCodec).Assembly)
        {
            return;
        }
        if (type.IsAbstract)
        {
            var polymorphism = new JsonPolymorphismOptions
            {
                TypeDiscriminatorPropertyName = "$type",
                UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization,
            };
            foreach (var derived in ConcreteSubtypes(type))
            {
                polymorphism.DerivedTypes.Add(new JsonDerivedType(derived, derived.Name));
            }
            info.PolymorphismOptions = polymorphism;
            return;
        }
        if (type.IsClass)
        {
            // Properties are set one by one (init-only setters too): no constructor has to match them.
            info.CreateObject = () => RuntimeHelpers.GetUninitializedObject(type);
        }
    }

    private static IEnumerable<Type> ConcreteSubtypes(Type type) =>
        type.Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.IsClass && t.IsSubclassOf(type))
            .OrderBy(t => t.Name, StringComparer.Ordinal);
}
