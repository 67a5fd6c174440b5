using CrisisSim.Model.Routing;
using CrisisSim.Model.Scenario;
using CrisisSim.Planning;

namespace CrisisSim.Scenarios.Tests;

/// <summary>The crisis playbook (<c>playbook</c>, <c>playbookEvery</c>) and the keys it brings in elsewhere
/// (<c>groups[].onCall</c>, <c>numbers[].closed</c>): what they map to, and every rule with its exact position, key and
/// message.</summary>
public sealed class PlaybookReaderTests
{
    // Line numbers below refer to this text. The first rule opens the closed number and calls in the on-call group, so
    // that the base is valid; RULE is replaced by the rule under test, from line 46.
    private const string Base = """
        name: test
        start: "08:00"
        interval: 30m
        intervals: 8
        onset: 1h
        serviceLevel:
          threshold: 20s
        numbers:
          - name: main
            lines: 50
          - name: overflow
            lines: 10
            closed: true
        callTypes:
          - name: info
            number: main
            arrivals: { callsPerInterval: 10 }
            handleTime: { dist: exponential, mean: 3m }
          - name: urgent
            number: overflow
            arrivals: { callsPerInterval: 2 }
            handleTime: { dist: exponential, mean: 5m }
          - name: followup
            outbound: { deadline: 4h }
            arrivals: { callsPerInterval: 1 }
            handleTime: { dist: exponential, mean: 5m }
        groups:
          - name: agents
            serves: [info, urgent, followup]
            staffing: 5
          - name: provider
            serves: [info]
            staffing: 20
            activation: { delay: 2h, perHour: 10, max: 20 }
          - name: standby
            serves: [info, urgent]
            staffing: 4
            onCall: { delay: 30m }
        playbookEvery: 2m
        playbook:
          - name: open-overflow
            when: { queueAbove: 40 }
            do:
              - openNumber: overflow
              - activate: standby
        RULE
        """;

    private const string Full = """
          - name: activate-provider
            when: { queueAbove: 40, for: 10m }
            after: 15m
            do:
              - activate: provider
          - name: relief
            when:
              type: info
              serviceLevelBelow: 0.6
              abandonmentAbove: 0.2
              window: 20m
            do:
              - addLines: { number: main, lines: 20 }
              - closeNumber: overflow
            cooldown: 1h
            once: false
          - name: evening
            when:
              any:
                - { clock: "18:30" }
                - all:
                    - { sinceOnset: 2h }
                    - { fired: activate-provider }
                - { number: main, asaAbove: 3m, serviceLevelAbove: 0.9, abandonmentBelow: 0.05, asaBelow: 10m }
                - { offeredAbove: 100, window: 1h }
                - { type: urgent, offeredTotalAbove: 500 }
            do:
              - lines: { number: main, lines: 30 }
              - hours: { number: main, open: "08:00", close: "20:00", atClose: callBack }
              - hours: { number: overflow, always: true }
              - recordedMessage: { type: info, duration: 30s, satisfies: 0.2 }
              - callbacks: { type: info, offerAbove: 2m, accept: 0.5, deadline: 4h }
              - priority: { type: urgent, value: 5 }
              - routing: priority
              - routing: { policy: skills, settings: { select: mostProficient } }
              - startCampaign: followup
          - name: wind-down
            when: { fired: evening, for: 1h }
            do:
              - recordedMessageOff: info
              - callbacksOff: info
              - stopCampaign: followup
        """;

