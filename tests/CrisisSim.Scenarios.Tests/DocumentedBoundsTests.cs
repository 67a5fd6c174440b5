using System.Globalization;
using System.Text.RegularExpressions;

namespace CrisisSim.Scenarios.Tests;

/// <summary>The key tables of <c>scenarios/README.md</c> and the keys' descriptions state the bounds that
/// <see cref="ScenarioFormat"/> gives: a bound changed in the format and not in the documentation fails here.</summary>
public sealed class DocumentedBoundsTests
{
    [Fact]
    public void Every_upper_bound_of_the_format_is_stated_where_the_readme_documents_its_key()
    {
        var rows = File.ReadAllLines(Path.Combine(RepositoryFiles.ScenariosFolder, "README.md"))
            .Where(line => line.StartsWith('|'))
            .ToList();
        var missing = new List<string>();
        foreach (var map in ScenarioFormat.Maps)
        {
            foreach (var key in map.Keys)
            {
                if (Upper(key.Format) is not { } bound)
                {
                    continue;
                }
                var keyRows = rows.Where(r => Regex.IsMatch(r, $@"`([^`\s]*\.)?{key.Name}(\[[^`]*)?`")).ToList();
                if (!keyRows.Any(r => States(r, bound.Renderings)))
                {
                    missing.Add($"{map.Name}.{key.Name}: at most {bound.Renderings[0]}");
                }
            }
        }
        Assert.True(missing.Count == 0, "bounds not stated in scenarios/README.md: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_upper_bound_of_the_format_is_stated_in_its_keys_description()
    {
        var missing = ScenarioFormat.Maps
            .SelectMany(map => map.Keys.Select(key => (map, key, bound: Upper(key.Format))))
            .Where(x => x.bound is { } bound && !States(x.key.Description, bound.Renderings)
                && !UnstatedInDescription.Contains($"{x.map.Name}.{x.key.Name}"))
            .Select(x => $"{x.map.Name}.{x.key.Name}: at most {x.bound!.Value.Renderings[0]}")
            .ToList();
        Assert.True(missing.Count == 0, "bounds not stated in the keys' descriptions: " + string.Join(", ", missing));
    }

    /// <summary>Descriptions (written into the committed JSON Schema) that leave their bound to the README: the count of
    /// numbers, balking's probability, and the calls per interval bounded by the calls of a whole replication.</summary>
    private static readonly HashSet<string> UnstatedInDescription = ["scenario.numbers", "callType.balking", "arrivals.callsPerInterval"];

    private static bool States(string text, IEnumerable<string> renderings) =>
        renderings.Any(r => Regex.IsMatch(text, $@"(?<![\d.,]){Regex.Escape(r)}(?!\d|[.,]\d)"));

    /// <summary>The upper bound of a value (a list's most items), written the ways the documentation writes it; none
    /// where a rule across keys bounds the value more closely (the reader has no words for the bound as such).</summary>
    private static (double Value, string[] Renderings)? Upper(ValueFormat format) => format switch
    {
        BoundedFormat { Words: { AboveMax: null } } => null,
        DurationFormat { Max: { } max } => (max.Value, Seconds(max.Value)),
        NumberFormat { Max: { } max } => (max.Value, Number(max.Value)),
        IntegerFormat { Max: { } max } when max.Value < int.MaxValue => (max.Value, Number(max.Value)),
        ListFormat { MaxItems: { } most } => (most, Number(most)),
        // One value or one per interval: the value's bound (the list's length is the number of intervals).
        OneOfFormat oneOf => oneOf.Forms.Where(f => f is not ListFormat).Select(Upper).FirstOrDefault(u => u is not null),
        _ => null,
    };

    private static string[] Number(double value) =>
        [value.ToString("N0", CultureInfo.InvariantCulture), value.ToString(CultureInfo.InvariantCulture)];

    private static string[] Seconds(double seconds)
    {
        var list = new List<string> { Inv($"{seconds}s"), Inv($"{seconds} s") };
        if (seconds % 86400 == 0)
        {
            list.AddRange([Inv($"{seconds / 86400} days"), Inv($"{seconds / 86400}d")]);
        }
        if (seconds % 3600 == 0)
        {
            list.AddRange([Inv($"{seconds / 3600} h"), Inv($"{seconds / 3600}h")]);
        }
        list.Reverse();
        return [.. list];
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
