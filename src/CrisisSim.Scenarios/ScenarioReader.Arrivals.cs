using CrisisSim.Inputs;
using CrisisSim.Model.Scenario;
using YamlDotNet.RepresentationModel;

namespace CrisisSim.Scenarios;

/// <summary>The demand of a call type: its baseline (per interval, per hour, daily profile or CSV rate table),
/// surges, busyness and self-exciting waves, and the bound on the calls a replication expects.</summary>
internal sealed partial class ScenarioReader
{
    // The scenario's busyness (null when it has none); call types opt in with arrivals.busyness: true.
    private (double Alpha, BusynessPeriod Period, YamlNode Node)? _busyness;
    private bool _busynessInvalid;

    /// <summary>The arrival process of a call type: one baseline (callsPerInterval, callsPerHour, profile or csv), then
    /// optional surges, busyness and self-exciting waves. The expected calls of the result are within the limit.</summary>
    private ArrivalSpec? ReadArrivals(YamlNode node, string path)
    {
        var fields = Fields(node, path, "the arrivals", ScenarioFormat.Arrivals);
        if (fields is null)
        {
            return null;
        }

        var baselineKeys = ScenarioFormat.Arrivals.Rule<ExactlyOneOf>().Keys;
        var baselines = baselineKeys.Where(k => fields.Get(k) is not null).ToList();
        if (baselines.Count > 1)
        {
            Error(node, path, $"give exactly one of {string.Join(", ", baselineKeys)}; found {string.Join(" and ", baselines)}");
            return null;
        }
        if (baselines.Count == 0)
        {
            Error(node, path, "missing: give one of callsPerInterval (calls in each interval), callsPerHour (hourly rate), profile (hour-of-day rates repeated every day) or csv (a rate table)");
            return null;
        }
        var key = baselines[0];
        var baselineNode = fields.Get(key)!;
        var surgesNode = fields.Get("surges");
        IReadOnlyList<SurgeSpec> surges = [];
        if (surgesNode is not null)
        {
            if (key == "csv")
            {
                Error(surgesNode, Join(path, "surges"), "surges apply to a callsPerInterval, callsPerHour or profile baseline, not to a csv table");
                return null;
            }
            surges = ReadSurges(surgesNode, Join(path, "surges")) ?? [];
        }

        IntensitySpec? spec = key switch
        {
            "callsPerInterval" or "callsPerHour" => PerInterval(Rates(baselineNode, Join(path, key), key == "callsPerHour" ? _intervalSeconds / 3600.0 : 1.0), surgesNode is not null, surges),
            "profile" => ReadProfile(baselineNode, Join(path, "profile")) is { } profile ? new SurgeArrivalSpec(profile, surges) : null,
            _ => ReadCsv(baselineNode, Join(path, "csv")),
        };

        if (fields.Get("busyness") is { } busyNode && Boolean(busyNode, Join(path, "busyness")) is true && spec is not null)
        {
            if (_busyness is { } b)
            {
                spec = new BusyArrivalSpec(spec, b.Alpha, b.Period);
            }
            else
            {
                if (!_busynessInvalid)
                {
                    Error(busyNode, Join(path, "busyness"), "the scenario defines no busyness: add busyness: { alpha: 10, per: day } at the top level");
                }
                spec = null;
            }
        }

        ArrivalSpec? result = spec;
        if (fields.Get("hawkes") is { } hawkesNode)
        {
            var hawkes = ReadHawkes(hawkesNode, Join(path, "hawkes"));
            result = spec is not null && hawkes is { } h ? new HawkesArrivalSpec(spec, h.Branching, h.Decay) : null;
        }

        if (result is not null && _intervalCount > 0)
        {
            var expected = result.ExpectedCalls(new ArrivalGrid(_intervalSeconds, _intervalCount, _clockStart));
            if (!(expected <= ScenarioLimits.MaxExpectedCallsPerReplication))
            {
                Error(node, path, TooManyCalls(Count(expected), $" ({result.Describe()})"));
                return null;
            }
        }
        return result;
    }

