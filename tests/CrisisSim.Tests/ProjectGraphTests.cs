using System.Text.RegularExpressions;
using CrisisSim.Testing;

namespace CrisisSim.Tests;

/// <summary>The projects reference exactly what docs/architecture.md says each may reference: a new reference is a
/// decision written in the doc first, not a drift.</summary>
public sealed partial class ProjectGraphTests
{
    [GeneratedRegex(@"^\| `(?<project>CrisisSim\.[A-Za-z.]+)` \| (?<refs>[^|]*) \|", RegexOptions.Multiline)]
    private static partial Regex DocRow();

    [GeneratedRegex(@"ProjectReference Include=""[^""]*?(?<name>CrisisSim\.[A-Za-z.]+)\.csproj""")]
    private static partial Regex Reference();

    private static Dictionary<string, string[]> Documented()
    {
        var doc = File.ReadAllText(Path.Combine(Repo.Root, "docs", "architecture.md"));
        var section = doc[doc.IndexOf("## Projects", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        return DocRow().Matches(section).ToDictionary(
            m => m.Groups["project"].Value,
            m => m.Groups["refs"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Where(r => r != "none").Select(r => r.Trim('`')).Order(StringComparer.Ordinal).ToArray());
    }

    private static Dictionary<string, string[]> Actual() =>
        new[] { "src", "sims" }
            .SelectMany(folder => Directory.GetFiles(Path.Combine(Repo.Root, folder), "*.csproj", SearchOption.AllDirectories))
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(
                p => Path.GetFileNameWithoutExtension(p),
                p => Reference().Matches(File.ReadAllText(p)).Select(m => m.Groups["name"].Value).Order(StringComparer.Ordinal).ToArray());

    [Fact]
    public void Every_project_references_what_the_architecture_doc_allows_and_nothing_else()
    {
        var documented = Documented();
        var actual = Actual();
        Assert.Equal(actual.Keys.Order(StringComparer.Ordinal), documented.Keys.Order(StringComparer.Ordinal));
        foreach (var (project, references) in actual)
        {
            Assert.True(documented[project].SequenceEqual(references),
                $"{project} references {string.Join(", ", references)}; docs/architecture.md allows {string.Join(", ", documented[project])}");
        }
    }

    [Fact]
    public void The_model_references_no_other_project_and_no_package_but_the_maths()
    {
        var project = File.ReadAllText(Path.Combine(Repo.Root, "src", "CrisisSim.Model", "CrisisSim.Model.csproj"));
        Assert.DoesNotMatch(Reference(), project);
        var packages = Regex.Matches(project, @"PackageReference Include=""(?<name>[^""]+)""").Select(m => m.Groups["name"].Value);
        Assert.All(packages, p => Assert.True(p is "MathNet.Numerics" or "Microsoft.CodeAnalysis.BannedApiAnalyzers", $"the model references {p}"));
    }
}
