using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace CrisisSim.Scenarios;

/// <summary>Stops at a nesting depth no scenario needs, at more values (nodes) than a scenario within
/// <see cref="CrisisSim.Model.Scenario.ScenarioLimits"/> holds, and at aliases.</summary>
/// <remarks>The YAML representation model recurses once per level, and a deeply nested file would otherwise overflow the
/// stack, which no catch can handle. An alias (<c>*name</c>) repeats a node without repeating its text, so a small file
/// of aliases to aliases could ask the reader for unbounded work: scenarios write every value out instead.</remarks>
internal sealed class DepthLimitedParser(IParser inner, int maxDepth, int maxNodes) : IParser
{
    private int _depth;
    private int _nodes;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }
        if (inner.Current is NodeEvent && ++_nodes > maxNodes)
        {
            // The representation model keeps ~150 bytes per node: bound it below what the file size allows.
            throw new YamlException(inner.Current.Start, inner.Current.End,
                string.Create(CultureInfo.InvariantCulture, $"more than {maxNodes:N0} values, lists and maps in one file"));
        }
        switch (inner.Current)
        {
            case MappingStart or SequenceStart:
                _depth++;
                if (_depth > maxDepth)
                {
                    throw new YamlException(inner.Current.Start, inner.Current.End,
                        $"nesting deeper than {maxDepth} levels of lists and maps");
                }
                break;
            case MappingEnd or SequenceEnd:
                _depth--;
                break;
            case AnchorAlias alias:
                var name = alias.Value.Value;
                throw new YamlException(alias.Start, alias.End,
                    $"aliases (*{(name.Length <= 40 ? name : name[..37] + "...")}) are not supported in scenario files; write the value out");
        }
        return true;
    }
}
