using YamlDotNet.Core;

namespace CrisisSim.Scenarios.Tests;

/// <summary>Whatever the text, the loader returns a scenario or throws <see cref="ScenarioException"/>, never anything else.</summary>
public sealed class MalformedInputTests
{
    private static readonly string[] Tokens =
    [
        "-", "- ", ":", ": ", "[", "]", "{", "}", ",", "#", "&a ", "*a", "!!str ", "!!int ", "!custom ", "'", "\"", "\n",
        "\r\n", "  ", "\t", "~", "null", "none", "-1", "0", ".inf", ".nan", "1e999", "2.5", "99999999999999999999", "x",
        "? ", "|\n", ">\n", "%YAML 1.2\n", "---\n", "...\n", "<<: ", "\\", "\u00e9", "\uFEFF", "\0", "3m", "1.5h",
        "dist: ", "values: ", "callsPerHour: ", "name: ", "serves: [", "staffing: [",
    ];

    public static TheoryData<string> ValidTexts() => new(
        "covid-hotline.yaml",
        "erlang-a-textbook.yaml");

    [Theory]
    [MemberData(nameof(ValidTexts))]
    public void Every_prefix_of_a_valid_file_loads_or_throws_ScenarioException(string file)
    {
        var text = File.ReadAllText(RepositoryFiles.Scenario(file));

        for (var length = 0; length <= text.Length; length++)
        {
            AssertLoadsOrThrowsScenarioException(text[..length]);
        }
    }

    [Fact]
    public void Random_edits_of_a_valid_file_load_or_throw_ScenarioException()
    {
        var texts = new[]
        {
            File.ReadAllText(RepositoryFiles.Scenario("covid-hotline.yaml")),
            File.ReadAllText(RepositoryFiles.Scenario("bench/w.yaml")),
        };
        var random = new Random(20200224);

        for (var i = 0; i < 1000; i++)
        {
            var text = texts[i % texts.Length];
            var edits = random.Next(1, 4);
            for (var e = 0; e < edits; e++)
            {
                text = Mutate(text, random);
            }
            AssertLoadsOrThrowsScenarioException(text);
        }
    }

    [Theory]
    [InlineData("a: &x [ *x ]\n")]
    [InlineData("name: &x { a: *x }\ninterval: *x\n")]
    [InlineData("callTypes: &c\n  - *c\n")]
    [InlineData("? [a, b]\n: c\n")]
    [InlineData("!!binary aGVsbG8=")]
    [InlineData("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]")]
    [InlineData("\0\0\0")]
    [InlineData("%TAG ! tag:example.com,2000:\n--- !foo\nname: x\n")]
    [InlineData("name: x\n...\n---\n")]
    [InlineData("intervals: 1000000\ninterval: 1s\ncallTypes:\n  - name: a\n    arrivals: { callsPerInterval: 1 }\n")]
    public void Odd_yaml_loads_or_throws_ScenarioException(string text)
    {
        AssertLoadsOrThrowsScenarioException(text);
    }

    [Fact]
    public void Deep_nesting_is_refused_instead_of_overflowing_the_stack()
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(new string('[', 200_000) + new string(']', 200_000), "deep.yaml"));

        Assert.Equal((1, 65), (ex.Line, ex.Column));
        Assert.Equal("invalid YAML: nesting deeper than 64 levels of lists and maps", ex.Reason);
    }

    [Fact]
    public void Null_arguments_throw_ScenarioException()
    {
        Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(null!, null!));
        Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadFile(null!));
        Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadFile(""));
        Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadFile("bad\0path.yaml"));
    }

    private static string Mutate(string text, Random random)
    {
        var at = random.Next(text.Length + 1);
        switch (random.Next(5))
        {
            case 0:
                return text.Remove(at, random.Next(Math.Min(20, text.Length - at) + 1));
            case 1:
            case 2:
                return text.Insert(at, Tokens[random.Next(Tokens.Length)]);
            case 3:
                var lines = text.Split('\n');
                var line = random.Next(lines.Length);
                lines[line] = random.Next(2) == 0 ? "  " + lines[line] : lines[line].TrimStart();
                return string.Join('\n', lines);
            default:
                var all = text.Split('\n').ToList();
                var from = random.Next(all.Count);
                all.Insert(random.Next(all.Count + 1), all[from]);
                return string.Join('\n', all);
        }
    }

    private static void AssertLoadsOrThrowsScenarioException(string text)
    {
        try
        {
            var scenario = ScenarioLoader.Parse(text, "fuzz.yaml");
            Assert.NotNull(scenario);
        }
        catch (ScenarioException ex)
        {
            Assert.NotEmpty(ex.Errors);
            // Every problem in a text has a position; an inner exception only ever comes from the YAML parser.
            Assert.All(ex.Errors, e => Assert.True(e.Line >= 1 && e.Column >= 1, $"no position in '{e}' for:\n{text}"));
            if (ex.InnerException is { } inner)
            {
                Assert.True(inner is YamlException || inner.TargetSite?.DeclaringType?.Assembly == typeof(YamlException).Assembly,
                    $"unexpected {inner} for:\n{text}");
            }
        }
        catch (Exception ex)
        {
            Assert.Fail($"{ex.GetType().Name} escaped: {ex}\nfor:\n{text}");
        }
    }
}