    [Fact]
    public void Every_condition_and_action_maps_to_the_model()
    {
        var s = ScenarioLoader.Parse(Rule(Full), "t.yaml");

        Assert.True(s.Numbers[1].Closed);
        Assert.False(s.Numbers[0].Closed);
        Assert.Equal(new OnCallSpec(1800), s.Groups[2].OnCall);
        Assert.Null(s.Groups[1].OnCall);
        var playbook = s.Playbook!;
        Assert.Equal(120, playbook.EvaluateEverySeconds);
        Assert.Equal(["open-overflow", "activate-provider", "relief", "evening", "wind-down"], playbook.Rules.Select(r => r.Name));

        var provider = playbook.Rules[1];
        Assert.Equivalent(new HeldForCondition(new QueueCondition(PlaybookScope.All, 40), 600), provider.When, strict: true);
        Assert.Equal(900, provider.AfterSeconds);
        Assert.Null(provider.CooldownSeconds);
        Assert.Equal([new ActivateGroupAction("provider")], provider.Do);

        var relief = playbook.Rules[2];
        var info = new PlaybookScope(CallType: "info");
        Assert.Equivalent(new AllOfCondition([
            new WindowCondition(info, WindowMeasure.ServiceLevel, false, 0.6, 1200),
            new WindowCondition(info, WindowMeasure.Abandonment, true, 0.2, 1200),
        ]), relief.When, strict: true);
        Assert.Equal(0, relief.AfterSeconds);
        Assert.Equal(3600, relief.CooldownSeconds);
        Assert.Equal([new SetLinesAction("main", 20, Add: true), new OpenNumberAction("overflow", Open: false)], relief.Do);

        var evening = playbook.Rules[3];
        var main = new PlaybookScope(Number: "main");
        Assert.Equivalent(new AnyOfCondition([
            new ClockCondition(18.5 * 3600),
            new AllOfCondition([new SinceOnsetCondition(7200), new FiredCondition("activate-provider")]),
            new AllOfCondition([
                new WindowCondition(main, WindowMeasure.Asa, true, 180, 1800),
                new WindowCondition(main, WindowMeasure.ServiceLevel, true, 0.9, 1800),
                new WindowCondition(main, WindowMeasure.Abandonment, false, 0.05, 1800),
                new WindowCondition(main, WindowMeasure.Asa, false, 600, 1800),
            ]),
            new WindowCondition(PlaybookScope.All, WindowMeasure.Offered, true, 100, 3600),
            new WindowCondition(new PlaybookScope(CallType: "urgent"), WindowMeasure.Offered, true, 500, double.PositiveInfinity),
        ]), evening.When, strict: true);
        Assert.Equal(9, evening.Do.Count);
        Assert.Equal(new SetLinesAction("main", 30, Add: false), evening.Do[0]);
        Assert.Equal(new SetHoursAction("main", new OpeningHoursSpec(8 * 3600, 20 * 3600, AtCloseKind.CallBack)), evening.Do[1]);
        Assert.Equal(new SetHoursAction("overflow", null), evening.Do[2]);
        Assert.Equal(new RecordedMessageAction("info", new RecordedMessageSpec(30, 0.2)), evening.Do[3]);
        Assert.Equal(new CallbacksAction("info", new CallbackSpec(120, 0.5, 4 * 3600)), evening.Do[4]);
        Assert.Equal(new SetPriorityAction("urgent", 5), evening.Do[5]);
        Assert.Equal(new SetRoutingAction(RoutingSpec.Priority), evening.Do[6]);
        var skills = Assert.IsType<SetRoutingAction>(evening.Do[7]).Routing;
        Assert.Equal("skills", skills.Name);
        Assert.Equal("mostProficient", skills.Settings["select"]);
        Assert.Equal(new CampaignAction("followup", Start: true), evening.Do[8]);

        var windDown = playbook.Rules[4];
        Assert.Equivalent(new HeldForCondition(new FiredCondition("evening"), 3600), windDown.When, strict: true);
        Assert.Equal(
            [new RecordedMessageAction("info", null), new CallbacksAction("info", null), new CampaignAction("followup", Start: false)],
            windDown.Do);

        Assert.Null(SchemaValidator.Errors(Rule(Full)));
    }

