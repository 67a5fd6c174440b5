using CrisisSim.Model.Scenario;
using YamlDotNet.RepresentationModel;

namespace CrisisSim.Scenarios;

/// <summary>Walks the YAML tree of one scenario file, collecting every error with its position and key.</summary>
/// <remarks>Each read method records what is wrong and returns a fallback value so that reading goes on; the
/// definition is built only when no error was found.</remarks>
internal sealed partial class ScenarioReader
{
    /// <summary>Errors listed at most; a file of a million bad values gets a bounded message.</summary>
    private const int MaxReportedErrors = 100;

    private readonly string _file;
    private readonly List<ScenarioError> _errors = [];
    private readonly HashSet<DistributionSpec> _sampledSpecs = [];
    private ScenarioError? _firstUnreported;
    private long _unreported;

    // Known once interval and intervals are valid; 0 until then (list lengths and rates are then not checked).
    private double _intervalSeconds;
    private int _intervalCount;
    private double _clockStart;
    private double _onset;
    private long _scheduleChanges;

    // Told of every key the reader looks up in a map of the format (the map's name, the key): tests check that every
    // key of ScenarioFormat is read.
    private readonly Action<string, string>? _keyRead;

    public ScenarioReader(string file, Action<string, string>? keyRead = null)
    {
        _file = file;
        _keyRead = keyRead;
    }

    public ScenarioDefinition Read(YamlStream stream)
    {
        if (stream.Documents.Count > 1)
        {
            Error(stream.Documents[1].RootNode, "", "a scenario file holds one YAML document; found a second one");
        }
        if (stream.Documents.Count == 0 || IsNull(stream.Documents[0].RootNode))
        {
            _errors.Insert(0, new ScenarioError(_file, 1, 1, "",
                "the file is empty: a scenario needs at least " + Enumerate(ScenarioFormat.Scenario.RequiredKeys)));
            throw new ScenarioException(_errors);
        }

        var definition = ReadRoot(stream.Documents[0].RootNode);
        if (_errors.Count > 0 || definition is null)
        {
            var errors = _errors
                .OrderBy(e => e.Line == 0 ? int.MaxValue : e.Line)
                .ThenBy(e => e.Column)
                .ToList();
            if (_firstUnreported is { } first)
            {
                errors.Add(first with
                {
                    Key = "",
                    Reason = Inv($"{_unreported:N0} more error(s) not listed, the first of them here ({first.Key}: {first.Reason})"),
                });
            }
            throw new ScenarioException(errors);
        }
        return definition;
    }

