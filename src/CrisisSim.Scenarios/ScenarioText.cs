using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace CrisisSim.Scenarios;

/// <summary>Edits of a scenario file's text that keep everything else as written (comments, order, layout).</summary>
public static class ScenarioText
{
    /// <summary>The text with the staffing of some groups replaced by one value per interval: the group's
    /// <c>staffing</c> value becomes the list, and a group scheduled by <c>shifts</c> gets a <c>staffing</c> list in their
    /// place.</summary>
    /// <param name="staffing">Operators per interval, by group name.</param>
    public static string WithStaffing(string yamlText, string fileName, IReadOnlyDictionary<string, IReadOnlyList<int>> staffing)
    {
        ArgumentNullException.ThrowIfNull(staffing);
        yamlText ??= "";
        // Validates the text within the loader's limits first; the spans are then read from the parser's events.
        ScenarioLoader.ParseYaml(yamlText, fileName);
        var offset = yamlText.StartsWith('\uFEFF') ? 1 : 0;
        var root = Span.Read(yamlText.TrimStart('\uFEFF'));
        if (root?.Get("groups") is not { Kind: SpanKind.List } groups)
        {
            throw new ScenarioException(new ScenarioError(fileName, 1, 1, "groups", "the file has no list of groups"));
        }
        var edits = new List<(long From, long To, string Text)>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in groups.Items)
        {
            if (item.Get("name") is not { Kind: SpanKind.Scalar, Value: { } name }
                || !staffing.TryGetValue(name, out var values)
                || !done.Add(name))
            {
                continue;
            }
            var list = "[" + string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]";
            var staffingEntry = item.Entry("staffing");
            var shiftsEntry = item.Entry("shifts");
            if (staffingEntry is { } st)
            {
                edits.Add((st.Key.End, st.Value.End, ": " + list));
            }
            if (shiftsEntry is { } sh)
            {
                edits.Add((sh.Key.Start, sh.Value.End, staffingEntry is null ? "staffing: " + list : ""));
            }
            if (staffingEntry is null && shiftsEntry is null)
            {
                throw new ScenarioException(new ScenarioError(fileName, item.Line, item.Column, "groups." + name, "the group has neither staffing nor shifts"));
            }
        }
        var missing = staffing.Keys.Where(k => !done.Contains(k)).ToList();
        if (missing.Count > 0)
        {
            throw new ScenarioException(new ScenarioError(fileName, groups.Line, groups.Column, "groups", "no group named " + string.Join(", ", missing)));
        }
        var text = new StringBuilder(yamlText);
        foreach (var (from, to, replacement) in edits.OrderByDescending(e => e.From))
        {
            text.Remove((int)from + offset, (int)(to - from));
            text.Insert((int)from + offset, replacement);
        }
        return text.ToString();
    }

    private enum SpanKind
    {
        Scalar,
        List,
        Map,
    }

    /// <summary>A node of the YAML text with where its text starts and ends (character indices). A block list or map
    /// ends with its last item, not at the next key (where the parser's end mark lies, past the line break).</summary>
    private sealed class Span
    {
        public SpanKind Kind { get; private init; }
        public long Start { get; private set; }
        public long End { get; private set; }
        public int Line { get; private init; }
        public int Column { get; private init; }
        public string? Value { get; private init; }
        public List<Span> Items { get; } = [];
        public List<(Span Key, Span Value)> Entries { get; } = [];

        public Span? Get(string key) => Entry(key)?.Value;

        public (Span Key, Span Value)? Entry(string key)
        {
            foreach (var e in Entries)
            {
                if (e.Key is { Kind: SpanKind.Scalar, Value: { } v } && v == key)
                {
                    return e;
                }
            }
            return null;
        }

        public static Span? Read(string text)
        {
            var parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            if (!parser.TryConsume<DocumentStart>(out _))
            {
                return null;
            }
            return Node(parser, text);
        }

        /// <summary>Just past the bracket that closes a flow list or map: the parser's mark of its end event points at
        /// the bracket itself.</summary>
        private static long Closing(string text, long at, char bracket)
        {
            var i = text.IndexOf(bracket, (int)Math.Min(at, text.Length));
            return i < 0 ? at : i + 1;
        }

        private static Span Node(IParser parser, string text)
        {
            var e = parser.Current ?? throw new InvalidOperationException("unexpected end of the YAML events");
            parser.MoveNext();
            switch (e)
            {
                case Scalar scalar:
                    return new Span { Kind = SpanKind.Scalar, Start = e.Start.Index, End = e.End.Index, Line = (int)e.Start.Line, Column = (int)e.Start.Column, Value = scalar.Value };
                case SequenceStart start:
                {
                    var span = new Span { Kind = SpanKind.List, Start = e.Start.Index, Line = (int)e.Start.Line, Column = (int)e.Start.Column };
                    while (parser.Current is not SequenceEnd)
                    {
                        span.Items.Add(Node(parser, text));
                    }
                    var end = parser.Current;
                    parser.MoveNext();
                    span.End = start.Style == SequenceStyle.Flow || span.Items.Count == 0 ? Closing(text, end.Start.Index, ']') : span.Items[^1].End;
                    return span;
                }
                case MappingStart start:
                {
                    var span = new Span { Kind = SpanKind.Map, Start = e.Start.Index, Line = (int)e.Start.Line, Column = (int)e.Start.Column };
                    while (parser.Current is not MappingEnd)
                    {
                        var key = Node(parser, text);
                        span.Entries.Add((key, Node(parser, text)));
                    }
                    var end = parser.Current;
                    parser.MoveNext();
                    span.End = start.Style == MappingStyle.Flow || span.Entries.Count == 0 ? Closing(text, end.Start.Index, '}') : span.Entries[^1].Value.End;
                    return span;
                }
                default:
                    // Aliases are refused by the loader before this runs.
                    throw new InvalidOperationException($"unexpected YAML event {e.GetType().Name}");
            }
        }
    }
}