    [Fact]
    public void Without_a_playbook_nothing_is_read_and_the_defaults_apply()
    {
        var text = Base[..Base.IndexOf("playbookEvery", StringComparison.Ordinal)]
            .Replace("    closed: true\n", "").Replace("    onCall: { delay: 30m }\n", "");
        var s = ScenarioLoader.Parse(text, "t.yaml");
        Assert.Null(s.Playbook);
        Assert.False(s.Numbers[1].Closed);
        Assert.Null(s.Groups[2].OnCall);
        Assert.Null(ScenarioLoader.Parse(text + "playbook:\n", "t.yaml").Playbook);

        var every = ScenarioLoader.Parse(Rule("").Replace("playbookEvery: 2m\n", ""), "t.yaml").Playbook!;
        Assert.Equal(PlaybookSpec.DefaultEvaluateEverySeconds, every.EvaluateEverySeconds);
        // Without a window, a measured condition looks at the last 30 minutes (at least one period).
        var window = ScenarioLoader.Parse(Rule("  - name: r\n    when: { serviceLevelBelow: 0.8 }\n    do: [activate: provider]"), "t.yaml").Playbook!.Rules[1].When;
        Assert.Equal(1800, Assert.IsType<WindowCondition>(window).WindowSeconds);
        var hourly = ScenarioLoader.Parse(Rule("  - name: r\n    when: { serviceLevelBelow: 0.8 }\n    do: [activate: provider]").Replace("playbookEvery: 2m", "playbookEvery: 1h"), "t.yaml");
        Assert.Equal(3600, Assert.IsType<WindowCondition>(hourly.Playbook!.Rules[1].When).WindowSeconds);
    }

