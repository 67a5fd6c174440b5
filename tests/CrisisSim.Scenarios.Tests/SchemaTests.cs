using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CrisisSim.Scenarios.Tests;

/// <summary>The JSON Schema of scenario files (scenarios/crisissim.schema.json) and the reader come from one
/// description, <see cref="ScenarioFormat"/>: the committed schema is the generated one, the reader reads every key of
/// the description and no other, and the reader and the schema (evaluated by JsonSchema.Net) accept and refuse the
/// same files, key by key and bound by bound, on a scenario that holds every key (Corpus/all-keys.yaml).</summary>
public sealed class SchemaTests
{
    private const string RegenerateCommand = "dotnet run --project sims/CrisisSim.Cli -- schema --out scenarios/crisissim.schema.json";

    private static readonly string SchemaFile = Path.Combine(RepositoryFiles.ScenariosFolder, "crisissim.schema.json");

    private static readonly string CorpusFolder = Path.Combine(AppContext.BaseDirectory, "Corpus");

    private static readonly string AllKeys = File.ReadAllText(Path.Combine(CorpusFolder, "all-keys.yaml"));

    public static TheoryData<string> ScenarioFiles() => new(
        Directory.EnumerateFiles(RepositoryFiles.ScenariosFolder, "*.yaml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepositoryFiles.ScenariosFolder, f))
            .Order(StringComparer.Ordinal));

    /// <summary>The corpus files the reader loads (first line <c># expect: ok</c>); the others are refused on purpose.</summary>
    public static TheoryData<string> ValidCorpusFiles() => new(
        Directory.EnumerateFiles(CorpusFolder, "*.yaml")
            .Where(f => File.ReadLines(f).First() == "# expect: ok")
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)!);

    [Fact]
    public void The_committed_schema_is_the_one_the_format_gives()
    {
        var committed = File.ReadAllText(SchemaFile);

        Assert.True(committed == ScenarioSchema.Text(), $"scenarios/crisissim.schema.json is not the schema ScenarioFormat gives: run {RegenerateCommand}");
        Assert.DoesNotContain('\r', committed);
    }

