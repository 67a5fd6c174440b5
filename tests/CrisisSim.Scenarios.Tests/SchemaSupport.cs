using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CrisisSim.Scenarios.Tests;

/// <summary>A scenario's YAML as JSON, typed as a YAML 1.2 editor types it and as the reader reads it: a plain scalar
/// that the reader reads as a number is a number, a plain true/false a boolean, a plain empty value or null a null;
/// every other scalar, and every quoted one, is a string.</summary>
internal static class YamlJson
{
    public static JsonNode? Convert(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (key, value) in map.Children)
                {
                    obj[((YamlScalarNode)key).Value ?? ""] = Convert(value);
                }
                return obj;
            case YamlSequenceNode list:
                return new JsonArray([.. list.Children.Select(Convert)]);
            case YamlScalarNode scalar:
                var text = scalar.Value ?? "";
                if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any) || scalar.Tag is { IsEmpty: false, IsNonSpecific: false, Value: "tag:yaml.org,2002:str" })
                {
                    return JsonValue.Create(text);
                }
                if (text is "" or "~" or "null" or "Null" or "NULL")
                {
                    return null;
                }
                if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
                {
                    return JsonValue.Create(text[0] is 't' or 'T');
                }
                return CrisisSim.Model.Scenario.Durations.TryParseNumber(text, out var number) && double.IsFinite(number)
                    ? JsonValue.Create(number)
                    : JsonValue.Create(text);
            default:
                throw new ArgumentException("aliases are refused by the reader", nameof(node));
        }
    }

    public static YamlNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents[0].RootNode;
    }

    public static string Write(YamlNode root)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }
}

/// <summary>The committed JSON Schema, evaluated by a real validator (JsonSchema.Net).</summary>
internal static class SchemaValidator
{
    private static readonly JsonSchema Schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(RepositoryFiles.ScenariosFolder, "crisissim.schema.json")));

    /// <summary>Null when the YAML text validates; otherwise the validator's errors, one per line.</summary>
    public static string? Errors(string yaml) => Errors(YamlJson.Convert(YamlJson.Parse(yaml)));

    public static string? Errors(JsonNode? document)
    {
        var result = Schema.Evaluate(JsonSerializer.SerializeToElement(document), new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return null;
        }
        var errors = (result.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}"))
            .ToList();
        return errors.Count == 0 ? "invalid" : string.Join("\n", errors);
    }
}

/// <summary>A map of the format found in a scenario's tree.</summary>
internal sealed record MapSite(MapFormat Format, YamlMappingNode Node, string Path);

/// <summary>A single value under a key of a map, with the form the format gives it there.</summary>
internal sealed record ScalarSite(ValueFormat Format, YamlMappingNode Parent, YamlNode KeyNode, string Path);

/// <summary>A list of the format found in a scenario's tree.</summary>
internal sealed record ListSite(ListFormat Format, YamlSequenceNode Node, string Path);

/// <summary>Walks a scenario's tree along <see cref="ScenarioFormat"/>, listing its maps and single values in file
/// order.</summary>
internal sealed class FormatWalk
{
    public List<MapSite> Maps { get; } = [];

    public List<ScalarSite> Scalars { get; } = [];

    public List<ListSite> Lists { get; } = [];

    public static FormatWalk Of(YamlNode root)
    {
        var walk = new FormatWalk();
        walk.Visit(root, ScenarioFormat.Scenario, "");
        return walk;
    }

    private void Visit(YamlNode node, ValueFormat format, string path)
    {
        switch (Resolve(format, node))
        {
            case MapFormat map when node is YamlMappingNode mapping:
                Maps.Add(new MapSite(map, mapping, path));
                foreach (var (keyNode, value) in mapping.Children)
                {
                    var key = ((YamlScalarNode)keyNode).Value!;
                    if (map.Has(key))
                    {
                        Child(mapping, keyNode, value, map.Key(key).Format, Join(path, key));
                    }
                }
                break;
            case MapOfFormat mapOf when node is YamlMappingNode mapping:
                foreach (var (keyNode, value) in mapping.Children)
                {
                    Child(mapping, keyNode, value, mapOf.Value, Join(path, ((YamlScalarNode)keyNode).Value!));
                }
                break;
            case ListFormat list when node is YamlSequenceNode sequence:
                Lists.Add(new ListSite(list, sequence, path));
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    Visit(sequence.Children[i], list.Item, string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"));
                }
                break;
        }
    }

    private void Child(YamlMappingNode parent, YamlNode keyNode, YamlNode value, ValueFormat format, string path)
    {
        if (value is YamlScalarNode)
        {
            Scalars.Add(new ScalarSite(Resolve(format, value), parent, keyNode, path));
        }
        Visit(value, format, path);
    }

    public static ValueFormat Resolve(ValueFormat format, YamlNode node) => format switch
    {
        OneOfFormat oneOf => Resolve(oneOf.Forms.First(f => Fits(f, node)), node),
        MapReference reference => reference.Map(),
        VariantFormat variants when node is YamlMappingNode map && Value(map, variants.Discriminator) is { } name && variants.Variant(name) is { } variant => variant,
        _ => format,
    };

    private static bool Fits(ValueFormat format, YamlNode node) => (format, node) switch
    {
        (OneOfFormat oneOf, _) => oneOf.Forms.Any(f => Fits(f, node)),
        (MapReference reference, _) => Fits(reference.Map(), node),
        (NoneFormat, YamlScalarNode scalar) => scalar.Value == "none",
        (MapFormat map, YamlMappingNode mapping) => mapping.Children.Keys.All(k => map.Has(((YamlScalarNode)k).Value!)),
        (VariantFormat variants, YamlMappingNode mapping) => Value(mapping, variants.Discriminator) is not null,
        (MapOfFormat, YamlMappingNode) or (ListFormat, YamlSequenceNode) => true,
        (MapFormat or VariantFormat or MapOfFormat or ListFormat or NoneFormat, _) => false,
        (_, YamlScalarNode) => true,
        _ => false,
    };

    private static string? Value(YamlMappingNode map, string key) =>
        map.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: { } k } && k == key).Value is YamlScalarNode { Value: { } v } ? v : null;

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;
}