    [Theory]
    // Names the rules use.
    [InlineData("when: { type: billing, queueAbove: 3 }", "do: [activate: provider]", 47, 19, "playbook[1].when.type", "unknown call type 'billing' (defined: info, urgent, followup)")]
    [InlineData("when: { number: nope, queueAbove: 3 }", "do: [activate: provider]", 47, 21, "playbook[1].when.number", "unknown number 'nope' (defined: main, overflow)")]
    [InlineData("when: { fired: nothing }", "do: [activate: provider]", 47, 20, "playbook[1].when.fired", "unknown rule 'nothing' (defined: open-overflow, r)")]
    [InlineData("when: { fired: r }", "do: [activate: provider]", 47, 20, "playbook[1].when.fired", "names its own rule ('r')")]
    [InlineData("when: { queueAbove: 3 }", "do: [activate: nobody]", 48, 20, "playbook[1].do[0].activate", "unknown group 'nobody' (defined: agents, provider, standby)")]
    [InlineData("when: { queueAbove: 3 }", "do: [activate: agents]", 48, 20, "playbook[1].do[0].activate", "group 'agents' has neither activation nor onCall")]
    [InlineData("when: { queueAbove: 3 }", "do: [openNumber: nope]", 48, 22, "playbook[1].do[0].openNumber", "unknown number 'nope'")]
    [InlineData("when: { queueAbove: 3 }", "do: [lines: { number: nope, lines: 3 }]", 48, 27, "playbook[1].do[0].lines.number", "unknown number 'nope'")]
    [InlineData("when: { queueAbove: 3 }", "do: [hours: { number: nope, always: true }]", 48, 27, "playbook[1].do[0].hours.number", "unknown number 'nope'")]
    [InlineData("when: { queueAbove: 3 }", "do: [recordedMessageOff: billing]", 48, 30, "playbook[1].do[0].recordedMessageOff", "unknown call type 'billing'")]
    // Inbound keys on an outbound type, campaigns on an inbound one.
    [InlineData("when: { queueAbove: 3 }", "do: [recordedMessage: { type: followup, duration: 30s, satisfies: 0.1 }]", 48, 35, "playbook[1].do[0].recordedMessage.type", "'followup' is an outbound call type: recordedMessage does not apply to it")]
    [InlineData("when: { queueAbove: 3 }", "do: [recordedMessageOff: followup]", 48, 30, "playbook[1].do[0].recordedMessageOff", "'followup' is an outbound call type: recordedMessageOff does not apply")]
    [InlineData("when: { queueAbove: 3 }", "do: [callbacks: { type: followup, offerAbove: 2m, accept: 0.5, deadline: 1h }]", 48, 29, "playbook[1].do[0].callbacks.type", "'followup' is an outbound call type: callbacks does not apply")]
    [InlineData("when: { queueAbove: 3 }", "do: [callbacksOff: followup]", 48, 24, "playbook[1].do[0].callbacksOff", "outbound call type")]
    [InlineData("when: { queueAbove: 3 }", "do: [priority: { type: followup, value: 3 }]", 48, 28, "playbook[1].do[0].priority.type", "'followup' is an outbound call type: priority does not apply")]
    [InlineData("when: { queueAbove: 3 }", "do: [startCampaign: info]", 48, 25, "playbook[1].do[0].startCampaign", "'info' is not an outbound call type: startCampaign applies to the calls an outbound call type (one with outbound) makes")]
    [InlineData("when: { queueAbove: 3 }", "do: [stopCampaign: nope]", 48, 24, "playbook[1].do[0].stopCampaign", "unknown call type 'nope'")]
    // Contradictions within one rule.
    [InlineData("when: { queueAbove: 3 }", "do: [openNumber: main, closeNumber: main]", 48, 28, "playbook[1].do[1].closeNumber", "contradicts do[0] (openNumber: main) of the same rule")]
    [InlineData("when: { queueAbove: 3 }", "do: [recordedMessageOff: info, recordedMessage: { type: info, duration: 1m, satisfies: 0.1 }]", 48, 36, "playbook[1].do[1].recordedMessage", "contradicts do[0] (recordedMessageOff: info) of the same rule")]
    [InlineData("when: { queueAbove: 3 }", "do: [callbacks: { type: info, offerAbove: 1m, accept: 1, deadline: 1h }, activate: provider, callbacksOff: info]", 48, 98, "playbook[1].do[2].callbacksOff", "contradicts do[0] (callbacks: info)")]
    [InlineData("when: { queueAbove: 3 }", "do: [startCampaign: followup, stopCampaign: followup]", 48, 35, "playbook[1].do[1].stopCampaign", "contradicts do[0] (startCampaign: followup)")]
    // Conditions.
    [InlineData("when: { for: 10m }", "do: [activate: provider]", 47, 11, "playbook[1].when", "names no condition; give at least one of queueAbove, serviceLevelBelow")]
    [InlineData("when: {}", "do: [activate: provider]", 47, 11, "playbook[1].when", "names no condition")]
    [InlineData("when: { all: [{ clock: \"12:00\" }, {}] }", "do: [activate: provider]", 47, 39, "playbook[1].when.all[1]", "names no condition")]
    [InlineData("when: { type: info, number: main, queueAbove: 3 }", "do: [activate: provider]", 47, 33, "playbook[1].when.number", "not both")]
    [InlineData("when: { type: info, clock: \"12:00\" }", "do: [activate: provider]", 47, 19, "playbook[1].when.type", "scopes the queue and measured conditions of its own map")]
    [InlineData("when: { window: 1h, queueAbove: 3 }", "do: [activate: provider]", 47, 21, "playbook[1].when.window", "is the window of the measured conditions of its own map")]
    [InlineData("when: { window: 1m, serviceLevelBelow: 0.8 }", "do: [activate: provider]", 47, 21, "playbook[1].when.window", "must be at least playbookEvery (120s)")]
    [InlineData("when: { window: 15d, serviceLevelBelow: 0.8 }", "do: [activate: provider]", 47, 21, "playbook[1].when.window", "spans 10,800 evaluation periods (window / playbookEvery, rounded up); the limit is 10,000: make it at most 1200000s")]
    [InlineData("when: { window: 0, serviceLevelBelow: 0.8 }", "do: [activate: provider]", 47, 21, "playbook[1].when.window", "must be a duration above 0")]
    [InlineData("when: { queueAbove: 0 }", "do: [activate: provider]", 47, 25, "playbook[1].when.queueAbove", "from 1 to 1,000,000")]
    [InlineData("when: { serviceLevelBelow: 1.5 }", "do: [activate: provider]", 47, 32, "playbook[1].when.serviceLevelBelow", "must be a share from 0 to 1")]
    [InlineData("when: { offeredAbove: 0.5 }", "do: [activate: provider]", 47, 27, "playbook[1].when.offeredAbove", "must be a number of calls >= 1")]
    [InlineData("when: { clock: \"25:00\" }", "do: [activate: provider]", 47, 20, "playbook[1].when.clock", "must be a time of day")]
    [InlineData("when: { queueAbove: 3, for: 0 }", "do: [activate: provider]", 47, 33, "playbook[1].when.for", "must be a duration above 0")]
    [InlineData("when: { all: [] }", "do: [activate: provider]", 47, 18, "playbook[1].when.all", "must hold at least one condition map")]
    [InlineData("when: { any: { clock: \"12:00\" } }", "do: [activate: provider]", 47, 18, "playbook[1].when.any", "expected a list of condition maps")]
    [InlineData("when: { quueAbove: 3 }", "do: [activate: provider]", 47, 13, "playbook[1].when.quueAbove", "unknown key; allowed keys: type, number, queueAbove")]
    // Actions.
    [InlineData("when: { queueAbove: 3 }", "do: []", 48, 9, "playbook[1].do", "must hold at least one action")]
    [InlineData("when: { queueAbove: 3 }", "do: [{}]", 48, 10, "playbook[1].do[0]", "names no action; give exactly one of activate, lines, addLines")]
    [InlineData("when: { queueAbove: 3 }", "do: [{ activate: provider, openNumber: main }]", 48, 32, "playbook[1].do[0].openNumber", "an action holds exactly one action key, and this one holds activate already")]
    [InlineData("when: { queueAbove: 3 }", "do: [lines: { number: main, lines: 0 }]", 48, 40, "playbook[1].do[0].lines.lines", "must be an integer from 1 to 1,000,000")]
    [InlineData("when: { queueAbove: 3 }", "do: [addLines: { number: main }]", 48, 20, "playbook[1].do[0].addLines.lines", "missing required key")]
    [InlineData("when: { queueAbove: 3 }", "do: [hours: { number: main, always: true, open: \"08:00\" }]", 48, 53, "playbook[1].do[0].hours.open", "give always: true (open at all hours) or open and close, not both")]
    [InlineData("when: { queueAbove: 3 }", "do: [hours: { number: main, always: false }]", 48, 41, "playbook[1].do[0].hours.always", "must be true")]
    [InlineData("when: { queueAbove: 3 }", "do: [hours: { number: main, open: \"08:00\" }]", 48, 17, "playbook[1].do[0].hours.close", "missing required key")]
    [InlineData("when: { queueAbove: 3 }", "do: [hours: { number: main, open: \"08:00\", close: \"08:00\" }]", 48, 55, "playbook[1].do[0].hours.close", "must differ from open")]
    [InlineData("when: { queueAbove: 3 }", "do: [recordedMessage: { type: info, duration: 2h, satisfies: 0.1 }]", 48, 51, "playbook[1].do[0].recordedMessage.duration", "at most 3600s")]
    [InlineData("when: { queueAbove: 3 }", "do: [callbacks: { type: info, offerAbove: 1m, accept: 2, deadline: 1h }]", 48, 59, "playbook[1].do[0].callbacks.accept", "must be a probability from 0 to 1")]
    [InlineData("when: { queueAbove: 3 }", "do: [priority: { type: info, value: high }]", 48, 41, "playbook[1].do[0].priority.value", "expected an integer")]
    [InlineData("when: { queueAbove: 3 }", "do: [routing: random]", 48, 19, "playbook[1].do[0].routing", "unknown routing policy 'random'; a rule switches to a built-in policy: fifo, priority")]
    [InlineData("when: { queueAbove: 3 }", "do: [routing: { assembly: x.dll, type: X.Y }]", 48, 21, "playbook[1].do[0].routing.assembly", "a rule switches to a built-in policy only")]
    [InlineData("when: { queueAbove: 3 }", "do: [routing: { service: \"http://127.0.0.1:5080/route\" }]", 48, 21, "playbook[1].do[0].routing.service", "a routing service (service) may be the scenario's routing, not a rule's")]
    [InlineData("when: { queueAbove: 3 }", "do: [routing: { policy: overflow, settings: { after: 2m } }]", 48, 49, "playbook[1].do[0].routing.settings.group", "missing required setting")]
    [InlineData("when: { queueAbove: 3 }", "do: [routing: { policy: skills, settings: { select: fastest } }]", 48, 57, "playbook[1].do[0].routing.settings.select", "'fastest' is not allowed")]
    // Firings.
    [InlineData("when: { queueAbove: 3 }\n    once: false", "do: [activate: provider]", 48, 11, "playbook[1].once", "a rule fires once unless it has a cooldown")]
    [InlineData("when: { queueAbove: 3 }\n    once: true\n    cooldown: 1h", "do: [activate: provider]", 49, 15, "playbook[1].cooldown", "give once: true or a cooldown, not both")]
    [InlineData("when: { queueAbove: 3 }\n    cooldown: 1m", "do: [activate: provider]", 48, 15, "playbook[1].cooldown", "must be at least playbookEvery (120s)")]
    [InlineData("when: { queueAbove: 3 }\n    after: 31d", "do: [activate: provider]", 48, 12, "playbook[1].after", "must be a duration from 0 to 2592000s (30 days)")]
    public void A_bad_rule_names_line_column_key_and_reason(string when, string @do, int line, int column, string key, string reason)
    {
        var error = SingleError(Rule($"  - name: r\n    {when}\n    {@do}"), line, column, key);
        Assert.Contains(reason, error.Reason);
    }

