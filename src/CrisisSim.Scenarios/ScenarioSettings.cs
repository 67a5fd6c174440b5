using System.Globalization;
using CrisisSim.Model.Scenario;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CrisisSim.Scenarios;

/// <summary>A value given to one key of a scenario file from outside the file, such as
/// <c>groups.provider.staffing</c> = <c>40</c>.</summary>
/// <param name="Key">A path of keys separated by dots. A key of a map is its name; an item of a list is its index
/// (from 0) or, for a list of named maps (<c>callTypes</c>, <c>groups</c>, <c>numbers</c>, <c>playbook</c>), its
/// <c>name</c>: <c>callTypes.info.arrivals.surges.0.multiplier</c>, <c>playbook.activate-provider.when.queueAbove</c>.</param>
/// <param name="Value">YAML text of the value: a scalar (<c>40</c>, <c>2h</c>), a flow list (<c>[10, 20]</c>) or a flow
/// map (<c>{ delay: 1h }</c>).</param>
public sealed record ScenarioSetting(string Key, string Value)
{
    public override string ToString() => Key + "=" + Value;
}

/// <summary>Loads a scenario with some of its values replaced: the settings edit the parsed YAML tree, then the usual
/// reader validates the result, so every key of the format can be set and every value is checked as if it had been
/// written in the file. Errors name the file and the position of the key set, and say which setting gave the value.</summary>
public static class ScenarioSettings
{
    /// <summary>Longest key path and longest value text of one setting.</summary>
    public const int MaxKeyLength = 1_000;

    public const int MaxValueLength = 100_000;

    public static ScenarioDefinition LoadFile(string path, IReadOnlyList<ScenarioSetting> settings) =>
        Parse(ReadFile(path), path ?? "", settings);

    /// <summary>The text of a scenario file, with the loader's checks (a regular file, at most 16 MiB, UTF-8);
    /// problems raise <see cref="ScenarioException"/>.</summary>
    public static string ReadFile(string path) => ScenarioLoader.ReadText(path ?? "");

    /// <summary>The scenario of <paramref name="yamlText"/> with <paramref name="settings"/> applied in order.</summary>
    public static ScenarioDefinition Parse(string yamlText, string fileName, IReadOnlyList<ScenarioSetting> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        fileName ??= "";
        var stream = ScenarioLoader.ParseYaml(yamlText, fileName);
        if (settings.Count == 0)
        {
            return new ScenarioReader(fileName).Read(stream);
        }
        var applied = Apply(stream, fileName, settings);
        try
        {
            return new ScenarioReader(fileName).Read(stream);
        }
        catch (ScenarioException ex)
        {
            throw new ScenarioException([.. ex.Errors.Select(e => Attribute(e, applied))], ex);
        }
    }

    /// <summary>A duration as the scenario format writes it: seconds (<c>90</c>) or a number with a unit (<c>90s</c>,
    /// <c>3m</c>, <c>1.5h</c>, <c>2d</c>); finite and at least 0.</summary>
    public static bool TryParseDuration(string text, out double seconds)
    {
        seconds = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        return Durations.TryParseFinite(text, out seconds) && seconds >= 0;
    }

