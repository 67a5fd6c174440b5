namespace CrisisSim.Scenarios.Tests;

/// <summary>One test per validation rule, each asserting the exact position and key reported.</summary>
public sealed class ValidationTests
{
    // Line numbers below refer to this text.
    private const string Valid = """
        name: test
        interval: 30m
        intervals: 4
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

    private const string SecondCallType = """
          - name: billing
            arrivals:
              callsPerInterval: 5
            handleTime: { dist: exponential, mean: 3m }

        """;

    [Fact]
    public void The_base_text_is_valid()
    {
        Assert.Equal("test", ScenarioLoader.Parse(Valid, "t.yaml").Name);
    }

    [Fact]
    public void Unknown_top_level_key_names_the_allowed_keys()
    {
        var error = SingleError(Edit("intervals: 4\n", "intervals: 4\ncolour: red\n"), 4, 1, "colour");

        Assert.Contains("unknown key", error.Reason);
        Assert.Contains("allowed keys: name, description, start, interval, intervals, warmup, drain, serviceLevel, routing, busyness, onset, numbers, callTypes, groups",
            error.Reason);
    }

    [Fact]
    public void Unknown_call_type_key()
    {
        var error = SingleError(Edit("    arrivals:\n", "    prio: 1\n    arrivals:\n"), 8, 5, "callTypes[0].prio");

        Assert.Contains("allowed keys: name, priority, number, recordedMessage, balking, redials, callbacks, transfers, arrivals, patience, patienceFactors, handleTime, outbound", error.Reason);
    }

    [Fact]
    public void Unknown_distribution_parameter()
    {
        var error = SingleError(Edit("mean: 3m }", "mean: 3m, sd: 1m }"), 10, 48, "callTypes[0].handleTime.sd");

        Assert.Contains("allowed keys: dist, mean", error.Reason);
    }

    [Fact]
    public void Text_where_a_number_is_expected()
    {
        var error = SingleError(Edit("intervals: 4", "intervals: four"), 3, 12, "intervals");

        Assert.Equal("expected an integer, found 'four'", error.Reason);
    }

    [Fact]
    public void Quoted_number_is_text()
    {
        var error = SingleError(Edit("callsPerInterval: 10", "callsPerInterval: \"10\""), 9, 25, "callTypes[0].arrivals.callsPerInterval");

        Assert.Equal("expected a number, found the quoted text '10'", error.Reason);
    }

    [Fact]
    public void List_where_a_map_is_expected()
    {
        var error = SingleError(Edit("serviceLevel:\n  threshold: 20s", "serviceLevel: [20s]"), 4, 15, "serviceLevel");

        Assert.Equal("expected a map of keys for the service level, found a list", error.Reason);
    }

    [Fact]
    public void Text_where_a_list_is_expected()
    {
        // serves takes a list, or a map of call types to proficiencies.
        var error = SingleError(Edit("serves: [info]", "serves: info"), 13, 13, "groups[0].serves");

        Assert.Contains("expected a list of call type names", error.Reason);
    }

    [Fact]
    public void Text_where_a_duration_is_expected()
    {
        var error = SingleError(Edit("threshold: 20s", "threshold: soon"), 5, 14, "serviceLevel.threshold");

        Assert.Equal("expected a duration such as 90s, 3m, 1.5h, 2d or a number of seconds, found 'soon'", error.Reason);
    }

    [Fact]
    public void Duration_with_an_unknown_unit()
    {
        SingleError(Edit("interval: 30m", "interval: 30min"), 2, 11, "interval");
    }

    [Fact]
    public void A_plain_value_where_a_distribution_is_expected()
    {
        var error = SingleError(Edit("handleTime: { dist: exponential, mean: 3m }", "handleTime: 3m"), 10, 17, "callTypes[0].handleTime");

        Assert.Contains("expected a distribution such as { dist: exponential, mean: 3m }", error.Reason);
    }

    [Fact]
    public void Missing_top_level_key()
    {
        var error = SingleError(Edit("name: test\n", ""), 1, 1, "name");

        Assert.Equal("missing required key", error.Reason);
    }

    [Fact]
    public void Missing_nested_key_is_reported_at_its_parent_map()
    {
        SingleError(Edit("  threshold: 20s", "  target: 0.9"), 5, 3, "serviceLevel.threshold");
    }

    [Fact]
    public void Missing_arrivals()
    {
        SingleError(Edit("    arrivals:\n      callsPerInterval: 10\n", ""), 7, 5, "callTypes[0].arrivals");
    }

    [Fact]
    public void Missing_value()
    {
        var error = SingleError(Edit("intervals: 4", "intervals:"), 3, 11, "intervals");

        Assert.Equal("expected an integer, found an empty value", error.Reason);
    }

    [Fact]
    public void Negative_rate()
    {
        var error = SingleError(Edit("callsPerInterval: 10", "callsPerInterval: -5"), 9, 25, "callTypes[0].arrivals.callsPerInterval");

        Assert.Equal("must be a number of calls >= 0", error.Reason);
    }

    [Theory]
    [InlineData(".inf")]
    [InlineData("-.inf")]
    [InlineData(".nan")]
    [InlineData("1e999")]
    public void Non_finite_rate(string rate)
    {
        var error = SingleError(Edit("callsPerInterval: 10", "callsPerInterval: " + rate), 9, 25, "callTypes[0].arrivals.callsPerInterval");

        Assert.StartsWith("must be a finite number", error.Reason);
    }

    [Fact]
    public void Negative_rate_in_a_list_names_the_item()
    {
        SingleError(Edit("callsPerInterval: 10", "callsPerInterval: [1, 2, -3, 4]"), 9, 32, "callTypes[0].arrivals.callsPerInterval[2]");
    }

    [Fact]
    public void Negative_hourly_rate()
    {
        SingleError(Edit("callsPerInterval: 10", "callsPerHour: -1"), 9, 21, "callTypes[0].arrivals.callsPerHour");
    }

    [Fact]
    public void Rate_list_shorter_than_intervals()
    {
        var error = SingleError(Edit("callsPerInterval: 10", "callsPerInterval: [1, 2, 3]"), 9, 25, "callTypes[0].arrivals.callsPerInterval");

        Assert.Equal("has 3 values; expected exactly one per interval (4, the value of intervals)", error.Reason);
    }

    [Fact]
    public void Staffing_list_longer_than_intervals()
    {
        SingleError(Edit("staffing: 2", "staffing: [1, 2, 3, 4, 5]"), 14, 15, "groups[0].staffing");
    }

    [Fact]
    public void Both_calls_per_interval_and_calls_per_hour()
    {
        var error = SingleError(Edit("callsPerInterval: 10\n", "callsPerInterval: 10\n      callsPerHour: 20\n"), 9, 7, "callTypes[0].arrivals");

        Assert.Equal("give exactly one of callsPerInterval, callsPerHour, profile, csv; found callsPerInterval and callsPerHour", error.Reason);
    }

    [Fact]
    public void Neither_calls_per_interval_nor_calls_per_hour()
    {
        var error = SingleError(Edit("    arrivals:\n      callsPerInterval: 10\n", "    arrivals: {}\n"), 8, 15, "callTypes[0].arrivals");

        Assert.StartsWith("missing: give one of callsPerInterval", error.Reason);
    }

    [Fact]
    public void Duplicate_call_type_name()
    {
        var yaml = Edit("groups:", SecondCallType.Replace("billing", "info") + "groups:");

        var error = SingleError(yaml, 11, 11, "callTypes[1].name");

        Assert.Equal("duplicate call type name 'info' (first defined on line 7)", error.Reason);
    }

    [Fact]
    public void Duplicate_group_name()
    {
        var error = SingleError(Valid + "  - name: agents\n    serves: [info]\n    staffing: 1\n", 15, 11, "groups[1].name");

        Assert.Equal("duplicate group name 'agents' (first defined on line 12)", error.Reason);
    }

    [Fact]
    public void Group_serving_an_undefined_call_type()
    {
        var error = SingleError(Edit("serves: [info]", "serves: [info, billing]"), 13, 20, "groups[0].serves[1]");

        Assert.Equal("unknown call type 'billing' (defined: info)", error.Reason);
    }

    [Fact]
    public void Call_type_listed_twice_in_serves()
    {
        SingleError(Edit("serves: [info]", "serves: [info, info]"), 13, 20, "groups[0].serves[1]");
    }

    [Fact]
    public void Empty_serves()
    {
        var error = SingleError(Edit("serves: [info]", "serves: []"), 13, 13, "groups[0].serves");

        Assert.Equal("must list at least one call type", error.Reason);
    }

    [Fact]
    public void Call_type_served_by_no_group()
    {
        var error = SingleError(Edit("groups:", SecondCallType + "groups:"), 11, 5, "callTypes[1]");

        Assert.StartsWith("call type 'billing' is served by no group", error.Reason);
    }

    [Fact]
    public void Call_type_without_handle_time_served_by_a_group_without_one()
    {
        var error = SingleError(Edit("    handleTime: { dist: exponential, mean: 3m }\n", ""), 7, 5, "callTypes[0].handleTime");

        Assert.Equal("missing: call type 'info' has no handle time and group 'agents' serving it has none either", error.Reason);
    }

    [Fact]
    public void Unknown_routing_policy()
    {
        var error = SingleError(Edit("intervals: 4\n", "intervals: 4\nrouting: random\n"), 4, 10, "routing");

        Assert.Equal("unknown routing policy 'random'; allowed: fifo, priority, skills, overflow, reserve, weighted, or a plug-in { assembly: PATH, type: TYPE }", error.Reason);
    }

    [Fact]
    public void Unknown_distribution()
    {
        var error = SingleError(Edit("dist: exponential", "dist: weibull"), 10, 25, "callTypes[0].handleTime.dist");

        Assert.Equal("unknown distribution 'weibull'; allowed: exponential, lognormal, gamma, deterministic, empirical", error.Reason);
    }

    [Fact]
    public void Distribution_without_dist()
    {
        SingleError(Edit("{ dist: exponential, mean: 3m }", "{ mean: 3m }"), 10, 17, "callTypes[0].handleTime.dist");
    }

    [Fact]
    public void Distribution_missing_a_parameter()
    {
        var error = SingleError(Edit("dist: exponential", "dist: lognormal"), 10, 17, "callTypes[0].handleTime.sd");

        Assert.Equal("missing required key", error.Reason);
    }

    [Fact]
    public void Distribution_parameter_not_positive()
    {
        var error = SingleError(Edit("mean: 3m", "mean: 0"), 10, 44, "callTypes[0].handleTime.mean");

        Assert.Equal("must be a duration > 0", error.Reason);
    }

    [Fact]
    public void Empirical_without_values()
    {
        var error = SingleError(Edit("{ dist: exponential, mean: 3m }", "{ dist: empirical, values: [] }"), 10, 44, "callTypes[0].handleTime.values");

        Assert.Equal("must hold at least one duration", error.Reason);
    }

    [Fact]
    public void Empirical_with_zero_mean()
    {
        var error = SingleError(Edit("{ dist: exponential, mean: 3m }", "{ dist: empirical, values: [0, 0s] }"), 10, 44, "callTypes[0].handleTime.values");

        Assert.Equal("the values must have a mean > 0", error.Reason);
    }

    [Fact]
    public void Empirical_with_a_negative_value()
    {
        SingleError(Edit("{ dist: exponential, mean: 3m }", "{ dist: empirical, values: [1m, -1m] }"), 10, 49, "callTypes[0].handleTime.values[1]");
    }

    [Fact]
    public void Patience_that_is_not_a_distribution()
    {
        var error = SingleError(Edit("    handleTime:", "    patience: forever\n    handleTime:"), 10, 15, "callTypes[0].patience");

        Assert.Contains("or none", error.Reason);
    }

    [Fact]
    public void Staffing_not_an_integer()
    {
        var error = SingleError(Edit("staffing: 2", "staffing: 2.5"), 14, 15, "groups[0].staffing");

        Assert.Equal("must be an integer (a number of operators), found '2.5'", error.Reason);
    }

    [Fact]
    public void Staffing_item_not_an_integer()
    {
        SingleError(Edit("staffing: 2", "staffing: [1, 2, 2.5, 3]"), 14, 22, "groups[0].staffing[2]");
    }

    [Fact]
    public void Priority_not_an_integer()
    {
        var error = SingleError(Edit("    arrivals:\n", "    priority: 1.5\n    arrivals:\n"), 8, 15, "callTypes[0].priority");

        Assert.Equal("must be an integer, found '1.5'", error.Reason);
    }

    [Fact]
    public void Negative_staffing()
    {
        var error = SingleError(Edit("staffing: 2", "staffing: -1"), 14, 15, "groups[0].staffing");

        Assert.Equal("must be a number of operators >= 0", error.Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n")]
    [InlineData("# only a comment\n")]
    [InlineData("~\n")]
    public void Empty_file(string text)
    {
        var error = SingleError(text, 1, 1, "");

        Assert.StartsWith("the file is empty", error.Reason);
    }

    [Fact]
    public void Top_level_list_instead_of_a_map()
    {
        var error = SingleError("- name: test\n", 1, 1, "");

        Assert.Equal("expected a map of keys for the scenario, found a list", error.Reason);
    }

    [Theory]
    [InlineData("my test")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("-x")]
    [InlineData("café")]
    public void Invalid_scenario_name(string name)
    {
        var error = SingleError(Edit("name: test", $"name: '{name}'"), 1, 7, "name");

        Assert.Contains("is not a valid name", error.Reason);
    }

    [Fact]
    public void Invalid_call_type_name()
    {
        SingleError(Edit("- name: info", "- name: 'in fo'").Replace("[info]", "['in fo']"), 7, 11, "callTypes[0].name");
    }

    [Fact]
    public void Interval_shorter_than_a_second()
    {
        Assert.Equal("must be a duration of at least 1s", SingleError(Edit("interval: 30m", "interval: 0"), 2, 11, "interval").Reason);
        Assert.Equal("must be a duration of at least 1s", SingleError(Edit("interval: 30m", "interval: 1e-300"), 2, 11, "interval").Reason);
    }

    [Fact]
    public void Threshold_longer_than_30_days()
    {
        var text = Edit("threshold: 20s", "threshold: 31d");
        var error = Assert.Single(Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(text, "t.yaml")).Errors);
        Assert.Equal("serviceLevel.threshold", error.Key);
        Assert.Equal("must be a duration from 0 to 2592000s", error.Reason);
    }

    [Fact]
    public void Intervals_below_one()
    {
        var error = SingleError(Edit("intervals: 4", "intervals: 0"), 3, 12, "intervals");

        Assert.Equal("must be an integer >= 1", error.Reason);
    }

    [Fact]
    public void Intervals_beyond_the_limit()
    {
        SingleError(Edit("intervals: 4", "intervals: 2000000000"), 3, 12, "intervals");
    }

    [Fact]
    public void Warmup_not_shorter_than_the_horizon()
    {
        var error = SingleError(Edit("intervals: 4\n", "intervals: 4\nwarmup: 2h\n"), 4, 9, "warmup");

        Assert.Equal("must be shorter than the horizon (7200s = intervals x interval)", error.Reason);
    }

    [Fact]
    public void Negative_drain()
    {
        SingleError(Edit("intervals: 4\n", "intervals: 4\ndrain: -1m\n"), 4, 8, "drain");
    }

    [Fact]
    public void Negative_threshold()
    {
        SingleError(Edit("threshold: 20s", "threshold: -20s"), 5, 14, "serviceLevel.threshold");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1.5")]
    [InlineData("80")]
    public void Target_outside_zero_one(string target)
    {
        SingleError(Edit("  threshold: 20s\n", $"  threshold: 20s\n  target: {target}\n"), 6, 11, "serviceLevel.target");
    }

    [Fact]
    public void No_call_types()
    {
        var error = SingleError(Edit(Valid[Valid.IndexOf("callTypes:", StringComparison.Ordinal)..Valid.IndexOf("groups:", StringComparison.Ordinal)], "callTypes: []\n"), 6, 12, "callTypes");

        Assert.Equal("must hold at least one call type", error.Reason);
    }

    [Fact]
    public void No_groups()
    {
        SingleError(Valid[..Valid.IndexOf("groups:", StringComparison.Ordinal)] + "groups: []\n", 11, 9, "groups");
    }

    [Fact]
    public void Key_that_is_not_a_name()
    {
        SingleError(Edit("intervals: 4\n", "intervals: 4\n[a, b]: 1\n"), 4, 1, "");
    }

    [Fact]
    public void Second_yaml_document()
    {
        var error = SingleError(Valid + "---\nname: other\n", 16, 1, "");

        Assert.Equal("a scenario file holds one YAML document; found a second one", error.Reason);
    }

    [Fact]
    public void Syntax_error_is_reported_with_its_position()
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(Edit("serves: [info]", "serves: [info"), "t.yaml"));

        var error = Assert.Single(ex.Errors);
        Assert.Equal(("t.yaml", 14, 5, ""), (error.File, error.Line, error.Column, error.Key));
        Assert.Equal("invalid YAML: the parser stopped here (check brackets, quotes and indentation)", error.Reason);
    }

    [Fact]
    public void Unterminated_quote_is_a_syntax_error()
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(Edit("name: test", "name: 'test"), "t.yaml"));

        Assert.Equal("t.yaml:1:7: invalid YAML: While scanning a quoted scalar, found unexpected end of stream.", ex.Message);
        Assert.IsAssignableFrom<YamlDotNet.Core.YamlException>(ex.InnerException);
    }

    [Fact]
    public void Bad_indentation_is_a_syntax_error()
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(Edit("interval: 30m", "interval: 30m\n  oops: 1"), "t.yaml"));

        Assert.Equal((3, 7, ""), (ex.Line, ex.Column, ex.Key));
        Assert.StartsWith("invalid YAML: ", ex.Reason);
    }

    [Fact]
    public void Duplicate_yaml_key_is_a_syntax_error()
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(Edit("interval: 30m\n", "interval: 30m\ninterval: 1h\n"), "t.yaml"));

        Assert.Equal((3, 1), (ex.Line, ex.Column));
        Assert.Contains("Duplicate key", ex.Reason);
    }

    [Fact]
    public void Unknown_alias_is_a_syntax_error()
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(Edit("staffing: 2", "staffing: *missing"), "t.yaml"));

        Assert.StartsWith("invalid YAML: ", ex.Reason);
        Assert.True(ex.Line > 0);
    }

    [Fact]
    public void Missing_file()
    {
        var path = Path.Combine(Path.GetTempPath(), "crisissim-no-such-" + Guid.NewGuid().ToString("N") + ".yaml");

        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadFile(path));

        Assert.Equal((path, 0, 0, "", "file not found"), (ex.File, ex.Line, ex.Column, ex.Key, ex.Reason));
        Assert.Equal(path + ":0:0: file not found", ex.Message);
    }

    [Fact]
    public void A_directory_is_not_a_scenario_file()
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadFile(Path.GetTempPath()));

        Assert.Equal("is a directory, not a scenario file", ex.Reason);
    }

    [Fact]
    public void Errors_from_a_file_name_their_file()
    {
        var path = Path.Combine(Path.GetTempPath(), "crisissim-invalid-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, Edit("intervals: 4", "intervals: four"));
        try
        {
            var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadFile(path));

            Assert.Equal(path + ":3:12: intervals: expected an integer, found 'four'", ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Message_is_file_line_column_key_reason()
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(Edit("staffing: 2", "staffing: -1"), "plans/day.yaml"));

        Assert.Equal("plans/day.yaml:14:15: groups[0].staffing: must be a number of operators >= 0", ex.Message);
        Assert.Equal(ex.Message, ex.Errors[0].ToString());
    }

    [Fact]
    public void Every_error_is_reported_in_file_order()
    {
        var yaml = Edit("staffing: 2", "staffing: -1")
            .Replace("intervals: 4", "intervals: four")
            .Replace("    arrivals:", "    prio: 1\n    arrivals:");

        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(yaml, "t.yaml"));

        Assert.Equal(
            [(3, "intervals"), (8, "callTypes[0].prio"), (15, "groups[0].staffing")],
            ex.Errors.Select(e => (e.Line, e.Key)));
        Assert.Equal(string.Join(Environment.NewLine, ex.Errors), ex.Message);
        Assert.Equal((3, 12, "intervals"), (ex.Line, ex.Column, ex.Key));
    }

    private const string Numbered = "callTypes:\n  - name: info\n    number: hotline\n";

    [Fact]
    public void Numbers_give_their_lines_to_the_call_types_that_dial_them()
    {
        var s = ScenarioLoader.Parse(Edit("callTypes:\n  - name: info\n", "numbers:\n  - { name: hotline, lines: 30 }\n" + Numbered), "t.yaml");
        Assert.Equal([new Model.Scenario.EntryNumberSpec("hotline", 30)], s.Numbers);
        Assert.Equal("hotline", s.CallTypes[0].Number);
    }

    [Fact]
    public void A_call_type_dialling_an_undefined_number_is_refused()
    {
        var error = SingleError(Edit("callTypes:\n  - name: info\n", Numbered), 8, 13, "callTypes[0].number");
        Assert.Contains("unknown number 'hotline'", error.Reason);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1000001")]
    [InlineData("2.5")]
    public void Lines_are_bounded(string lines)
    {
        var error = SingleError(Edit("callTypes:\n  - name: info\n", "numbers:\n  - { name: hotline, lines: " + lines + " }\n" + Numbered), 7, 29, "numbers[0].lines");
        Assert.Contains("integer", error.Reason);
    }

    [Fact]
    public void Opening_hours_are_read()
    {
        var s = ScenarioLoader.Parse(Edit("callTypes:\n  - name: info\n", "numbers:\n  - { name: hotline, lines: 30, hours: { open: \"09:00\", close: \"19:30\", atClose: callBack } }\n" + Numbered), "t.yaml");
        Assert.Equal(new Model.Scenario.OpeningHoursSpec(9 * 3600, 19.5 * 3600, Model.Scenario.AtCloseKind.CallBack), s.Numbers[0].Hours);
        var serve = ScenarioLoader.Parse(Edit("callTypes:\n  - name: info\n", "numbers:\n  - { name: hotline, lines: 30, hours: { open: \"22:00\", close: \"06:00\" } }\n" + Numbered), "t.yaml");
        Assert.Equal(new Model.Scenario.OpeningHoursSpec(22 * 3600, 6 * 3600, Model.Scenario.AtCloseKind.Serve), serve.Numbers[0].Hours);
    }

    [Theory]
    [InlineData("{ open: \"25:00\", close: \"19:00\" }", 48, "numbers[0].hours.open")]
    [InlineData("{ open: \"09:00\", close: \"09:00\" }", 64, "numbers[0].hours.close")]
    [InlineData("{ open: \"09:00\", close: \"19:00\", atClose: later }", 82, "numbers[0].hours.atClose")]
    [InlineData("{ open: \"09:00\" }", 40, "numbers[0].hours.close")]
    [InlineData("{ open: \"09:00\", close: \"19:00\", from: x }", 73, "numbers[0].hours.from")]
    public void Opening_hours_are_bounded(string value, int column, string key)
    {
        SingleError(Edit("callTypes:\n  - name: info\n", "numbers:\n  - { name: hotline, lines: 30, hours: " + value + " }\n" + Numbered), 7, column, key);
    }

    [Fact]
    public void Duplicate_numbers_are_refused()
    {
        SingleError(Edit("callTypes:\n  - name: info\n", "numbers:\n  - { name: hotline, lines: 3 }\n  - { name: hotline, lines: 4 }\n" + Numbered), 8, 13, "numbers[1].name");
    }

    [Fact]
    public void A_recorded_message_and_balking_are_read()
    {
        var s = ScenarioLoader.Parse(Edit("  - name: info\n", "  - name: info\n    recordedMessage: { duration: 40s, satisfies: 0.25 }\n    balking: 0.1\n"), "t.yaml");
        Assert.Equal(new Model.Scenario.RecordedMessageSpec(40, 0.25), s.CallTypes[0].RecordedMessage);
        Assert.Equal(0.1, s.CallTypes[0].BalkingProbability);
    }

    [Theory]
    [InlineData("{ duration: 0s, satisfies: 0.2 }", 34, "callTypes[0].recordedMessage.duration")]
    [InlineData("{ duration: 2h, satisfies: 0.2 }", 34, "callTypes[0].recordedMessage.duration")]
    [InlineData("{ duration: 30s, satisfies: 1.5 }", 50, "callTypes[0].recordedMessage.satisfies")]
    [InlineData("{ duration: 30s }", 22, "callTypes[0].recordedMessage.satisfies")]
    public void A_recorded_message_is_bounded(string value, int column, string key)
    {
        SingleError(Edit("  - name: info\n", "  - name: info\n    recordedMessage: " + value + "\n"), 8, column, key);
    }

    [Fact]
    public void Patience_mixtures_factors_and_queue_balking_are_read()
    {
        var s = ScenarioLoader.Parse(Edit("  - name: info\n", "  - name: info\n    patience: { mixture: [{ share: 0.25, dist: { dist: exponential, mean: 10s } }, { share: 0.75, dist: { dist: deterministic, value: 2m } }] }\n    patienceFactors: [1, 1, 0.8, 0.5]\n    balking: { probability: 0.1, queueAbove: 12, waitAbove: 3m }\n"), "t.yaml");
        var mixture = Assert.IsType<Model.Scenario.MixtureSpec>(s.CallTypes[0].Patience);
        Assert.Equal([new Model.Scenario.MixtureComponentSpec(0.25, new Model.Scenario.ExponentialSpec(10)), new Model.Scenario.MixtureComponentSpec(0.75, new Model.Scenario.DeterministicSpec(120))], mixture.Components);
        Assert.Equal([1, 1, 0.8, 0.5], s.CallTypes[0].PatienceFactors!);
        Assert.Equal(0.1, s.CallTypes[0].BalkingProbability);
        Assert.Equal(12, s.CallTypes[0].BalkingQueueAbove);
        Assert.Equal(180, s.CallTypes[0].BalkingWaitAbove);
        var scalar = ScenarioLoader.Parse(Edit("  - name: info\n", "  - name: info\n    patienceFactors: 0.5\n    balking: 0.2\n"), "t.yaml");
        Assert.Equal([0.5, 0.5, 0.5, 0.5], scalar.CallTypes[0].PatienceFactors!);
        Assert.Equal(0.2, scalar.CallTypes[0].BalkingProbability);
        Assert.Null(scalar.CallTypes[0].BalkingQueueAbove);
    }

    [Theory]
    [InlineData("patienceFactors: [1, 0.5]", 22, "callTypes[0].patienceFactors")]
    [InlineData("patienceFactors: 0", 22, "callTypes[0].patienceFactors")]
    [InlineData("patienceFactors: 101", 22, "callTypes[0].patienceFactors")]
    [InlineData("balking: { probability: 1.5 }", 29, "callTypes[0].balking.probability")]
    [InlineData("balking: { queueAbove: -1 }", 28, "callTypes[0].balking.queueAbove")]
    [InlineData("balking: { queueAbove: 3, after: 2 }", 31, "callTypes[0].balking.after")]
    [InlineData("balking: { waitAbove: 31d }", 27, "callTypes[0].balking.waitAbove")]
    [InlineData("patience: { mixture: [{ share: 0.5, dist: { dist: exponential, mean: 10s } }, { share: 0.4, dist: { dist: exponential, mean: 1m } }] }", 26, "callTypes[0].patience.mixture")]
    [InlineData("patience: { mixture: [{ share: 0, dist: { dist: exponential, mean: 10s } }] }", 36, "callTypes[0].patience.mixture[0].share")]
    [InlineData("patience: { mixture: [{ share: 1, dist: { mixture: [] } }] }", 56, "callTypes[0].patience.mixture[0].dist.mixture")]
    public void Patience_mixtures_factors_and_queue_balking_are_bounded(string value, int column, string key)
    {
        SingleError(Edit("  - name: info\n", "  - name: info\n    " + value + "\n"), 8, column, key);
    }

    [Fact]
    public void Transfers_are_read_and_checked()
    {
        static string Two(string transfers) => Valid
            .Replace("  - name: info\n", "  - name: info\n    transfers: " + transfers + "\n")
            .Replace("groups:", SecondCallType + "groups:")
            .Replace("serves: [info]", "serves: [info, billing]");
        var s = ScenarioLoader.Parse(Two("[{ to: billing, share: 0.1 }]"), "t.yaml");
        Assert.Equal([new Model.Scenario.TransferSpec("billing", 0.1)], s.CallTypes[0].Transfers!);
        var unknown = SingleError(Edit("  - name: info\n", "  - name: info\n    transfers: [{ to: nowhere, share: 0.1 }]\n"), 8, 23, "callTypes[0].transfers[0].to");
        Assert.Contains("unknown call type 'nowhere'", unknown.Reason);
        SingleError(Edit("  - name: info\n", "  - name: info\n    transfers: [{ to: info, share: 0.1 }]\n"), 8, 23, "callTypes[0].transfers[0].to");
        var share = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(Two("[{ to: billing, share: 1.5 }]"), "t.yaml"));
        Assert.Equal((8, 39, "callTypes[0].transfers[0].share"), (share.Line, share.Column, share.Key));
    }

    [Fact]
    public void Callbacks_are_read()
    {
        var s = ScenarioLoader.Parse(Edit("  - name: info\n", "  - name: info\n    callbacks: { offerAbove: 2m, accept: 0.5, deadline: 2h }\n"), "t.yaml");
        Assert.Equal(new Model.Scenario.CallbackSpec(120, 0.5, 7200), s.CallTypes[0].Callbacks);
    }

    [Theory]
    [InlineData("{ offerAbove: -1m, accept: 0.5, deadline: 2h }", 30, "callTypes[0].callbacks.offerAbove")]
    [InlineData("{ offerAbove: 2m, accept: 1.5, deadline: 2h }", 42, "callTypes[0].callbacks.accept")]
    [InlineData("{ offerAbove: 2m, accept: 0.5, deadline: 8d }", 57, "callTypes[0].callbacks.deadline")]
    [InlineData("{ offerAbove: 2m, accept: 0.5 }", 16, "callTypes[0].callbacks.deadline")]
    public void Callbacks_are_bounded(string value, int column, string key)
    {
        SingleError(Edit("  - name: info\n", "  - name: info\n    callbacks: " + value + "\n"), 8, column, key);
    }

    [Fact]
    public void Outbound_is_read()
    {
        var plain = ScenarioLoader.Parse(Edit("  - name: info\n", "  - name: info\n    outbound: { deadline: 24h }\n"), "t.yaml");
        Assert.Equal(new Model.Scenario.OutboundSpec(86400, 1, 30), plain.CallTypes[0].Outbound);
        var reach = ScenarioLoader.Parse(Edit("  - name: info\n", "  - name: info\n    outbound: { deadline: 1h, reach: 0.7, noAnswerTime: 45s }\n"), "t.yaml");
        Assert.Equal(new Model.Scenario.OutboundSpec(3600, 0.7, 45), reach.CallTypes[0].Outbound);
        Assert.Null(ScenarioLoader.Parse(Valid, "t.yaml").CallTypes[0].Outbound);
    }

    [Theory]
    [InlineData("{ deadline: 0 }", 27, "callTypes[0].outbound.deadline")]
    [InlineData("{ deadline: 31d }", 27, "callTypes[0].outbound.deadline")]
    [InlineData("{ reach: 0.5 }", 15, "callTypes[0].outbound.deadline")]
    [InlineData("{ deadline: 1h, reach: 1.5 }", 38, "callTypes[0].outbound.reach")]
    [InlineData("{ deadline: 1h, reach: -0.1 }", 38, "callTypes[0].outbound.reach")]
    [InlineData("{ deadline: 1h, noAnswerTime: 0 }", 45, "callTypes[0].outbound.noAnswerTime")]
    [InlineData("{ deadline: 1h, noAnswerTime: 2h }", 45, "callTypes[0].outbound.noAnswerTime")]
    [InlineData("{ deadline: 1h, attempts: 2 }", 31, "callTypes[0].outbound.attempts")]
    [InlineData("24h", 15, "callTypes[0].outbound")]
    public void Outbound_is_bounded(string value, int column, string key)
    {
        SingleError(Edit("  - name: info\n", "  - name: info\n    outbound: " + value + "\n"), 8, column, key);
    }

    [Theory]
    [InlineData("priority: 1")]
    [InlineData("recordedMessage: { duration: 30s, satisfies: 0.2 }")]
    [InlineData("balking: 0.1")]
    [InlineData("redials: { probabilities: [0.5], delay: { dist: exponential, mean: 1m } }")]
    [InlineData("callbacks: { offerAbove: 1m, accept: 0.5, deadline: 1h }")]
    [InlineData("patience: { dist: exponential, mean: 1m }")]
    [InlineData("patienceFactors: 0.5")]
    public void Keys_of_inbound_calls_are_refused_on_an_outbound_call_type(string line)
    {
        var error = SingleError(Edit("  - name: info\n", "  - name: info\n    outbound: { deadline: 1h }\n    " + line + "\n"), 9, 5, "callTypes[0]." + line[..line.IndexOf(':')]);
        Assert.StartsWith("does not apply to an outbound call type", error.Reason);
    }

    [Fact]
    public void An_outbound_call_type_has_no_number_and_takes_no_transfer()
    {
        var number = Edit("callTypes:\n", "numbers:\n  - { name: hotline, lines: 10 }\ncallTypes:\n")
            .Replace("  - name: info\n", "  - name: info\n    outbound: { deadline: 1h }\n    number: hotline\n");
        var error = SingleError(number, 11, 5, "callTypes[0].number");
        Assert.StartsWith("does not apply to an outbound call type", error.Reason);
        var transfer = Valid
            .Replace("  - name: info\n", "  - name: info\n    transfers: [{ to: billing, share: 0.1 }]\n")
            .Replace("groups:", SecondCallType.Replace("  - name: billing\n", "  - name: billing\n    outbound: { deadline: 1h }\n") + "groups:")
            .Replace("serves: [info]", "serves: [info, billing]");
        var refused = SingleError(transfer, 8, 23, "callTypes[0].transfers[0].to");
        Assert.Contains("outbound call type", refused.Reason);
    }

    [Fact]
    public void Redials_are_read()
    {
        var s = ScenarioLoader.Parse(Edit("  - name: info\n", "  - name: info\n    redials: { probabilities: [0.5, 0.25], delay: { dist: exponential, mean: 5m } }\n"), "t.yaml");
        Assert.Equal([0.5, 0.25], s.CallTypes[0].Redials!.Probabilities);
        Assert.Equal(new Model.Scenario.ExponentialSpec(300), s.CallTypes[0].Redials!.Delay);
    }

    [Theory]
    [InlineData("{ probabilities: [0.5, 1.5], delay: { dist: exponential, mean: 1m } }", 37, "callTypes[0].redials.probabilities[1]")]
    [InlineData("{ probabilities: [], delay: { dist: exponential, mean: 1m } }", 31, "callTypes[0].redials.probabilities")]
    [InlineData("{ probabilities: [0.5] }", 14, "callTypes[0].redials.delay")]
    public void Redials_are_bounded(string value, int column, string key)
    {
        SingleError(Edit("  - name: info\n", "  - name: info\n    redials: " + value + "\n"), 8, column, key);
    }

    [Fact]
    public void Balking_is_a_probability()
    {
        var error = SingleError(Edit("  - name: info\n", "  - name: info\n    balking: 1.2\n"), 8, 14, "callTypes[0].balking");
        Assert.Contains("probability", error.Reason);
    }

    private static string Edit(string oldText, string newText)
    {
        Assert.Contains(oldText, Valid);
        return Valid.Replace(oldText, newText);
    }

    private static ScenarioError SingleError(string yaml, int line, int column, string key)
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(yaml, "t.yaml"));
        var error = Assert.Single(ex.Errors);
        Assert.Equal(("t.yaml", line, column, key), (error.File, error.Line, error.Column, error.Key));
        Assert.Equal((line, column, key), (ex.Line, ex.Column, ex.Key));
        return error;
    }
}

public sealed class ClockStartTests
{
    private const string Text = """
        name: test
        start: "START"
        interval: 30m
        intervals: 4
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

    [Theory]
    [InlineData("09:00", 9 * 3600)]
    [InlineData("00:00", 0)]
    [InlineData("23:59:30", 23 * 3600 + 59 * 60 + 30)]
    public void Start_is_a_time_of_day(string start, double seconds)
    {
        Assert.Equal(seconds, ScenarioLoader.Parse(Text.Replace("START", start), "t.yaml").ClockStartSeconds);
    }

    [Theory]
    [InlineData("24:00")]
    [InlineData("9:00")]
    [InlineData("09:60")]
    [InlineData("nine")]
    public void A_bad_start_names_line_column_and_key(string start)
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(Text.Replace("START", start), "t.yaml"));
        Assert.Equal(("t.yaml", 2, 8, "start"), (ex.File, ex.Line, ex.Column, ex.Key));
    }
}
