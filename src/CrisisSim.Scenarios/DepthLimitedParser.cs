using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace CrisisSim.Scenarios;

/// <summary>Stops at a nesting depth no scenario needs: the YAML representation model recurses once per level, and a
/// deeply nested file would otherwise overflow the stack, which no catch can handle.</summary>
internal sealed class DepthLimitedParser(IParser inner, int maxDepth) : IParser
{
    private int _depth;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
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
        }
        return true;
    }
}