    [Fact]
    public void The_windows_of_all_rules_together_are_bounded()
    {
        // 49 windows of 10,000 periods (20,000 min at playbookEvery 2m) per rule: two rules stay within 1,000,000
        // periods in all, a third goes beyond.
        static string Rules(int count) => string.Concat(Enumerable.Range(0, count).Select(i =>
            $"  - name: w{i}\n    when:\n      any:\n" + string.Concat(Enumerable.Repeat("        - { serviceLevelBelow: 0.5, window: 20000m }\n", 49))
            + "    do: [activate: provider]\n"));
        Assert.Equal(3, ScenarioLoader.Parse(Rule(Rules(2)), "t.yaml").Playbook!.Rules.Count);
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(Rule(Rules(3)), "t.yaml"));
        var error = Assert.Single(ex.Errors);
        Assert.Equal("playbook", error.Key);
        Assert.Contains("span 1,470,000 evaluation periods in all", error.Reason);
        Assert.Contains("the limit is 1,000,000", error.Reason);
    }

    [Fact]
    public void Across_rules_the_later_action_wins_without_an_error()
    {
        var s = ScenarioLoader.Parse(Rule("  - name: close\n    when: { queueAbove: 60 }\n    do: [closeNumber: overflow, recordedMessageOff: info, stopCampaign: followup]"), "t.yaml");
        Assert.Equal(new OpenNumberAction("overflow", Open: false), s.Playbook!.Rules[1].Do[0]);
        // The same action twice in one rule is no contradiction.
        ScenarioLoader.Parse(Rule("  - name: twice\n    when: { queueAbove: 60 }\n    do: [closeNumber: main, closeNumber: main]"), "t.yaml");
    }

    [Fact]
    public void An_on_call_group_no_rule_activates_and_a_closed_number_no_rule_opens_are_refused()
    {
        var text = Rule("").Replace("      - openNumber: overflow\n      - activate: standby\n", "      - activate: provider\n");
        var errors = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(text, "t.yaml")).Errors;
        Assert.Equal(2, errors.Count);
        Assert.Equal(("t.yaml", 13, 13, "numbers[1].closed"), (errors[0].File, errors[0].Line, errors[0].Column, errors[0].Key));
        Assert.Equal("number 'overflow' is closed from the start and no playbook rule opens it (add a rule with openNumber: overflow)", errors[0].Reason);
        Assert.Equal(("t.yaml", 38, 13, "groups[2].onCall"), (errors[1].File, errors[1].Line, errors[1].Column, errors[1].Key));
        Assert.Equal("group 'standby' never comes on duty: no playbook rule activates it (add a rule with activate: standby)", errors[1].Reason);

        // Without any playbook too.
        var without = Base[..Base.IndexOf("playbookEvery", StringComparison.Ordinal)];
        Assert.Equal(2, Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(without, "t.yaml")).Errors.Count);
    }

    [Fact]
    public void On_call_is_a_bounded_delay_and_not_an_activation()
    {
        var both = SingleError(Rule("").Replace("    activation: { delay: 2h, perHour: 10, max: 20 }", "    activation: { delay: 2h, perHour: 10, max: 20 }\n    onCall: { delay: 0 }"), 35, 13, "groups[1].onCall");
        Assert.Equal("a group is an outsourced provider (activation) or an on-call pool (onCall), not both", both.Reason);
        Assert.Contains("from 0 to 31622400s (366 days)", SingleError(Rule("").Replace("onCall: { delay: 30m }", "onCall: { delay: 367d }"), 38, 22, "groups[2].onCall.delay").Reason);
        Assert.Contains("expected true or false", SingleError(Rule("").Replace("closed: true", "closed: yes"), 13, 13, "numbers[1].closed").Reason);
    }

    [Fact]
    public void Duplicate_rule_names_are_refused()
    {
        var error = SingleError(Rule("  - name: open-overflow\n    when: { clock: \"12:00\" }\n    do: [activate: provider]"), 46, 11, "playbook[1].name");
        Assert.Equal("duplicate rule name 'open-overflow' (first defined on line 41)", error.Reason);
    }

    [Fact]
    public void A_cooldown_may_not_let_a_rule_fire_more_than_the_limit_over_the_horizon()
    {
        // 366 days of 30 minutes: a rule every 8 hours could fire once and then 1,098 times more.
        var text = Rule("  - name: r\n    when: { queueAbove: 3 }\n    do: [activate: provider]\n    cooldown: 8h").Replace("intervals: 8", "intervals: 17568");
        var error = SingleError(text, 49, 15, "playbook[1].cooldown");
        Assert.Equal("lets the rule fire up to 1,099 times over the horizon (31622400s: once, then once per cooldown); the limit is 1,000 per rule: make the cooldown at least 31654.055s", error.Reason);
        ScenarioLoader.Parse(text.Replace("cooldown: 8h", "cooldown: 31654.055"), "t.yaml");
    }

    [Fact]
    public void The_evaluations_over_the_horizon_are_bounded()
    {
        var text = Rule("").Replace("intervals: 8", "intervals: 17568").Replace("playbookEvery: 2m", "playbookEvery: 1s");
        var error = SingleError(text, 39, 16, "playbookEvery");
        Assert.Equal("the playbook would be evaluated 31,622,400 times over the horizon (31622400s, every 1s); the limit is 2,000,000: make playbookEvery at least 15.812s", error.Reason);
        ScenarioLoader.Parse(text.Replace("playbookEvery: 1s", "playbookEvery: 15.812"), "t.yaml");
        Assert.Contains("from 1s to 86400s (24 h)", SingleError(Rule("").Replace("playbookEvery: 2m", "playbookEvery: 2d"), 39, 16, "playbookEvery").Reason);
    }

    [Fact]
    public void Conditions_are_bounded_in_depth_and_count()
    {
        // Eight levels of all and any are accepted, a ninth is refused.
        string Nested(int levels) => levels == 0 ? "{ queueAbove: 3 }" : $"{{ all: [{Nested(levels - 1)}] }}";
        ScenarioLoader.Parse(Rule($"  - name: r\n    when: {Nested(8)}\n    do: [activate: provider]"), "t.yaml");
        var deep = SingleError(Rule($"  - name: r\n    when: {Nested(9)}\n    do: [activate: provider]"), 47, 82, "playbook[1].when.all[0].all[0].all[0].all[0].all[0].all[0].all[0].all[0].all");
        Assert.Equal("nests all and any 9 levels deep; the limit is 8", deep.Reason);

        // One all holding 25 maps of two conditions: 51 conditions.
        var items = string.Join(", ", Enumerable.Repeat("{ queueAbove: 3, sinceOnset: 0 }", 25));
        var many = SingleError(Rule($"  - name: r\n    when: {{ all: [{items}] }}\n    do: [activate: provider]"), 47, 11, "playbook[1].when");
        Assert.Equal("holds 51 conditions, counting those within all and any; the limit is 50 per rule", many.Reason);
        ScenarioLoader.Parse(Rule($"  - name: r\n    when: {{ any: [{items}] }}\n    do: [activate: provider]").Replace(", sinceOnset: 0 }] }", " }] }"), "t.yaml");
    }

    [Fact]
    public void Rules_and_actions_are_bounded_in_count()
    {
        var actions = string.Join(", ", Enumerable.Repeat("activate: provider", ScenarioLimits.MaxPlaybookActionsPerRule + 1));
        Assert.Equal("holds 51 actions; the limit is 50 per rule", SingleError(Rule($"  - name: r\n    when: {{ queueAbove: 3 }}\n    do: [{actions}]"), 48, 9, "playbook[1].do").Reason);

        var atLimit = string.Join(", ", Enumerable.Repeat("activate: provider", ScenarioLimits.MaxPlaybookActionsPerRule));
        Assert.Equal(50, ScenarioLoader.Parse(Rule($"  - name: r\n    when: {{ queueAbove: 3 }}\n    do: [{atLimit}]"), "t.yaml").Playbook!.Rules[1].Do.Count);

        // With the first rule of the base: 101 rules, then 100.
        var rules = string.Concat(Enumerable.Range(0, ScenarioLimits.MaxPlaybookRules).Select(i => $"  - {{ name: r{i}, when: {{ queueAbove: 3 }}, do: [activate: provider] }}\n"));
        Assert.Equal("holds 101 rules; the limit is 100", SingleError(Rule(rules), 41, 3, "playbook").Reason);
        var hundred = rules[..rules.LastIndexOf("  - ", StringComparison.Ordinal)];
        Assert.Equal(100, ScenarioLoader.Parse(Rule(hundred), "t.yaml").Playbook!.Rules.Count);
    }

    [Fact]
    public void A_setting_reaches_a_rule_by_its_name()
    {
        var text = Rule(Full);
        var s = ScenarioSettings.Parse(text, "t.yaml",
            [new ScenarioSetting("playbook.activate-provider.when.queueAbove", "30"), new ScenarioSetting("playbook.activate-provider.after", "5m"),
             new ScenarioSetting("playbook.relief.when.window", "1h"), new ScenarioSetting("playbookEvery", "5m")]);
        var provider = s.Playbook!.Rules[1];
        Assert.Equivalent(new HeldForCondition(new QueueCondition(PlaybookScope.All, 30), 600), provider.When, strict: true);
        Assert.Equal(300, provider.AfterSeconds);
        Assert.Equal(3600, Assert.IsType<WindowCondition>(Assert.IsType<AllOfCondition>(s.Playbook.Rules[2].When).Conditions[0]).WindowSeconds);
        Assert.Equal(300, s.Playbook.EvaluateEverySeconds);

        var bad = Assert.Single(Assert.Throws<ScenarioException>(() =>
            ScenarioSettings.Parse(text, "t.yaml", [new ScenarioSetting("playbook.activate-provider.when.queueAbove", "0")])).Errors);
        Assert.Equal(("playbook[1].when.queueAbove", 47), (bad.Key, bad.Line));
        Assert.EndsWith("(value set by playbook.activate-provider.when.queueAbove=0)", bad.Reason);
    }

    [Fact]
    public void A_sweep_runs_over_a_playbook_key()
    {
        var grid = new SweepGrid([SweepAxis.Parse("playbook.activate-provider.when.queueAbove=10..80:10", "--set")]);
        Assert.Equal(8, grid.Count);
        Sweep.Validate(Rule(Full), "t.yaml", grid);
        Assert.Equal(80, ((QueueCondition)((HeldForCondition)ScenarioSettings.Parse(Rule(Full), "t.yaml", grid.Point(7)).Playbook!.Rules[1].When).Condition).AtLeast);
    }

    [Fact]
    public void The_readme_example_is_a_valid_playbook()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryFiles.ScenariosFolder, "README.md"));
        var section = readme[readme.IndexOf("## Playbooks", StringComparison.Ordinal)..];
        var start = section.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        var example = section[start..section.IndexOf("```\n", start, StringComparison.Ordinal)];
        var text = """
            name: example
            interval: 30m
            intervals: 24
            serviceLevel: { threshold: 20s }
            callTypes:
              - name: info
                arrivals: { callsPerInterval: 400 }
                handleTime: { dist: exponential, mean: 4m }
              - name: symptoms
                arrivals: { callsPerInterval: 100 }
                handleTime: { dist: exponential, mean: 6m }

            """ + example;

        var s = ScenarioLoader.Parse(text, "README.md");
        Assert.Equal(["activate-provider", "call-in-reserve", "evening"], s.Playbook!.Rules.Select(r => r.Name));
        Assert.Equal(900, s.Playbook.Rules[0].AfterSeconds);
        Assert.Equal(new OnCallSpec(2700), s.Groups[1].OnCall);
        Assert.Null(SchemaValidator.Errors(text));
    }

    private static string Rule(string rule) => Base.Replace("RULE", rule.TrimEnd('\n'));

    private static ScenarioError SingleError(string yaml, int line, int column, string key)
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(yaml, "t.yaml"));
        var error = Assert.Single(ex.Errors);
        Assert.Equal(("t.yaml", line, column, key), (error.File, error.Line, error.Column, error.Key));
        return error;
    }
}