    /// <summary>Checks that <paramref name="setting"/> is well formed (key and value syntax), without a scenario.</summary>
    /// <returns>null when it is, otherwise the problem.</returns>
    public static string? Check(ScenarioSetting setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        if (SplitKey(setting.Key) is { Error: { } keyError })
        {
            return keyError;
        }
        try
        {
            ParseValue(setting);
            return null;
        }
        catch (SettingException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>Where a setting went: the reader's path of the key (<c>groups[1].staffing</c>) and the position in the
    /// file of the key (or of the map it was added to).</summary>
    /// <param name="CreatedPath">The first map the setting had to create on its way to the key (null: none), reported at
    /// <paramref name="CreatedAt"/>, the position of the map it was added to.</param>
    private sealed record Applied(ScenarioSetting Setting, string ReaderPath, Mark Position, string? CreatedPath = null, Mark CreatedAt = default);

    private static List<Applied> Apply(YamlStream stream, string fileName, IReadOnlyList<ScenarioSetting> settings)
    {
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ScenarioException(new ScenarioError(fileName, 1, 1, "", "the file holds no map of keys to set values in"));
        }
        var applied = new List<Applied>();
        foreach (var setting in settings)
        {
            try
            {
                applied.Add(ApplyOne(root, setting));
            }
            catch (SettingException ex)
            {
                throw new ScenarioException(new ScenarioError(fileName, ScenarioLoader.Position(ex.At.Line), ScenarioLoader.Position(ex.At.Column),
                    setting.Key, ex.Message + Inv($" (setting {Shorten(setting.ToString())})")));
            }
        }
        return applied;
    }

    private static Applied ApplyOne(YamlMappingNode root, ScenarioSetting setting)
    {
        var (segments, keyError) = SplitKey(setting.Key);
        if (keyError is not null)
        {
            throw new SettingException(keyError, root.Start);
        }
        var value = ParseValue(setting);
        YamlNode node = root;
        var path = "";
        var shown = "";
        string? createdPath = null;
        var createdAt = Mark.Empty;
        Applied Done(string readerPath, Mark position) => new(setting, readerPath, position, createdPath, createdAt);
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var last = i == segments.Length - 1;
            shown = shown.Length == 0 ? segment : shown + "." + segment;
            switch (node)
            {
                case YamlMappingNode map:
                {
                    var keyNode = new YamlScalarNode(segment);
                    path = path.Length == 0 ? segment : path + "." + segment;
                    var anchor = map.Children.Keys.FirstOrDefault(k => k is YamlScalarNode { Value: { } v } && v == segment);
                    if (last)
                    {
                        if (anchor is not null && map.Children[anchor] is YamlScalarNode old && value is YamlScalarNode scalar)
                        {
                            // Keep the node, and so its position in the file, for the reader's messages.
                            old.Value = scalar.Value;
                            old.Style = scalar.Style;
                            return Done(path, old.Start);
                        }
                        if (anchor is not null)
                        {
                            var position = map.Children[anchor].Start;
                            map.Children[anchor] = value;
                            return Done(path, position);
                        }
                        map.Children.Add(keyNode, value);
                        return Done(path, createdPath is null ? map.Start : createdAt);
                    }
                    if (anchor is null)
                    {
                        var created = new YamlMappingNode();
                        map.Children.Add(keyNode, created);
                        if (createdPath is null)
                        {
                            (createdPath, createdAt) = (path, map.Start);
                        }
                        node = created;
                    }
                    else if (map.Children[anchor] is YamlScalarNode existing)
                    {
                        if (!IsNull(existing))
                        {
                            throw NotAContainer(shown, existing);
                        }
                        // An empty value (`activation:`) becomes the map the next keys go into.
                        var created = new YamlMappingNode();
                        if (createdPath is null)
                        {
                            (createdPath, createdAt) = (path, existing.Start);
                        }
                        map.Children[anchor] = created;
                        node = created;
                    }
                    else
                    {
                        node = map.Children[anchor];
                    }
                    break;
                }
                case YamlSequenceNode list:
                {
                    var index = ItemIndex(list, segment, shown);
                    path += Inv($"[{index}]");
                    if (last)
                    {
                        var position = list.Children[index].Start;
                        if (list.Children[index] is YamlScalarNode old && value is YamlScalarNode scalar)
                        {
                            old.Value = scalar.Value;
                            old.Style = scalar.Style;
                            return Done(path, position);
                        }
                        list.Children[index] = value;
                        return Done(path, position);
                    }
                    if (list.Children[index] is YamlScalarNode item)
                    {
                        throw NotAContainer(shown, item);
                    }
                    node = list.Children[index];
                    break;
                }
            }
        }
        throw new SettingException("empty key", root.Start);
    }

