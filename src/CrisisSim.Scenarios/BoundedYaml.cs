using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CrisisSim.Scenarios;

/// <summary>Loads small YAML files other than scenarios (such as a contract file) with the scenario loader's
/// protections: nesting at most 64 levels, a bounded number of nodes, no aliases. Problems raise
/// <see cref="YamlException"/> with the position.</summary>
public static class BoundedYaml
{
    public static YamlStream Load(string text, int maxNodes = 1_000_000)
    {
        var stream = new YamlStream();
        stream.Load(new DepthLimitedParser(new Parser(new StringReader(text ?? "")), 64, maxNodes));
        return stream;
    }
}
