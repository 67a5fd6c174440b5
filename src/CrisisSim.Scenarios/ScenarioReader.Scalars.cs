using System.Globalization;
using System.Text.RegularExpressions;
using CrisisSim.Model.Scenario;
using YamlDotNet.RepresentationModel;

namespace CrisisSim.Scenarios;

/// <summary>Shared reading of maps, keys and scalars (text, numbers, integers, durations, times of day), and the
/// error collection every section reports through.</summary>
internal sealed partial class ScenarioReader
{
    /// <summary>Seconds after midnight of a time of day written HH:MM or HH:MM:SS; null when it is not one.</summary>
    private static double? ParseClock(string text)
    {
        var parts = text.Split(':');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length != 2 || !p.All(char.IsAsciiDigit)))
        {
            return null;
        }
        var h = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        var m = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        var sec = parts.Length == 3 ? int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) : 0;
        return h < 24 && m < 60 && sec < 60 ? h * 3600 + m * 60 + sec : null;
    }

    private bool? Boolean(YamlNode node, string path)
    {
        if (TryPlain(node, out var text))
        {
            switch (text)
            {
                case "true" or "True" or "TRUE":
                    return true;
                case "false" or "False" or "FALSE":
                    return false;
            }
        }
        Error(node, path, $"expected true or false, found {Describe(node)}");
        return null;
    }

    /// <summary>A list of call types or groups within its count limit, and within the per-interval values limit.</summary>
    private bool WithinCount(YamlNode node, string path, string what, ValueFormat format)
    {
        if (node is not YamlSequenceNode sequence)
        {
            return true;
        }
        var count = sequence.Children.Count;
        if (!WithinMostItems(node, path, count, format))
        {
            return false;
        }
        if ((long)count * _intervalCount > ScenarioLimits.MaxCells)
        {
            Error(node, path, Inv(
                $"{count:N0} {what} x {_intervalCount:N0} intervals = {(long)count * _intervalCount:N0} per-interval values; the limit is {ScenarioLimits.MaxCells:N0}"));
            return false;
        }
        return true;
    }

    private List<T> ReadList<T>(YamlNode node, string path, string what, Func<YamlNode, string, T?> readItem)
        where T : class
    {
        var items = new List<T>();
        if (node is not YamlSequenceNode sequence)
        {
            Error(node, path, $"expected a list of {what}s (items starting with '- '), found {Describe(node)}");
            return items;
        }
        if (sequence.Children.Count == 0)
        {
            Error(node, path, $"must hold at least one {what}");
        }
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (readItem(sequence.Children[i], Inv($"{path}[{i}]")) is { } item)
            {
                items.Add(item);
            }
        }
        return items;
    }

    // ---- keys and scalars ----

    /// <summary>The keys of a map, checked against <paramref name="format"/>: unknown keys and missing required keys are
    /// reported. Without a format (a surge or distribution before its variant is known, routing settings) any key is
    /// taken.</summary>
    private FieldSet? Fields(YamlNode node, string path, string what, MapFormat? format)
    {
        if (node is not YamlMappingNode map)
        {
            Error(node, path, $"expected a map of keys for {what}, found {Describe(node)}");
            return null;
        }
        var fields = new FieldSet(map, format, _keyRead);
        foreach (var (keyNode, valueNode) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key } || IsNull(keyNode))
            {
                Error(keyNode, path, $"keys must be plain names, found {Describe(keyNode)}");
                continue;
            }
            if (format is not null && !format.Has(key))
            {
                Error(keyNode, Join(path, key), $"unknown key; allowed keys: {string.Join(", ", format.KeyNames)}");
                continue;
            }
            fields.Add(key, keyNode, valueNode);
        }
        if (format is not null)
        {
            MissingKeys(fields, format, path);
        }
        return fields;
    }

    /// <summary>Narrows a map read without a format to the variant its discriminator names (<paramref name="discriminator"/>,
    /// read already), or to a mixture: reports the keys it does not have with <paramref name="unknownKey"/> and the
    /// required keys missing. False when a key was unknown.</summary>
    private bool Restrict(FieldSet fields, MapFormat format, string path, string unknownKey, string? discriminator = null)
    {
        var ok = true;
        foreach (var (key, keyNode) in fields.Keys)
        {
            if (!format.Has(key))
            {
                Error(keyNode, Join(path, key), unknownKey);
                ok = false;
            }
        }
        fields.Restrict(format);
        if (discriminator is not null)
        {
            _keyRead?.Invoke(format.Name, discriminator);
        }
        MissingKeys(fields, format, path);
        return ok;
    }

    private void MissingKeys(FieldSet fields, MapFormat format, string path)
    {
        foreach (var key in format.RequiredKeys)
        {
            if (!fields.Contains(key))
            {
                Error(fields.Map, Join(path, key), "missing required key");
            }
        }
    }

    /// <summary>The key that selects a map's variant (<c>shape</c>, <c>dist</c>); null, reported, when it is missing.</summary>
    private YamlNode? Discriminator(FieldSet fields, VariantFormat variants, string path)
    {
        var node = fields.Get(variants.Discriminator);
        if (node is null)
        {
            Error(fields.Map, Join(path, variants.Discriminator), "missing required key");
        }
        return node;
    }

    private static IReadOnlyList<string> Choices(MapFormat map, string key) => ((ChoiceFormat)map.Key(key).Format).Names;

    /// <summary><c>a, b and c</c>.</summary>
    private static string Enumerate(IReadOnlyList<string> names) =>
        names.Count <= 1 ? string.Join("", names) : string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1];

    /// <summary>A name used in folder names, stream names and reports.</summary>
    private string? Name(FieldSet fields, string key, string parentPath)
    {
        var path = Join(parentPath, key);
        if (fields.Get(key) is not { } node || Text(node, path) is not { } name)
        {
            return null;
        }
        if (name.Length == 0 || name.Length > ScenarioFormat.MaxNameLength || !char.IsAsciiLetterOrDigit(name[0])
            || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            Error(node, path, Inv($"'{Shorten(name)}' is not a valid name: use 1 to {ScenarioFormat.MaxNameLength} letters, digits, '.', '_' or '-', starting with a letter or digit"));
            return null;
        }
        return name;
    }

    private string? Text(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: { } value } && !IsNull(node))
        {
            return value;
        }
        Error(node, path, $"expected text, found {Describe(node)}");
        return null;
    }

    private double? Number(YamlNode node, string path, string what = "a number")
    {
        if (!TryPlain(node, out var text) || !TryParseNumber(text, out var value))
        {
            Error(node, path, $"expected {what}, found {Describe(node)}");
            return null;
        }
        if (!double.IsFinite(value))
        {
            Error(node, path, $"must be a finite number, found {Describe(node)}");
            return null;
        }
        return value;
    }

    private int? Integer(YamlNode node, string path, string what = "an integer")
    {
        if (!TryPlain(node, out var text))
        {
            Error(node, path, $"expected {what}, found {Describe(node)}");
            return null;
        }
        if (int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        if (TryParseNumber(text, out var number))
        {
            // 1e3 or 14.0 name an integer; 14.5 does not.
            if (Math.Floor(number) == number && number is >= int.MinValue and <= int.MaxValue)
            {
                return (int)number;
            }
            var detail = what == "an integer" ? "" : $" ({what})";
            Error(node, path, $"must be an integer{detail}, found {Describe(node)}");
            return null;
        }
        Error(node, path, $"expected {what}, found {Describe(node)}");
        return null;
    }

    /// <summary>The duration under <paramref name="key"/> of <paramref name="fields"/>, within the bounds the format
    /// gives the key; null when it is absent or wrong (then reported in the format's words).</summary>
    private double? BoundedDuration(FieldSet fields, string key, string path) =>
        fields.Get(key) is { } node && Duration(node, Join(path, key)) is { } value && WithinBounds(node, Join(path, key), value, fields.KeyFormat(key))
            ? value
            : null;

    /// <summary>The number under <paramref name="key"/>, within the bounds the format gives it; null when absent or
    /// wrong.</summary>
    private double? BoundedNumber(FieldSet fields, string key, string path) =>
        fields.Get(key) is { } node && Number(node, Join(path, key)) is { } value && WithinBounds(node, Join(path, key), value, fields.KeyFormat(key))
            ? value
            : null;

    /// <summary>The integer under <paramref name="key"/>, within the bounds the format gives it; null when absent or
    /// wrong.</summary>
    private int? BoundedInteger(FieldSet fields, string key, string path) =>
        fields.Get(key) is { } node && Integer(node, Join(path, key)) is { } value && WithinBounds(node, Join(path, key), value, fields.KeyFormat(key))
            ? value
            : null;

    /// <summary>Whether <paramref name="value"/> is within the bounds of <paramref name="format"/>; if not, reports it in
    /// the format's words.</summary>
    private bool WithinBounds(YamlNode node, string path, double value, ValueFormat format)
    {
        var bounded = format as BoundedFormat
            ?? throw new InvalidOperationException($"{path} has no bounds in ScenarioFormat ({format.GetType().Name})");
        var words = bounded.Words
            ?? throw new InvalidOperationException($"{path} has no words for its bounds in ScenarioFormat");
        if (!bounded.AboveMin(value))
        {
            Error(node, path, Say(words.BelowMin, bounded.Min?.Value, bounded.Max?.Value, value));
            return false;
        }
        if (words.AboveMax is { } above && !bounded.BelowMax(value))
        {
            Error(node, path, Say(above, bounded.Min?.Value, bounded.Max?.Value, value));
            return false;
        }
        return true;
    }

    /// <summary>The words with <c>{min}</c>, <c>{max}</c> and <c>{value}</c> filled in (see <see cref="BoundWords"/>).</summary>
    private static string Say(string words, double? min, double? max, double value) =>
        WordsPlaceholder().Replace(words, match =>
        {
            var number = match.Groups[1].Value switch
            {
                "min" => min,
                "max" => max,
                _ => value,
            } ?? throw new InvalidOperationException($"'{words}' names a bound the format does not have");
            var spec = match.Groups[2].Success ? match.Groups[2].Value : null;
            return spec == "s" ? FormatSeconds(number) : number.ToString(spec, CultureInfo.InvariantCulture);
        });

    /// <summary>Whether a list of <paramref name="count"/> items is within the most items of its format; if not, reports
    /// it in the format's words.</summary>
    private bool WithinMostItems(YamlNode node, string path, int count, ValueFormat format)
    {
        var list = format as ListFormat ?? throw new InvalidOperationException($"{path} is not a list in ScenarioFormat");
        if (list.MaxItems is { } max && count > max)
        {
            Error(node, path, Say(list.TooMany ?? throw new InvalidOperationException($"{path} has no words for its length in ScenarioFormat"), null, max, count));
            return false;
        }
        return true;
    }

    [GeneratedRegex(@"\{(min|max|value)(?::([^}]+))?\}")]
    private static partial Regex WordsPlaceholder();

    /// <summary>A duration in seconds: a plain number of seconds, or a number followed by s, m, h or d.</summary>
    private double? Duration(YamlNode node, string path)
    {
        const string Expected = "expected a duration such as 90s, 3m, 1.5h, 2d or a number of seconds";
        if (node is not YamlScalarNode { Value: { } text } scalar || IsNull(node))
        {
            Error(node, path, $"{Expected}, found {Describe(node)}");
            return null;
        }
        double seconds;
        if (TryPlain(node, out var plain) && TryParseNumber(plain, out var number))
        {
            seconds = number;
        }
        else if (!IsStringTagged(scalar) && Durations.TryParseWithUnit(text, out var parsed))
        {
            seconds = parsed;
        }
        else
        {
            Error(node, path, $"{Expected}, found {Describe(node)}");
            return null;
        }
        if (!double.IsFinite(seconds))
        {
            Error(node, path, $"must be a finite duration, found {Describe(node)}");
            return null;
        }
        return seconds;
    }

    /// <summary>The text of an untagged plain scalar: the only kind that YAML reads as a number.</summary>
    private static bool TryPlain(YamlNode node, out string text)
    {
        if (node is YamlScalarNode { Value: { } value, Style: YamlDotNet.Core.ScalarStyle.Plain } scalar
            && !IsStringTagged(scalar) && !IsNull(node))
        {
            text = value;
            return true;
        }
        text = "";
        return false;
    }

    private static bool TryParseNumber(string text, out double value) => Durations.TryParseNumber(text, out value);

    private static bool IsStringTagged(YamlScalarNode scalar) =>
        !scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value == "tag:yaml.org,2002:str";

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any } scalar
        && !IsStringTagged(scalar)
        && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a map",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar when IsNull(scalar) => "an empty value",
        YamlScalarNode { Value: { } value, Style: YamlDotNet.Core.ScalarStyle.Plain } => $"'{Shorten(value)}'",
        YamlScalarNode { Value: { } value, Style: YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted }
            => $"the quoted text '{Shorten(value)}'",
        YamlScalarNode { Value: { } value } => $"the text '{Shorten(value)}'",
        _ => "an alias",
    };

    private static string Shorten(string text)
    {
        var line = (text.Length <= 41 ? text : text[..41]).ReplaceLineEndings(" ");
        return line.Length <= 40 ? line : line[..37] + "...";
    }

    private static string FormatSeconds(double seconds) =>
        seconds < 1e9 ? Inv($"{seconds:0.###}s") : Inv($"{seconds:0.##e0}s");

    /// <summary>A number of calls, invariant culture: <c>50,000,000</c>, <c>1e308</c>; <paramref name="times"/> multiplies
    /// it without overflowing to infinity.</summary>
    private static string Count(double value, double times = 1)
    {
        var product = value * times;
        if (double.IsFinite(product))
        {
            return product < 1e9 ? Inv($"{product:#,0.##}") : Inv($"{product:0.##e0}");
        }
        if (!double.IsFinite(value))
        {
            return "more than 1.8e308";
        }
        var log = Math.Log10(value) + Math.Log10(times);
        var exponent = Math.Floor(log);
        return Inv($"{Math.Pow(10, log - exponent):0.##}e{exponent}");
    }

    /// <summary>At most ten names, then how many more.</summary>
    private static string Names(IEnumerable<string> names)
    {
        var list = names.Take(11).ToList();
        return list.Count <= 10 ? string.Join(", ", list) : string.Join(", ", list.Take(10)) + " …";
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    private static int Line(YamlNode node) => ScenarioLoader.Position(node.Start.Line);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The valid keys of one map, in file order.</summary>
    /// <remarks>Looking up a key that the map's format does not have is a mistake in the reader, never in the file: it
    /// throws, so that the reader cannot read a key the format (and so the JSON Schema) does not describe.</remarks>
    private sealed class FieldSet(YamlMappingNode map, MapFormat? format, Action<string, string>? keyRead)
    {
        private readonly Dictionary<string, YamlNode> _values = new(StringComparer.Ordinal);
        private readonly List<(string Key, YamlNode KeyNode)> _keys = [];

        public YamlMappingNode Map { get; } = map;

        public MapFormat? Format { get; private set; } = format;

        /// <summary>The format of one key of the map (known once the map's format is).</summary>
        public ValueFormat KeyFormat(string key) =>
            (Format ?? throw new InvalidOperationException($"The format of '{key}' is not known before its map's")).Key(key).Format;

        public void Restrict(MapFormat variant) => Format = variant;

        public bool Contains(string key) => _values.ContainsKey(key);

        public IReadOnlyList<(string Key, YamlNode KeyNode)> Keys => _keys;

        public void Add(string key, YamlNode keyNode, YamlNode value)
        {
            if (_values.TryAdd(key, value))
            {
                _keys.Add((key, keyNode));
            }
        }

        public YamlNode? Get(string key)
        {
            if (Format is { } format)
            {
                if (!format.Has(key))
                {
                    throw new InvalidOperationException($"The reader looks up '{key}' in {format.Name}, which ScenarioFormat does not describe");
                }
                keyRead?.Invoke(format.Name, key);
            }
            return _values.GetValueOrDefault(key);
        }
    }
}