    /// <summary>The item of <paramref name="list"/> named by <paramref name="segment"/>: an index from 0, or the value of
    /// the item's <c>name</c> key.</summary>
    private static int ItemIndex(YamlSequenceNode list, string segment, string shown)
    {
        if (int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            if (index < list.Children.Count)
            {
                return index;
            }
            throw new SettingException(Inv($"{shown}: the list has {list.Children.Count} item(s), numbered from 0"), list.Start);
        }
        var names = new List<string>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            if (list.Children[i] is YamlMappingNode item
                && item.Children.TryGetValue(new YamlScalarNode("name"), out var nameNode)
                && nameNode is YamlScalarNode { Value: { } name })
            {
                if (name == segment)
                {
                    return i;
                }
                names.Add(name);
            }
        }
        var known = names.Count == 0 ? "its items have no name: use an index from 0" : "names: " + string.Join(", ", names.Take(10)) + (names.Count > 10 ? " …" : "");
        throw new SettingException(Inv($"{shown}: no item named '{Shorten(segment)}' in this list ({known})"), list.Start);
    }

    private static (string[] Segments, string? Error) SplitKey(string key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return ([], "the key is empty: write KEY=VALUE, such as groups.operators.staffing=40");
        }
        if (key.Length > MaxKeyLength)
        {
            return ([], Inv($"the key is {key.Length:N0} characters long; the limit is {MaxKeyLength:N0}"));
        }
        var segments = key.Split('.');
        if (segments.Any(s => s.Length == 0 || s.Any(char.IsWhiteSpace)))
        {
            return ([], $"'{Shorten(key)}' is not a key path: names separated by single dots, without spaces");
        }
        return (segments, null);
    }

    private static YamlNode ParseValue(ScenarioSetting setting)
    {
        var text = setting.Value ?? "";
        if (text.Trim().Length == 0)
        {
            throw new SettingException($"no value given for {Shorten(setting.Key)}", Mark.Empty);
        }
        if (text.Length > MaxValueLength)
        {
            throw new SettingException(Inv($"the value is {text.Length:N0} characters long; the limit is {MaxValueLength:N0}"), Mark.Empty);
        }
        var stream = new YamlStream();
        try
        {
            stream.Load(new DepthLimitedParser(new Parser(new StringReader(text)), 16, 1_000_000));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new SettingException($"the value '{Shorten(text)}' is not valid YAML: {ex.Message}", Mark.Empty);
        }
        if (stream.Documents.Count != 1)
        {
            throw new SettingException($"the value '{Shorten(text)}' must be one YAML value", Mark.Empty);
        }
        return stream.Documents[0].RootNode;
    }

    /// <summary>An error of the reader about a value that a setting gave: reported at the key's position in the file,
    /// with the setting.</summary>
    private static ScenarioError Attribute(ScenarioError error, IReadOnlyList<Applied> applied)
    {
        static bool Within(string key, string path) =>
            key == path || key.StartsWith(path + ".", StringComparison.Ordinal) || key.StartsWith(path + "[", StringComparison.Ordinal);
        Applied? match = null;
        var at = Mark.Empty;
        var matched = -1;
        foreach (var a in applied)
        {
            if (Within(error.Key, a.ReaderPath) && a.ReaderPath.Length >= matched)
            {
                (match, at, matched) = (a, a.Position, a.ReaderPath.Length);
            }
            else if (a.CreatedPath is { } created && Within(error.Key, created) && created.Length >= matched)
            {
                (match, at, matched) = (a, a.CreatedAt, created.Length);
            }
        }
        return match is null
            ? error
            : error with
            {
                Line = ScenarioLoader.Position(at.Line),
                Column = ScenarioLoader.Position(at.Column),
                Reason = error.Reason + Inv($" (value set by {Shorten(match.Setting.ToString())})"),
            };
    }

    private static SettingException NotAContainer(string shown, YamlScalarNode value) =>
        new(Inv($"{shown} is a value ('{Shorten(value.Value ?? "")}'), not a map or a list: set {shown} as a whole"), value.Start);

    private static bool IsNull(YamlScalarNode node) =>
        node.Style == ScalarStyle.Plain && node.Value is null or "" or "~" or "null" or "Null" or "NULL";

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class SettingException(string message, Mark at) : Exception(message)
    {
        public Mark At { get; } = at;
    }
}