    private IntensitySpec? PerInterval(IReadOnlyList<double> values, bool withSurges, IReadOnlyList<SurgeSpec> surges) =>
        values.Count == 0 ? null
        : withSurges ? new SurgeArrivalSpec(new PerIntervalBaseline(values), surges)
        : new PoissonArrivalSpec(values);

    private void ReadBusyness(YamlNode node)
    {
        const string Path = "busyness";
        _busynessInvalid = true;
        var fields = Fields(node, Path, "the busyness", ScenarioFormat.Busyness);
        if (fields is null)
        {
            return;
        }
        var alpha = BoundedNumber(fields, "alpha", Path);
        var period = BusynessPeriod.Day;
        var ok = true;
        if (fields.Get("per") is { } perNode && Text(perNode, "busyness.per") is { } per)
        {
            switch (per)
            {
                case "day":
                    break;
                case "replication":
                    period = BusynessPeriod.Replication;
                    break;
                default:
                    Error(perNode, "busyness.per", $"unknown period '{Shorten(per)}'; allowed: {string.Join(", ", Choices(ScenarioFormat.Busyness, "per"))}");
                    ok = false;
                    break;
            }
        }
        if (alpha is { } value && ok)
        {
            _busyness = (value, period, node);
            _busynessInvalid = false;
        }
    }

    private (double Branching, double Decay)? ReadHawkes(YamlNode node, string path)
    {
        var fields = Fields(node, path, "the self-exciting waves", ScenarioFormat.Hawkes);
        if (fields is null)
        {
            return null;
        }
        double? branching = null;
        if (fields.Get("branching") is { } nNode && Number(nNode, Join(path, "branching")) is { } n)
        {
            var format = (BoundedFormat)fields.KeyFormat("branching");
            if (n >= 1)
            {
                // An unstable process, worth its own explanation rather than the range alone.
                Error(nNode, Join(path, "branching"), Say(
                    "is {value}: with a branching ratio of 1 or more each call triggers at least one more on average, so the wave never dies out (an unstable process); use a value below 1 (at most {max})",
                    format.Min?.Value, format.Max?.Value, n));
            }
            else if (WithinBounds(nNode, Join(path, "branching"), n, format))
            {
                branching = n;
            }
        }
        var decay = BoundedDuration(fields, "decay", path);
        return branching is { } b && decay is { } dd ? (b, dd) : null;
    }

    private DailyProfileBaseline? ReadProfile(YamlNode node, string path)
    {
        var fields = Fields(node, path, "the daily profile", ScenarioFormat.Profile);
        if (fields is null)
        {
            return null;
        }
        var perHour = fields.Get("callsPerHour") is { } hoursNode
            ? FixedList(hoursNode, Join(path, "callsPerHour"), "calls per hour, one for each hour of the day from 00:00", (ListFormat)fields.KeyFormat("callsPerHour"))
            : null;
        IReadOnlyList<double>? factors = [];
        if (fields.Get("dayFactors") is { } factorsNode)
        {
            factors = FixedList(factorsNode, Join(path, "dayFactors"), "factors, one for each day of the week starting with the first day of the run",
                (ListFormat)fields.KeyFormat("dayFactors"));
        }
        return perHour is null || factors is null ? null : new DailyProfileBaseline(perHour, factors);
    }