    private ScenarioDefinition? ReadRoot(YamlNode root)
    {
        var fields = Fields(root, "", "the scenario", ScenarioFormat.Scenario);
        if (fields is null)
        {
            return null;
        }

        var name = Name(fields, "name", "");

        var description = "";
        if (fields.Get("description") is { } descriptionNode && !IsNull(descriptionNode))
        {
            description = Text(descriptionNode, "description") ?? "";
        }

        var clockStart = 0.0;
        if (fields.Get("start") is { } startNode && Text(startNode, "start") is { } startText)
        {
            if (ParseClock(startText) is { } startSeconds)
            {
                clockStart = startSeconds;
            }
            else
            {
                Error(startNode, "start", $"must be a time of day HH:MM or HH:MM:SS from 00:00 to 23:59:59, not '{Shorten(startText)}'");
            }
        }

        var intervalSeconds = BoundedDuration(fields, "interval", "") ?? 0;
        var intervalCount = BoundedInteger(fields, "intervals", "") ?? 0;
        var countNode = fields.Get("intervals");

        if (intervalSeconds > 0 && intervalCount > 0)
        {
            if (intervalSeconds * intervalCount > ScenarioLimits.MaxHorizonSeconds)
            {
                Error(countNode!, "intervals",
                    Inv($"the horizon (intervals x interval) is {FormatSeconds(intervalSeconds * intervalCount)}; the limit is {FormatSeconds(ScenarioLimits.MaxHorizonSeconds)} (366 days)"));
            }
            else
            {
                _intervalSeconds = intervalSeconds;
                _intervalCount = intervalCount;
            }
        }
        var horizon = _intervalSeconds * _intervalCount;

        var warmup = 0.0;
        if (fields.Get("warmup") is { } warmupNode && BoundedDuration(fields, "warmup", "") is { } warmupValue)
        {
            if (horizon > 0 && warmupValue >= horizon)
            {
                Error(warmupNode, "warmup",
                    Inv($"must be shorter than the horizon ({FormatSeconds(horizon)} = intervals x interval)"));
            }
            else if (horizon > 0 && Math.Ceiling(warmupValue / _intervalSeconds - 1e-9) >= _intervalCount)
            {
                // The overall KPIs start at the first whole interval after the warm-up: there must be one.
                Error(warmupNode, "warmup",
                    Inv($"leaves no whole interval to count: the warm-up is rounded up to whole intervals and ends in the last one (interval {_intervalCount}, from {FormatSeconds(_intervalSeconds * (_intervalCount - 1))}); make it at most {FormatSeconds(_intervalSeconds * (_intervalCount - 1))}"));
            }
            else
            {
                warmup = warmupValue;
            }
        }

        var drain = BoundedDuration(fields, "drain", "") ?? 4 * 3600.0;

        var serviceLevel = fields.Get("serviceLevel") is { } serviceLevelNode
            ? ReadServiceLevel(serviceLevelNode)
            : null;

        var routing = fields.Get("routing") is { } routingNode
            ? ReadRouting(routingNode, fields.Keys.First(k => k.Key == "routing").KeyNode)
            : null;

        _clockStart = clockStart;
        _onset = BoundedDuration(fields, "onset", "") ?? 0;
        if (fields.Get("busyness") is { } busynessNode)
        {
            ReadBusyness(busynessNode);
        }

        var numbersNode = fields.Get("numbers");
        var numbers = numbersNode is null || IsNull(numbersNode) || !WithinCount(numbersNode, "numbers", "numbers", fields.KeyFormat("numbers"))
            ? []
            : ReadList(numbersNode, "numbers", "entry number", ReadNumber);
        var numbersComplete = numbersNode is null || IsNull(numbersNode)
            || (numbersNode is YamlSequenceNode ns && ns.Children.Count == numbers.Count);

        var callTypesNode = fields.Get("callTypes");
        var callTypes = callTypesNode is null || !WithinCount(callTypesNode, "callTypes", "call types", fields.KeyFormat("callTypes"))
            ? []
            : ReadList(callTypesNode, "callTypes", "call type", ReadCallType);
        var groupsNode = fields.Get("groups");
        var groups = groupsNode is null || !WithinCount(groupsNode, "groups", "groups", fields.KeyFormat("groups"))
            ? []
            : ReadList(groupsNode, "groups", "operator group", ReadGroup);
        if (callTypesNode is not null && callTypes.Count > 0)
        {
            CheckExpectedCalls(callTypesNode, callTypes);
        }
        if (groupsNode is not null && groups.Count > 0)
        {
            CheckOperatorsOnDuty(groupsNode, groups);
        }
        var playbook = ReadPlaybook(fields);

        // Cross-references are checked only between entries read in full, so that one mistake is reported once.
        var callTypesComplete = callTypesNode is YamlSequenceNode { Children.Count: > 0 } c && c.Children.Count == callTypes.Count;
        var groupsComplete = groupsNode is YamlSequenceNode { Children.Count: > 0 } g && g.Children.Count == groups.Count
            && groups.All(group => group.ServesComplete);
        CheckReferences(callTypes, groups, callTypesComplete, groupsComplete);
        CheckNumbers(numbers, callTypes, numbersComplete);
        CheckTransfers(callTypes);
        if (routing is not null && callTypesComplete && groupsComplete)
        {
            CheckRouting(routing, callTypes.Select(c => c.Spec).ToList(), groups.Select(g => g.Spec).ToList());
        }
        CheckPlaybook(playbook, callTypes, groups, numbers, callTypesComplete, groupsComplete, numbersComplete);

        if (_errors.Count > 0 || name is null || serviceLevel is null)
        {
            return null;
        }
        return new ScenarioDefinition
        {
            Name = name,
            Description = description,
            ClockStartSeconds = clockStart,
            IntervalSeconds = intervalSeconds,
            IntervalCount = intervalCount,
            WarmupSeconds = warmup,
            DrainSeconds = drain,
            ServiceLevel = serviceLevel,
            Routing = routing?.Spec ?? RoutingSpec.Fifo,
            OnsetSeconds = _onset,
            CallTypes = callTypes.Select(c => c.Spec).ToList().AsReadOnly(),
            Groups = groups.Select(g => g.Spec).ToList().AsReadOnly(),
            Numbers = numbers.Select(n => n.Spec).ToList().AsReadOnly(),
            Playbook = playbook.Rules.Count == 0
                ? null
                : new PlaybookSpec(playbook.Rules.Select(r => r.Spec).ToList().AsReadOnly(), _playbookEvery ?? PlaybookSpec.DefaultEvaluateEverySeconds),
        };
    }

    private ServiceLevelSpec? ReadServiceLevel(YamlNode node)
    {
        const string Path = "serviceLevel";
        var fields = Fields(node, Path, "the service level", ScenarioFormat.ServiceLevel);
        if (fields is null)
        {
            return null;
        }

        var threshold = BoundedDuration(fields, "threshold", Path);
        var target = BoundedNumber(fields, "target", Path) ?? 0.8;
        return threshold is { } t ? new ServiceLevelSpec(t, target) : null;
    }

    private void Error(YamlNode node, string key, string reason)
    {
        var error = new ScenarioError(_file, Line(node), ScenarioLoader.Position(node.Start.Column), key, reason);
        if (_errors.Count < MaxReportedErrors)
        {
            _errors.Add(error);
        }
        else
        {
            _firstUnreported ??= error;
            _unreported++;
        }
    }
}
