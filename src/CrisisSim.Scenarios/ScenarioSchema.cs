using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrisisSim.Scenarios;

/// <summary>Writes the JSON Schema (draft 2020-12) of scenario files from <see cref="ScenarioFormat"/>, for editors:
/// <c>crisissim schema</c> prints it, and <c>scenarios/crisissim.schema.json</c> is its committed copy.</summary>
/// <remarks>It describes the file as a YAML 1.2 editor sees it: a plain scalar that is a number is a number, and so on;
/// see <c>scenarios/README.md</c>, section Editors. Durations are a plain number of seconds (with its bounds) or a
/// text with a unit (its pattern only). Bounds that depend on other values (one value per interval, the horizon, sd
/// against mean, references between names) are checked by the reader alone.</remarks>
public static class ScenarioSchema
{
    public const string Draft = "https://json-schema.org/draft/2020-12/schema";

    private static readonly JsonSerializerOptions Output = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The schema as text: indented, <c>\n</c> line ends, ending with one.</summary>
    public static string Text() => Build().ToJsonString(Output) + "\n";

    /// <summary>The schema as a JSON tree.</summary>
    public static JsonObject Build()
    {
        var definitions = new JsonObject();
        var writer = new Writer(definitions);
        var root = new JsonObject
        {
            ["$schema"] = Draft,
            ["title"] = "CrisisSim scenario",
        };
        foreach (var (key, value) in writer.Map(ScenarioFormat.Scenario))
        {
            root[key] = value?.DeepClone();
        }
        var description = ScenarioFormat.Scenario.Description;
        root["description"] = $"{char.ToUpperInvariant(description[0])}{description[1..]}. Written by 'crisissim schema' from the format the reader uses: do not edit; documented in scenarios/README.md.";
        root["$defs"] = definitions;
        return root;
    }

    private sealed class Writer(JsonObject definitions)
    {
        private readonly HashSet<string> _written = new(StringComparer.Ordinal);

        public JsonObject Value(ValueFormat format) => format switch
        {
            TextFormat text => Text(text),
            ChoiceFormat choice => choice.Names.Count == 1
                ? new JsonObject { ["const"] = choice.Names[0] }
                : new JsonObject { ["enum"] = Strings(choice.Names) },
            DurationFormat duration => new JsonObject
            {
                ["anyOf"] = new JsonArray(
                    Bounded(new JsonObject { ["type"] = "number" }, duration.Min, duration.Max),
                    new JsonObject { ["type"] = "string", ["pattern"] = ScenarioFormat.DurationPattern }),
            },
            ClockTimeFormat => new JsonObject { ["type"] = "string", ["pattern"] = ScenarioFormat.ClockTimePattern },
            IntegerFormat integer => Bounded(new JsonObject { ["type"] = "integer" }, integer.Min, integer.Max),
            NumberFormat number => Bounded(new JsonObject { ["type"] = "number" }, number.Min, number.Max),
            BooleanFormat => new JsonObject { ["type"] = "boolean" },
            NoneFormat => new JsonObject { ["const"] = "none" },
            ListFormat list => List(list),
            MapOfFormat mapOf => MapOf(mapOf),
            OneOfFormat { Name: { } name } oneOf => Reference(name, () => Described(oneOf.Description, AnyOf(oneOf.Forms))),
            OneOfFormat oneOf => AnyOf(oneOf.Forms),
            MapFormat map => Reference(map.Name, () => Map(map)),
            MapReference reference => Reference(reference.Name, () => Map(reference.Map())),
            VariantFormat variants => Reference(variants.Name, () => Variants(variants)),
            _ => throw new ArgumentException($"no JSON Schema for {format.GetType().Name}", nameof(format)),
        };

        public JsonObject Map(MapFormat map)
        {
            var properties = new JsonObject();
            foreach (var key in map.Keys)
            {
                properties[key.Name] = Key(key);
            }
            var schema = new JsonObject
            {
                ["type"] = "object",
                ["description"] = map.Description,
                ["properties"] = properties,
            };
            if (map.RequiredKeys.Count > 0)
            {
                schema["required"] = Strings(map.RequiredKeys);
            }
            schema["additionalProperties"] = false;
            foreach (var rule in map.Rules.OfType<ExactlyOneOf>())
            {
                // One rule of this kind per map: the format never needs two.
                schema.Add("oneOf", new JsonArray([.. rule.Keys.Select(k => new JsonObject { ["required"] = Strings([k]) })]));
            }
            foreach (var rule in map.Rules.OfType<AtLeastOneOf>())
            {
                // One rule of this kind per map, like ExactlyOneOf.
                schema.Add("anyOf", new JsonArray([.. rule.Keys.Select(k => new JsonObject { ["required"] = Strings([k]) })]));
            }
            var requires = map.Rules.OfType<KeyRequires>().ToList();
            if (requires.Count > 0)
            {
                var dependent = new JsonObject();
                foreach (var rule in requires)
                {
                    dependent[rule.Key] = Strings(rule.Others);
                }
                schema["dependentRequired"] = dependent;
            }
            var excludes = map.Rules.OfType<KeyExcludes>().ToList();
            if (excludes.Count > 0)
            {
                var dependent = new JsonObject();
                foreach (var rule in excludes)
                {
                    dependent[rule.Key] = new JsonObject
                    {
                        ["not"] = new JsonObject { ["anyOf"] = new JsonArray([.. rule.Others.Select(k => new JsonObject { ["required"] = Strings([k]) })]) },
                    };
                }
                schema["dependentSchemas"] = dependent;
            }
            return schema;
        }