    /// <summary>A list of exactly as many numbers as <paramref name="format"/> asks for, each within its items' bounds.</summary>
    private IReadOnlyList<double>? FixedList(YamlNode node, string path, string what, ListFormat format)
    {
        var count = format.MinItems;
        if (node is not YamlSequenceNode sequence || sequence.Children.Count != count)
        {
            Error(node, path, Inv($"expected a list of {count} {what}, found {(node is YamlSequenceNode q ? q.Children.Count + " values" : Describe(node))}"));
            return null;
        }
        var values = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var itemPath = Inv($"{path}[{i}]");
            if (Number(sequence.Children[i], itemPath) is { } v && WithinBounds(sequence.Children[i], itemPath, v, format.Item))
            {
                values.Add(v);
            }
        }
        return values.Count == count ? values.AsReadOnly() : null;
    }

    private IReadOnlyList<SurgeSpec>? ReadSurges(YamlNode node, string path)
    {
        if (node is not YamlSequenceNode sequence)
        {
            Error(node, path, $"expected a list of surges such as - {{ shape: decay, at: 1d, multiplier: 5, halfLife: 12h }}, found {Describe(node)}");
            return null;
        }
        if (!WithinMostItems(node, path, sequence.Children.Count, ScenarioFormat.Arrivals.Key("surges").Format))
        {
            return null;
        }
        var surges = ReadList(node, path, "surge", ReadSurge);
        return surges.Count == sequence.Children.Count ? surges.AsReadOnly() : null;
    }

    private SurgeSpec? ReadSurge(YamlNode node, string path)
    {
        var shapes = ScenarioFormat.SurgeShapes;
        var raw = Fields(node, path, "a surge", null);
        if (raw is null)
        {
            return null;
        }
        if (Discriminator(raw, shapes, path) is not { } shapeNode || Text(shapeNode, Join(path, shapes.Discriminator)) is not { } shape)
        {
            return null;
        }
        if (shapes.Variant(shape) is not { } variant)
        {
            Error(shapeNode, Join(path, shapes.Discriminator), $"unknown surge shape '{Shorten(shape)}'; allowed: {string.Join(", ", shapes.Names)}");
            return null;
        }
        // The shape's own durations are its required keys beyond shape, at and multiplier; step and ramp may end (until).
        string[] durations = [.. variant.RequiredKeys.Except([shapes.Discriminator, "at", "multiplier"])];
        var mayEnd = variant.Has("until");
        var ok = Restrict(raw, variant, path, $"unknown key for shape {shape}; allowed keys: {string.Join(", ", variant.KeyNames)}", shapes.Discriminator);

        double at = 0;
        if (raw.Get("at") is { } atNode && Duration(atNode, Join(path, "at")) is { } atValue)
        {
            ok &= WithinBounds(atNode, Join(path, "at"), atValue, raw.KeyFormat("at"));
            at = atValue;
        }
        else
        {
            ok = false;
        }

        double multiplier = 1;
        if (raw.Get("multiplier") is { } mNode && Number(mNode, Join(path, "multiplier")) is { } m)
        {
            ok &= WithinBounds(mNode, Join(path, "multiplier"), m, raw.KeyFormat("multiplier"));
            multiplier = m;
        }
        else
        {
            ok = false;
        }

        var values = new Dictionary<string, double>();
        foreach (var key in durations)
        {
            if (raw.Get(key) is { } dNode && Duration(dNode, Join(path, key)) is { } d)
            {
                ok &= WithinBounds(dNode, Join(path, key), d, raw.KeyFormat(key));
                values[key] = d;
            }
            else
            {
                ok = false;
            }
        }

        var until = double.PositiveInfinity;
        if (mayEnd && raw.Get("until") is { } untilNode)
        {
            if (Duration(untilNode, Join(path, "until")) is { } u)
            {
                var earliest = at + values.GetValueOrDefault("over");
                if (!(u > earliest))
                {
                    Error(untilNode, Join(path, "until"), Inv($"must be after the onset{(shape == "ramp" ? " plus the ramp" : "")} ({FormatSeconds(earliest)})"));
                    ok = false;
                }
                until = u;
            }
            else
            {
                ok = false;
            }
        }
        if (!ok)
        {
            return null;
        }
        return shape switch
        {
            "step" => new StepSurge(at, multiplier, until),
            "ramp" => new RampSurge(at, multiplier, values["over"], until),
            "decay" => new DecaySurge(at, multiplier, values["halfLife"]),
            _ => new GammaBumpSurge(at, multiplier, values["timeToPeak"], values["decay"]),
        };
    }

    /// <summary>A rate table read from a CSV file next to the scenario: a header <c>time,callsPerHour</c> or
    /// <c>time,calls</c>, then one row per step; errors name the CSV file and line.</summary>
    private RateTableArrivalSpec? ReadCsv(YamlNode node, string path)
    {
        if (Text(node, path) is not { } relative)
        {
            return null;
        }
        var directory = Path.GetDirectoryName(_file);
        string csvPath;
        try
        {
            csvPath = Path.IsPathRooted(relative) || string.IsNullOrEmpty(directory) ? relative : Path.Combine(directory, relative);
        }
        catch (ArgumentException)
        {
            Error(node, path, $"'{Shorten(relative)}' is not a valid file path");
            return null;
        }
        string text;
        try
        {
            var (bytes, length) = InputFile.Read(csvPath, ScenarioLimits.MaxFileBytes, "a CSV rate table");
            text = ScenarioLoader.Decode(bytes.AsSpan(0, length), csvPath);
        }
        catch (InputFileException ex)
        {
            const string CannotRead = "cannot read the file: ";
            Error(node, path, ex.Reason == "file not found" ? $"CSV file '{csvPath}' not found (the path is relative to the scenario file)"
                : ex.Reason.StartsWith(CannotRead, StringComparison.Ordinal) ? $"cannot read CSV file '{csvPath}': {ex.Reason[CannotRead.Length..]}"
                : $"CSV file '{csvPath}' {ex.Reason}");
            return null;
        }
        catch (ScenarioException ex)
        {
            foreach (var e in ex.Errors)
            {
                _errors.Add(e with { Key = path });
            }
            return null;
        }
        return RateTable.Parse(text, csvPath, relative, path, _intervalCount > 0 ? _intervalSeconds * _intervalCount : double.NaN, CsvError);
    }

    private void CsvError(ScenarioError error)
    {
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

    /// <summary>A rate per interval: one number for every interval, or a list with one number per interval.</summary>
    /// <remarks>The calls expected in one replication are bounded (<see cref="ScenarioLimits.MaxExpectedCallsPerReplication"/>);
    /// a list over it is returned empty so that no total is counted twice.</remarks>
    private IReadOnlyList<double> Rates(YamlNode node, string path, double toCallsPerInterval)
    {
        if (node is YamlSequenceNode sequence)
        {
            var values = new List<double>(sequence.Children.Count);
            var total = 0.0;
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                if (Rate(sequence.Children[i], Inv($"{path}[{i}]")) is { } rate)
                {
                    values.Add(rate * toCallsPerInterval);
                    total += rate * toCallsPerInterval;
                }
            }
            CheckLength(sequence, path, "values");
            if (!(total <= ScenarioLimits.MaxExpectedCallsPerReplication))
            {
                Error(node, path, TooManyCalls(Count(total)));
                return [];
            }
            return values.AsReadOnly();
        }
        if (Rate(node, path) is { } single)
        {
            var perInterval = single * toCallsPerInterval;
            var intervals = Math.Max(1, _intervalCount);
            if (!(perInterval * intervals <= ScenarioLimits.MaxExpectedCallsPerReplication))
            {
                var each = _intervalCount > 0 ? Inv($" ({Count(single, toCallsPerInterval)} in each of the {_intervalCount:N0} intervals)") : "";
                Error(node, path, TooManyCalls(Count(single, toCallsPerInterval * intervals), each));
                return [];
            }
            if (_intervalCount > 0)
            {
                return new SameEachInterval<double>(perInterval, _intervalCount);
            }
        }
        return [];
    }

    private static string TooManyCalls(string expected, string detail = "") =>
        Inv($"expects {expected} calls per replication{detail}; the limit is {ScenarioLimits.MaxExpectedCallsPerReplication:N0}");

    /// <summary>The total expected calls of all call types (each already within the limit) is within the limit too.</summary>
    private void CheckExpectedCalls(YamlNode node, IReadOnlyList<CallTypeEntry> callTypes)
    {
        if (_intervalCount == 0)
        {
            return;
        }
        var grid = new ArrivalGrid(_intervalSeconds, _intervalCount, _clockStart);
        var total = callTypes.Sum(c => c.Spec.Arrivals.ExpectedCalls(grid));
        if (total > ScenarioLimits.MaxExpectedCallsPerReplication)
        {
            Error(node, "callTypes", Inv(
                $"the call types expect {Count(total)} calls per replication in all; the limit is {ScenarioLimits.MaxExpectedCallsPerReplication:N0}"));
        }
    }

    private double? Rate(YamlNode node, string path)
    {
        var value = Number(node, path);
        if (value < 0)
        {
            Error(node, path, "must be a number of calls >= 0");
            return null;
        }
        return value;
    }
}
