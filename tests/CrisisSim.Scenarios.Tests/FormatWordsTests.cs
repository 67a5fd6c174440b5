using System.Text.RegularExpressions;

namespace CrisisSim.Scenarios.Tests;

/// <summary>The reader's messages for values beyond a bound come from <see cref="ScenarioFormat"/>: the words of each key
/// name only the bounds its format has.</summary>
public sealed partial class FormatWordsTests
{
    [Fact]
    public void The_words_of_every_bound_name_only_bounds_the_format_has()
    {
        var wrong = new List<string>();
        foreach (var (path, format) in Formats())
        {
            switch (format)
            {
                case BoundedFormat { Words: { } words } bounded:
                    wrong.AddRange(Check(path, words.BelowMin, bounded.Min is not null, bounded.Max is not null));
                    if (words.AboveMax is { } above)
                    {
                        wrong.AddRange(Check(path, above, bounded.Min is not null, bounded.Max is not null));
                        if (bounded.Max is null)
                        {
                            wrong.Add($"{path}: words for an upper bound it does not have");
                        }
                    }
                    break;
                case ListFormat { TooMany: { } tooMany } list:
                    wrong.AddRange(Check(path, tooMany, false, list.MaxItems is not null));
                    if (list.MaxItems is null)
                    {
                        wrong.Add($"{path}: words for a length limit it does not have");
                    }
                    break;
            }
        }
        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    [Fact]
    public void The_bounds_the_reader_checks_in_the_formats_words_are_many()
    {
        // A guard against words silently dropped from the format: the reader throws on a checked key without words.
        var withWords = Formats().Count(f => f.Format is BoundedFormat { Words: not null } or ListFormat { TooMany: not null });
        Assert.True(withWords >= 50, $"only {withWords} keys carry the reader's words");
    }

    [Theory]
    [InlineData("drain: 5h", "drain: 8d", 6, "drain", "is 691200s; the limit is 604800s (7 days)")]
    [InlineData("drain: 5h", "drain: -1s", 6, "drain", "must be a duration >= 0")]
    [InlineData("intervals: 4", "intervals: 0", 3, "intervals", "must be an integer >= 1")]
    [InlineData("threshold: 20s", "threshold: 31d", 8, "serviceLevel.threshold", "must be a duration from 0 to 2592000s")]
    [InlineData("staffing: 2", "staffing: 100001", 17, "groups[0].staffing", "is 100,001 operators; the limit is 100,000 per group")]
    public void A_value_beyond_a_bound_is_refused_in_the_formats_words(string line, string replacement, int lineNumber, string key, string reason)
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(Valid.Replace(line, replacement, StringComparison.Ordinal), "t.yaml"));
        var error = Assert.Single(ex.Errors);
        Assert.Equal((lineNumber, key, reason), (error.Line, error.Key, error.Reason));
    }

    private const string Valid = """
        name: test
        interval: 30m
        intervals: 4
        warmup: 0
        onset: 0
        drain: 5h
        serviceLevel:
          threshold: 20s
        callTypes:
          - name: info
            arrivals:
              callsPerInterval: 10
            handleTime: { dist: exponential, mean: 3m }
        groups:
          - name: agents
            serves: [info]
            staffing: 2

        """;

    private static IEnumerable<string> Check(string path, string words, bool hasMin, bool hasMax)
    {
        foreach (Match match in Placeholder().Matches(words))
        {
            var name = match.Groups[1].Value;
            if (name is not ("min" or "max" or "value"))
            {
                yield return $"{path}: '{{{name}}}' in \"{words}\" is not min, max or value";
            }
            else if (name == "min" && !hasMin || name == "max" && !hasMax)
            {
                yield return $"{path}: \"{words}\" names {name}, which the format does not have";
            }
        }
    }

    /// <summary>Every value format of the scenario format, with the path of keys that leads to it.</summary>
    private static List<(string Path, ValueFormat Format)> Formats()
    {
        var found = new List<(string, ValueFormat)>();
        var seen = new HashSet<MapFormat>(ReferenceEqualityComparer.Instance);
        void Visit(string path, ValueFormat format)
        {
            found.Add((path, format));
            switch (format)
            {
                case MapFormat map when seen.Add(map):
                    foreach (var key in map.Keys)
                    {
                        Visit(map.Name + "." + key.Name, key.Format);
                    }
                    break;
                case VariantFormat variants:
                    foreach (var variant in variants.Variants)
                    {
                        Visit(path, variant);
                    }
                    break;
                case OneOfFormat oneOf:
                    foreach (var form in oneOf.Forms)
                    {
                        Visit(path, form);
                    }
                    break;
                case ListFormat list:
                    Visit(path + "[]", list.Item);
                    break;
                case MapOfFormat mapOf:
                    Visit(path + ".*", mapOf.Value);
                    break;
            }
        }
        Visit("scenario", ScenarioFormat.Scenario);
        return found;
    }

    [GeneratedRegex(@"\{(\w+)(?::[^}]+)?\}")]
    private static partial Regex Placeholder();
}