        private JsonObject Key(KeyFormat key)
        {
            var value = Value(key.Format);
            if (key.Nullable)
            {
                // An empty value means the default: null is one more form.
                var forms = value.Count == 1 && value["anyOf"] is JsonArray alternatives
                    ? [.. alternatives.Select(a => a!.DeepClone())]
                    : new List<JsonNode> { value };
                value = new JsonObject { ["anyOf"] = new JsonArray([new JsonObject { ["type"] = "null" }, .. forms]) };
            }
            return Described(key.Description, value);
        }

        private JsonObject Variants(VariantFormat variants)
        {
            var discriminator = variants.Discriminator;
            return new JsonObject
            {
                ["type"] = "object",
                ["description"] = variants.Description,
                ["properties"] = new JsonObject { [discriminator] = new JsonObject { ["enum"] = Strings(variants.Names) } },
                ["required"] = Strings([discriminator]),
                ["allOf"] = new JsonArray([.. variants.Variants.Select(variant => new JsonObject
                {
                    ["if"] = new JsonObject
                    {
                        ["properties"] = new JsonObject { [discriminator] = new JsonObject { ["const"] = variants.VariantName(variant) } },
                        ["required"] = Strings([discriminator]),
                    },
                    ["then"] = Value(variant),
                })]),
            };
        }

        private JsonObject Reference(string name, Func<JsonObject> definition)
        {
            if (_written.Add(name))
            {
                // Reserved before it is written: a definition may refer to itself through its parts.
                definitions[name] = null;
                definitions[name] = definition();
            }
            return new JsonObject { ["$ref"] = "#/$defs/" + name };
        }

        private JsonObject AnyOf(IReadOnlyList<ValueFormat> forms) => new() { ["anyOf"] = new JsonArray([.. forms.Select(Value)]) };

        private static JsonObject Text(TextFormat text)
        {
            // The reader reads any single value as text: a plain 2020 or true is a name too.
            var schema = new JsonObject { ["type"] = Strings(["string", "number", "boolean"]) };
            if (text.MinLength > 0)
            {
                schema["minLength"] = text.MinLength;
            }
            if (text.MaxLength is { } max)
            {
                schema["maxLength"] = max;
            }
            if (text.Pattern is { } pattern)
            {
                schema["pattern"] = pattern;
            }
            return schema;
        }

        private JsonObject List(ListFormat list)
        {
            var schema = new JsonObject { ["type"] = "array", ["items"] = Value(list.Item) };
            if (list.MinItems > 0)
            {
                schema["minItems"] = list.MinItems;
            }
            if (list.MaxItems is { } max)
            {
                schema["maxItems"] = max;
            }
            if (list.UniqueItems)
            {
                schema["uniqueItems"] = true;
            }
            return schema;
        }

        private JsonObject MapOf(MapOfFormat mapOf)
        {
            var schema = new JsonObject { ["type"] = "object", ["additionalProperties"] = Value(mapOf.Value) };
            if (mapOf.MinEntries > 0)
            {
                schema["minProperties"] = mapOf.MinEntries;
            }
            if (mapOf.MaxEntries is { } max)
            {
                schema["maxProperties"] = max;
            }
            if (mapOf.MaxKeyLength is { } keyLength)
            {
                schema["propertyNames"] = new JsonObject { ["maxLength"] = keyLength };
            }
            return schema;
        }

        private static JsonObject Bounded(JsonObject schema, Bound? min, Bound? max)
        {
            if (min is { } lower)
            {
                schema[lower.Inclusive ? "minimum" : "exclusiveMinimum"] = Number(lower.Value);
            }
            if (max is { } upper)
            {
                schema[upper.Inclusive ? "maximum" : "exclusiveMaximum"] = Number(upper.Value);
            }
            return schema;
        }

        private static JsonNode Number(double value) =>
            Math.Floor(value) == value && Math.Abs(value) < 1e15 ? JsonValue.Create((long)value) : JsonValue.Create(value);

        private static JsonObject Described(string description, JsonObject schema)
        {
            var described = new JsonObject { ["description"] = description };
            foreach (var (key, value) in schema)
            {
                described[key] = value?.DeepClone();
            }
            return described;
        }

        private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
    }
}