    [Theory]
    [MemberData(nameof(ScenarioFiles))]
    public void Every_scenario_file_validates_against_the_schema_and_names_it_for_editors(string relativePath)
    {
        var path = RepositoryFiles.Scenario(relativePath);
        var text = File.ReadAllText(path);

        Assert.Null(SchemaValidator.Errors(text));
        var modeline = File.ReadLines(path).First();
        const string Prefix = "# yaml-language-server: $schema=";
        Assert.StartsWith(Prefix, modeline);
        var schema = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, modeline[Prefix.Length..]));
        Assert.Equal(Path.GetFullPath(SchemaFile), schema);
    }

    [Theory]
    [MemberData(nameof(ValidCorpusFiles))]
    public void Every_corpus_file_the_reader_loads_validates_against_the_schema(string name)
    {
        var text = File.ReadAllText(Path.Combine(CorpusFolder, name));

        ScenarioLoader.Parse(text, name);
        Assert.Null(SchemaValidator.Errors(text));
    }

    [Fact]
    public void The_reader_reads_every_key_of_the_format_and_no_other()
    {
        var read = new HashSet<(string Map, string Key)>();
        var files = Directory.EnumerateFiles(RepositoryFiles.ScenariosFolder, "*.yaml", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(CorpusFolder, "*.yaml"));
        foreach (var file in files)
        {
            try
            {
                ScenarioLoader.Parse(File.ReadAllText(file), file, (map, key) => read.Add((map, key)));
            }
            catch (ScenarioException)
            {
                // The corpus holds files refused on purpose: the keys read before are counted all the same.
            }
        }

        var described = ScenarioFormat.Maps.SelectMany(m => m.KeyNames.Select(k => (m.Name, k))).ToHashSet();
        Assert.Empty(described.Except(read).Select(x => $"{x.Item1}.{x.Item2}: described, never read"));
        Assert.Empty(read.Except(described).Select(x => $"{x.Item1}.{x.Item2}: read, not described"));
    }

    [Fact]
    public void Every_key_and_word_of_the_format_is_documented_in_the_scenarios_readme()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryFiles.ScenariosFolder, "README.md"));
        var words = ScenarioFormat.Maps.SelectMany(m => m.Keys)
            .SelectMany(k => k.Format is ChoiceFormat choice ? choice.Names.Prepend(k.Name) : [k.Name])
            .Distinct();

        // As `key`, or at the end of a path (`numbers[].hours`), or indexed (`probabilities[k-1]`).
        var undocumented = words.Where(w => !System.Text.RegularExpressions.Regex.IsMatch(readme, $@"`([^`\s]*\.)?{w}(\[[^`]*)?`")).ToList();
        Assert.True(undocumented.Count == 0, "not in scenarios/README.md: " + string.Join(", ", undocumented));
    }

    [Fact]
    public void The_schema_has_each_map_with_exactly_its_keys_and_required_keys()
    {
        var schema = ScenarioSchema.Build();
        var definitions = schema["$defs"]!.AsObject();

        Assert.Equal(ScenarioSchema.Draft, (string?)schema["$schema"]);
        foreach (var map in ScenarioFormat.Maps)
        {
            var definition = map == ScenarioFormat.Scenario ? schema : definitions[map.Name]!.AsObject();
            Assert.Equal(map.KeyNames, definition["properties"]!.AsObject().Select(p => p.Key));
            Assert.Equal(map.RequiredKeys, definition["required"]?.AsArray().Select(r => (string)r!) ?? []);
            Assert.False((bool)definition["additionalProperties"]!);
        }
        Assert.Equal(ScenarioFormat.SurgeShapes.Names, definitions["surge"]!["properties"]!["shape"]!["enum"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(ScenarioFormat.SimpleDistribution.Names, definitions["simpleDistribution"]!["properties"]!["dist"]!["enum"]!.AsArray().Select(n => (string)n!));
    }

    [Fact]
    public void The_tour_of_every_key_holds_every_map_and_is_valid_for_both()
    {
        var walk = FormatWalk.Of(YamlJson.Parse(AllKeys));

        Assert.Empty(ReaderErrors(AllKeys));
        Assert.Null(SchemaValidator.Errors(AllKeys));
        // Every map of the format appears in the tour.
        Assert.Equal(ScenarioFormat.Maps.Select(m => m.Name).Order(), walk.Maps.Select(m => m.Format.Name).Distinct().Order());
    }

    [Fact]
    public void An_unknown_key_or_a_missing_required_key_is_refused_by_both_in_every_map()
    {
        var failures = new List<string>();
        var maps = FormatWalk.Of(YamlJson.Parse(AllKeys)).Maps;
        for (var i = 0; i < maps.Count; i++)
        {
            var site = maps[i];
            var index = i;
            BothRefuse($"{site.Path}: unknown key zzz", Mutate(w => w.Maps[index].Node.Add("zzz", "1")), failures);
            foreach (var key in site.Format.RequiredKeys)
            {
                BothRefuse($"{site.Path}: without {key}", Mutate(w => w.Maps[index].Node.Children.Remove(new YamlScalarNode(key))), failures);
            }
        }

        Assert.True(maps.Count > 30);
        Assert.Empty(failures);
    }

    [Fact]
    public void A_value_beyond_its_bound_is_refused_by_both_and_a_value_at_it_accepted_by_both()
    {
        var failures = new List<string>();
        var sites = FormatWalk.Of(YamlJson.Parse(AllKeys)).Scalars;
        var probed = 0;
        for (var i = 0; i < sites.Count; i++)
        {
            var (min, max, integer) = sites[i].Format switch
            {
                NumberFormat n => (n.Min, n.Max, false),
                IntegerFormat n => (n.Min, n.Max, true),
                DurationFormat d => (d.Min, d.Max, false),
                _ => (null, null, false),
            };
            foreach (var (bound, lower) in new[] { (min, true), (max, false) })
            {
                if (bound is not { } b)
                {
                    continue;
                }
                probed++;
                var step = integer ? 1 : Math.Max(1e-6, Math.Abs(b.Value) * 1e-6);
                var outside = !b.Inclusive ? b.Value : lower ? b.Value - step : b.Value + step;
                var index = i;
                BothRefuse($"{sites[i].Path}: {Number(outside)}", Mutate(w => Set(w.Scalars[index], Number(outside))), failures);
                if (b.Inclusive)
                {
                    var yaml = Mutate(w => Set(w.Scalars[index], Number(b.Value)));
                    // The reader may refuse it for another key (a sum over keys, sd against mean): not for this one.
                    var refusedHere = ReaderErrors(yaml).Where(e => e.Key == sites[index].Path).ToList();
                    var schemaErrors = SchemaValidator.Errors(yaml);
                    if (refusedHere.Count > 0 || schemaErrors is not null)
                    {
                        failures.Add($"{sites[i].Path}: {Number(b.Value)} at its bound: reader {string.Join("; ", refusedHere)}; schema {schemaErrors}");
                    }
                }
            }
        }

        Assert.True(probed > 60, $"{probed} bounds probed");
        Assert.Empty(failures);
    }

    [Fact]
    public void A_list_shorter_or_longer_than_its_bounds_is_refused_by_both()
    {
        var failures = new List<string>();
        var lists = FormatWalk.Of(YamlJson.Parse(AllKeys)).Lists;
        for (var i = 0; i < lists.Count; i++)
        {
            var index = i;
            var format = lists[i].Format;
            // Lists of up to 10,000 call types or 100,000 values per interval would make the test slow: their
            // bounds are ScenarioLimits constants, written as they are.
            if (format.MaxItems is { } max && max <= 1000)
            {
                BothRefuse($"{lists[i].Path}: {max + 1} items", Mutate(w =>
                {
                    var items = w.Lists[index].Node.Children;
                    var last = items[^1];
                    while (items.Count <= max)
                    {
                        items.Add(last);
                    }
                }), failures);
            }
            if (format.MinItems > 0)
            {
                BothRefuse($"{lists[i].Path}: {format.MinItems - 1} items", Mutate(w =>
                {
                    var items = w.Lists[index].Node.Children;
                    while (items.Count >= format.MinItems)
                    {
                        items.RemoveAt(items.Count - 1);
                    }
                }), failures);
            }
        }

        Assert.True(lists.Count > 10, $"{lists.Count} lists probed");
        Assert.Empty(failures);
    }

    [Fact]
    public void A_value_of_the_wrong_kind_is_refused_by_both()
    {
        var failures = new List<string>();
        var sites = FormatWalk.Of(YamlJson.Parse(AllKeys)).Scalars;
        for (var i = 0; i < sites.Count; i++)
        {
            var index = i;
            if (sites[i].Format is not TextFormat)
            {
                BothRefuse($"{sites[i].Path}: zzz", Mutate(w => Set(w.Scalars[index], "zzz")), failures);
                BothRefuse($"{sites[i].Path}: a list", Mutate(w => w.Scalars[index].Parent.Children[w.Scalars[index].KeyNode] = new YamlSequenceNode()), failures);
            }
            if (sites[i].Format is IntegerFormat)
            {
                BothRefuse($"{sites[i].Path}: 1.5", Mutate(w => Set(w.Scalars[index], "1.5")), failures);
            }
            if (sites[i].Format is ClockTimeFormat)
            {
                BothRefuse($"{sites[i].Path}: 24:00", Mutate(w => Set(w.Scalars[index], "24:00")), failures);
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void Every_word_the_format_allows_is_accepted_by_the_reader_and_the_schema()
    {
        var failures = new List<string>();
        var sites = FormatWalk.Of(YamlJson.Parse(AllKeys)).Scalars;
        var probed = 0;
        for (var i = 0; i < sites.Count; i++)
        {
            if (sites[i].Format is not ChoiceFormat { Names.Count: > 1 } choice)
            {
                continue;
            }
            foreach (var name in choice.Names)
            {
                probed++;
                var index = i;
                var yaml = Mutate(w => Set(w.Scalars[index], name));
                // Another word may need other keys (a routing policy its settings): only this key must be accepted.
                var refused = ReaderErrors(yaml).Where(e => e.Key == sites[index].Path).ToList();
                if (refused.Count > 0)
                {
                    failures.Add($"{sites[i].Path}: {name}: {string.Join("; ", refused)}");
                }
            }
        }

        Assert.True(probed >= 10, $"{probed} words probed");
        Assert.Empty(failures);
    }

    private const string Base = """
        name: base
        interval: 30m
        intervals: 2
        serviceLevel: { threshold: 20s }
        callTypes:
          - name: info
            arrivals: { callsPerInterval: 10 }
            handleTime: { dist: exponential, mean: 3m }
        groups:
          - name: agents
            serves: [info]
            staffing: 5

        """;

    [Theory]
    [InlineData("intervals: 2", "intervals: 2\nintervalls: 2", "intervalls")]
    [InlineData("serviceLevel: { threshold: 20s }", "serviceLevel: { target: 0.8 }", "serviceLevel.threshold")]
    [InlineData("    handleTime: { dist: exponential, mean: 3m }", "    handleTime: { dist: weibull, mean: 3m }", "callTypes[0].handleTime.dist")]
    [InlineData("    handleTime: { dist: exponential, mean: 3m }", "    handleTime: { dist: exponential, mean: 3m, sd: 1m }", "callTypes[0].handleTime.sd")]
    [InlineData("intervals: 2", "intervals: 2\nrouting: random", "routing")]
    [InlineData("intervals: 2", "intervals: 2\nrouting: { policy: fifo, assembly: x.dll, type: X.Y }", "routing.policy")]
    [InlineData("intervals: 2", "intervals: 2\nrouting: { type: X.Y }", "routing.assembly")]
    [InlineData("intervals: 2", "intervals: 2\nrouting: { settings: { a: 1 } }", "routing")]
    [InlineData("intervals: 2", "intervals: 2\nbusyness: { alpha: 10, per: week }", "busyness.per")]
    [InlineData("    staffing: 5", "    staffing: 5\n    shifts: [{ start: \"08:00\", end: \"16:00\", operators: 5 }]", "groups[0].shifts")]
    [InlineData("    staffing: 5", "", "groups[0].staffing")]
    [InlineData("    serves: [info]", "    serves: [info, info]", "groups[0].serves[1]")]
    [InlineData("    staffing: 5", "    staffing: 5\n    learning: { initial: 1.5, halfLife: 1h, halfLifeCalls: 10 }", "groups[0].learning.halfLifeCalls")]
    [InlineData("    staffing: 5", "    staffing: 5\n    learning: { initial: 1.5 }", "groups[0].learning.halfLife")]
    [InlineData("    arrivals: { callsPerInterval: 10 }", "    arrivals: { callsPerInterval: 10, callsPerHour: 20 }", "callTypes[0].arrivals")]
    [InlineData("    arrivals: { callsPerInterval: 10 }", "    arrivals: { busyness: false }", "callTypes[0].arrivals")]
    [InlineData("    arrivals: { callsPerInterval: 10 }", "    arrivals: { csv: rates.csv, surges: [{ shape: step, at: 0, multiplier: 2 }] }", "callTypes[0].arrivals.surges")]
    [InlineData("    arrivals: { callsPerInterval: 10 }", "    arrivals: { callsPerInterval: 10, surges: [{ shape: decay, at: 0, multiplier: 2, halfLife: 1h, over: 1h }] }", "callTypes[0].arrivals.surges[0].over")]
    [InlineData("    arrivals: { callsPerInterval: 10 }", "    arrivals: { callsPerInterval: 10 }\n    outbound: { deadline: 4h }\n    patience: { dist: exponential, mean: 2m }", "callTypes[0].patience")]
    [InlineData("    arrivals: { callsPerInterval: 10 }", "    arrivals: { callsPerInterval: 10 }\n    patience: { mixture: [{ share: 1, dist: { mixture: [{ share: 1, dist: { dist: exponential, mean: 1m } }] } }] }", "callTypes[0].patience.mixture[0].dist.mixture")]
    [InlineData("    arrivals: { callsPerInterval: 10 }", "    arrivals: { callsPerInterval: 10 }\n    patience: \"\"", "callTypes[0].patience")]
    [InlineData("    arrivals: { callsPerInterval: 10 }", "    arrivals: { callsPerInterval: 10 }\n    priority: \"1\"", "callTypes[0].priority")]
    [InlineData("interval: 30m", "interval: \"1800\"", "interval")]
    [InlineData("interval: 30m", "interval: 30 minutes", "interval")]
    [InlineData("interval: 30m", "interval: .inf", "interval")]
    [InlineData("name: base", "name: -base", "name")]
    [InlineData("name: base", "name: \"\"", "name")]
    public void A_snippet_the_reader_refuses_the_schema_refuses_too(string line, string replacement, string key)
    {
        Assert.Empty(ReaderErrors(Base));
        Assert.Null(SchemaValidator.Errors(Base));
        Assert.Contains(line + "\n", Base);
        var yaml = Base.Replace(line + "\n", replacement.Length == 0 ? "" : replacement + "\n", StringComparison.Ordinal);

        Assert.Contains(ReaderErrors(yaml), e => e.Key == key);
        Assert.NotNull(SchemaValidator.Errors(yaml));
    }

    [Theory]
    [InlineData("interval: 30m", "interval: 1800")]
    [InlineData("interval: 30m", "interval: \"30m\"")]
    [InlineData("interval: 30m", "interval: 0.5h")]
    [InlineData("interval: 30m", "interval: 1.8e3")]
    [InlineData("name: base", "name: 2020")]
    [InlineData("intervals: 2", "intervals: 2.0")]
    [InlineData("intervals: 2", "intervals: 2\nstart: \"23:59:59\"")]
    [InlineData("intervals: 2", "intervals: 2\ndescription:")]
    [InlineData("intervals: 2", "intervals: 2\nnumbers: ~")]
    [InlineData("    arrivals: { callsPerInterval: 10 }", "    arrivals: { callsPerInterval: [10, 12] }\n    patience: none")]
    [InlineData("    arrivals: { callsPerInterval: 10 }", "    arrivals: { callsPerInterval: 10, busyness: False }\n    patience:")]
    [InlineData("    serves: [info]", "    serves: { info: 1e0 }")]
    public void A_snippet_the_reader_accepts_the_schema_accepts_too(string line, string replacement)
    {
        var yaml = Base.Replace(line + "\n", replacement + "\n", StringComparison.Ordinal);

        Assert.NotEqual(Base, yaml);
        Assert.Empty(ReaderErrors(yaml));
        Assert.Null(SchemaValidator.Errors(yaml));
    }

    [Fact]
    public async Task The_schema_command_prints_the_schema_or_writes_it_to_a_file()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, await Cli.CliApp.InvokeAsync(["schema"], output, error));
        Assert.Equal(ScenarioSchema.Text(), output.ToString());
        Assert.Equal("", error.ToString());

        var folder = Directory.CreateTempSubdirectory("crisissim-schema-");
        try
        {
            var file = Path.Combine(folder.FullName, "scenario.schema.json");
            Assert.Equal(0, await Cli.CliApp.InvokeAsync(["schema", "--out", file], new StringWriter(), error));
            Assert.Equal(ScenarioSchema.Text(), File.ReadAllText(file));
            Assert.NotNull(JsonNode.Parse(File.ReadAllText(file)));

            var unwritable = new StringWriter();
            Assert.Equal(Cli.CliApp.Failed, await Cli.CliApp.InvokeAsync(["schema", "--out", Path.Combine(folder.FullName, "missing", "x.json")], new StringWriter(), unwritable));
            Assert.StartsWith("error: --out ", unwritable.ToString());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static IReadOnlyList<ScenarioError> ReaderErrors(string yaml)
    {
        try
        {
            ScenarioLoader.Parse(yaml, "all-keys.yaml");
            return [];
        }
        catch (ScenarioException ex)
        {
            return ex.Errors;
        }
    }

    private static void BothRefuse(string probe, string yaml, List<string> failures)
    {
        var reader = ReaderErrors(yaml);
        var schema = SchemaValidator.Errors(yaml);
        if (reader.Count == 0 || schema is null)
        {
            failures.Add($"{probe}: reader {(reader.Count == 0 ? "accepts" : "refuses")}, schema {(schema is null ? "accepts" : "refuses")}");
        }
    }

    /// <summary>The tour with one change, made on its tree as the walk finds it.</summary>
    private static string Mutate(Action<FormatWalk> change)
    {
        var root = YamlJson.Parse(AllKeys);
        change(FormatWalk.Of(root));
        return YamlJson.Write(root);
    }

    private static void Set(ScalarSite site, string text) =>
        site.Parent.Children[site.KeyNode] = new YamlScalarNode(text) { Style = ScalarStyle.Plain };

    private static string Number(double value) =>
        Math.Floor(value) == value && Math.Abs(value) < 1e15
            ? ((long)value).ToString(CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);
}
