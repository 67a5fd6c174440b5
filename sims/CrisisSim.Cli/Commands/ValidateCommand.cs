using System.CommandLine;
using System.Globalization;
using CrisisSim.Inputs;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Cli.Commands;

/// <summary><c>crisissim validate SCENARIO...</c>: checks scenario files without running them. A routing plug-in is
/// inspected from its metadata, never run, unless given with <c>--allow-plugin</c> (then its constructor checks its
/// settings too).</summary>
/// <remarks>A file beyond <see cref="ScenarioLimits"/> is refused by the loader, so every number printed is finite.</remarks>
public static class ValidateCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("scenarios") { Description = "Scenario YAML files.", Arity = ArgumentArity.OneOrMore };
        var allowPlugin = CommonOptions.AllowPluginOption(
            "A routing plug-in assembly to load, so that its constructor checks its settings (repeat for several); other plug-ins are inspected without running any of their code.");
        var allowHost = CommonOptions.AllowRoutingHostOption();
        var command = new Command("validate", "Check scenario files and print what they describe.") { files, allowPlugin, allowHost };
        command.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var e = parse.InvocationConfiguration.Error;
            var loaded = new HashSet<string>(StringComparer.Ordinal);
            var announce = CommonOptions.Announcer(e);
            if (CommonOptions.Trust(parse, allowPlugin, e, paths => Plugins.PluginTrust.InspectOnly(paths, (path, type) =>
                {
                    loaded.Add(path);
                    announce(path, type);
                }), allowHost) is not { } trust)
            {
                return CliApp.BadInput;
            }
            using var plugins = Plugins.PluginTrust.Use(trust);
            var ok = true;
            foreach (var file in parse.GetValue(files)!)
            {
                var s = CommonOptions.LoadScenario(file, e);
                if (s is null)
                {
                    ok = false;
                    continue;
                }
                Describe(file, s, o);
                if (s.Routing.AssemblyPath is { } plugin && !loaded.Contains(plugin))
                {
                    o.WriteLine($"  routing plug-in {s.Routing.TypeName} from {plugin}: inspected without running it; its settings are checked when a run loads it (or here with --allow-plugin {plugin})");
                }
                if (s.Routing.Service is { } service)
                {
                    o.WriteLine(Printable.Escape(Inv($"  routing service {service.Url}: not contacted; each decision is asked of it during a run (contract version {Plugins.RoutingService.ContractVersion}; under live load: timeout {service.TimeoutSeconds * 1000:0.###} ms, fallback {service.Fallback})")));
                }
            }
            return ok ? 0 : CliApp.BadInput;
        });
        return command;
    }

    private static void Describe(string file, ScenarioDefinition s, TextWriter o)
    {
        var grid = ArrivalGrid.Of(s);
        var total = s.CallTypes.Sum(t => t.Arrivals.ExpectedCalls(grid));
        o.WriteLine(Inv($"{file}: ok — {s.Name}, {s.IntervalCount} x {s.IntervalSeconds} s, {s.CallTypes.Count} call type(s), {s.Groups.Count} group(s), {total:F0} calls expected"));
        var width = Math.Clamp(s.CallTypes.Max(t => t.Name.Length), "total".Length, 30);
        var days = grid.DayCount;
        foreach (var type in s.CallTypes)
        {
            var calls = type.Arrivals.ExpectedCalls(grid);
            var peakPerHour = type.Arrivals.PeakRate(grid) * 3600;
            var outbound = type.Outbound is { } ob ? ", outbound, deadline " + Reporting.ConsoleReport.Duration(ob.DeadlineSeconds) : "";
            o.WriteLine(Inv($"  {type.Name.PadRight(width)}  {calls,14:F1} calls per replication, peak {peakPerHour,12:F1} calls/hour  ({type.Arrivals.Describe()}{outbound})"));
            if (days > 1)
            {
                // Days change at midnight (clock time): the first and last may be partial.
                var perDay = Enumerable.Range(1, days).Select(d =>
                    Inv($"day {d} {type.Arrivals.ExpectedCalls(grid, grid.DayStart(d), Math.Min(grid.DayStart(d + 1), grid.HorizonSeconds)):F0}"));
                o.WriteLine(Inv($"  {"".PadRight(width)}  per day: {string.Join(", ", perDay)}"));
            }
        }
        o.WriteLine(Inv($"  {"total".PadRight(width)}  {total,14:F1} calls per replication"));
        var groupWidth = Math.Clamp(s.Groups.Max(g => g.Name.Length), 1, 30);
        foreach (var group in s.Groups)
        {
            // The plan's operators on duty (shifts, breaks, shrinkage, activation), before any call keeps one longer.
            var onDuty = group.HasSchedule
                ? Model.Components.OperatorSchedule.OnDuty(group, s)
                : Model.Components.OperatorSchedule.Scheduled(group, s.IntervalSeconds, s.IntervalCount, s.ClockStartSeconds);
            var hours = 0.0;
            for (var i = 0; i < onDuty.Times.Length; i++)
            {
                var end = i + 1 < onDuty.Times.Length ? onDuty.Times[i + 1] : s.HorizonSeconds;
                hours += onDuty.Counts[i] * (end - onDuty.Times[i]) / 3600;
            }
            var rules = new List<string>();
            if (group.Shifts is { } shifts)
            {
                rules.Add(Inv($"{shifts.Count} shift(s)"));
            }
            if (group.Shrinkage > 0)
            {
                rules.Add(Inv($"shrinkage {group.Shrinkage}"));
            }
            if (group.OccupancyCap < 1)
            {
                rules.Add(Inv($"occupancy cap {group.OccupancyCap}"));
            }
            if (group.Proficiency is not null)
            {
                rules.Add("proficiency " + string.Join(", ", group.Proficiency.Select(p => Inv($"{p.Key} {p.Value}"))));
            }
            if (group.AfterCallWork is { } acw)
            {
                rules.Add("after-call work " + Reporting.ConsoleReport.Duration(acw.Mean));
            }
            if (group.Activation is { } a && s.Playbook?.Activates(group.Name) == true)
            {
                rules.Add("activated by the playbook, " + Reporting.ConsoleReport.Duration(a.DelaySeconds) + Inv($" after the rule's effect, {a.PerHour} per hour up to {a.Max}; hours shown as if from the start"));
            }
            else if (group.Activation is { } a2)
            {
                rules.Add("activation from " + Reporting.ConsoleReport.Duration(s.OnsetSeconds + a2.DelaySeconds) + Inv($", {a2.PerHour} per hour up to {a2.Max}"));
            }
            if (group.OnCall is { } onCall)
            {
                rules.Add("on call: all on duty " + Reporting.ConsoleReport.Duration(onCall.DelaySeconds) + " after a playbook rule calls them in; hours shown as if from the start");
            }
            if (group.Learning is { } l)
            {
                rules.Add(Inv($"learning from {l.Initial}, half-life ") + (l.HalfLifeCalls is { } calls ? Inv($"{calls} calls") : Reporting.ConsoleReport.Duration(l.HalfLifeSeconds!.Value)));
            }
            var cost = group.CostPerHour > 0 ? Inv($", cost {hours * group.CostPerHour:F1}") : "";
            var details = rules.Count > 0 ? "  (" + string.Join("; ", rules) + ")" : "";
            o.WriteLine(Inv($"  group {group.Name.PadRight(groupWidth)}  at most {onDuty.Max} on duty, {hours:F1} operator hours{cost}{details}"));
        }
        if (s.Playbook is { Rules.Count: > 0 } playbook)
        {
            o.WriteLine(Inv($"  playbook: {playbook.Rules.Count} rule(s), evaluated every {Reporting.ConsoleReport.Duration(playbook.EvaluateEverySeconds)}"));
            var ruleWidth = playbook.Rules.Max(r => r.Name.Length);
            foreach (var rule in playbook.Rules)
            {
                var after = rule.AfterSeconds > 0 ? ", after " + Reporting.ConsoleReport.Duration(rule.AfterSeconds) : "";
                var again = rule.CooldownSeconds is { } cooldown ? ", again after " + Reporting.ConsoleReport.Duration(cooldown) : ", once";
                o.WriteLine(Printable.Escape($"    {rule.Name.PadRight(ruleWidth)}  when {Condition(rule.When)}{after}{again}: {string.Join("; ", rule.Do.Select(Action))}"));
            }
        }
    }

    private static string Scope(PlaybookScope scope) => scope.CallType is { } t ? " of " + t : scope.Number is { } n ? " on " + n : "";

    private static string Window(double seconds) => double.IsPositiveInfinity(seconds) ? " since the start" : " over " + Reporting.ConsoleReport.Duration(seconds);

    /// <summary>A rule's condition in words, for the listing.</summary>
    private static string Condition(PlaybookConditionSpec condition) => condition switch
    {
        AllOfCondition all => "(" + string.Join(" and ", all.Conditions.Select(Condition)) + ")",
        AnyOfCondition any => "(" + string.Join(" or ", any.Conditions.Select(Condition)) + ")",
        HeldForCondition held => Condition(held.Condition) + " for " + Reporting.ConsoleReport.Duration(held.Seconds),
        QueueCondition queue => Inv($"queue{Scope(queue.Scope)} >= {queue.AtLeast}"),
        WindowCondition w => w.Measure switch
        {
            WindowMeasure.Offered => Inv($"offered{Scope(w.Scope)}{Window(w.WindowSeconds)} >= {w.Value}"),
            WindowMeasure.Asa => Inv($"ASA{Scope(w.Scope)}{Window(w.WindowSeconds)} {(w.Above ? ">=" : "<")} ") + Reporting.ConsoleReport.Duration(w.Value),
            _ => Inv($"{(w.Measure == WindowMeasure.ServiceLevel ? "service level" : "abandonment")}{Scope(w.Scope)}{Window(w.WindowSeconds)} {(w.Above ? ">=" : "<")} {w.Value * 100:0.##} %"),
        },
        ClockCondition clock => "clock " + Reporting.ConsoleReport.Clock(clock.ClockSeconds, false),
        SinceOnsetCondition since => Reporting.ConsoleReport.Duration(since.Seconds) + " after the onset",
        FiredCondition fired => fired.Rule + " fired",
        _ => condition.GetType().Name,
    };

    /// <summary>A rule's action in words, for the listing.</summary>
    private static string Action(PlaybookActionSpec action) => action switch
    {
        ActivateGroupAction a => "activate " + a.Group,
        SetLinesAction l => Inv($"{(l.Add ? "add" : "set")} {l.Lines} lines on {l.Number}"),
        OpenNumberAction n => (n.Open ? "open " : "close ") + n.Number,
        SetHoursAction h => h.Hours is { } hours
            ? $"hours of {h.Number} {Reporting.ConsoleReport.Clock(hours.OpenSeconds, false)}-{Reporting.ConsoleReport.Clock(hours.CloseSeconds, false)}"
            : $"{h.Number} open at all hours",
        RecordedMessageAction m => m.Message is { } message
            ? Inv($"recorded message for {m.CallType} ({message.Seconds:0.#} s, satisfies {message.DeflectedShare * 100:0.#} %)")
            : "recorded message off for " + m.CallType,
        CallbacksAction c => c.Callbacks is { } cb
            ? $"callbacks for {c.CallType} above {Reporting.ConsoleReport.Duration(cb.OfferAboveSeconds)}"
            : "callbacks off for " + c.CallType,
        SetPriorityAction p => Inv($"priority of {p.CallType} {p.Priority}"),
        SetRoutingAction r => "routing " + r.Routing.Name,
        CampaignAction c => (c.Start ? "start " : "stop ") + c.CallType,
        _ => action.GetType().Name,
    };

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
