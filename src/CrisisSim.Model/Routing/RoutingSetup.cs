using System.Globalization;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Model.Routing;

/// <summary>What a routing policy is constructed with: its settings (as written in the scenario) and the scenario's
/// call types and groups, so that settings naming them can be turned into indices once. The typed getters check a
/// setting and throw <see cref="RoutingSettingsException"/> naming it, which the scenario reader reports with the
/// file, line and key.</summary>
public sealed class RoutingSetup
{
    private readonly HashSet<string> _asked = new(StringComparer.Ordinal);

    public RoutingSetup(
        string policy,
        IReadOnlyDictionary<string, string> settings,
        IReadOnlyList<string> callTypes,
        IReadOnlyList<int> priorities,
        IReadOnlyList<string> groups)
    {
        Policy = policy;
        Settings = settings;
        CallTypes = callTypes;
        Priorities = priorities;
        Groups = groups;
    }

    /// <summary>The setup of a scenario's routing policy.</summary>
    public static RoutingSetup For(ScenarioDefinition scenario) => new(
        scenario.Routing.Name,
        scenario.Routing.Settings,
        [.. scenario.CallTypes.Select(c => c.Name)],
        [.. scenario.CallTypes.Select(c => c.Priority)],
        [.. scenario.Groups.Select(g => g.Name)]);

    /// <summary>The policy's name as the scenario gives it (a built-in name, or the plug-in's type name).</summary>
    public string Policy { get; }

    /// <summary>The settings as written (keys and values are text).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>Call type names; a call type's index in the view is its position here.</summary>
    public IReadOnlyList<string> CallTypes { get; }

    /// <summary>Each call type's priority, by index.</summary>
    public IReadOnlyList<int> Priorities { get; }

    /// <summary>Group names; a group's index in the view is its position here.</summary>
    public IReadOnlyList<string> Groups { get; }

    public int CallTypeIndex(string name) => IndexOf(CallTypes, name);

    public int GroupIndex(string name) => IndexOf(Groups, name);

    /// <summary>The setting's text, or null when the scenario does not give it.</summary>
    public string? Text(string key)
    {
        _asked.Add(key);
        return Settings.TryGetValue(key, out var value) ? value : null;
    }

    /// <summary>One of <paramref name="allowed"/> (exact spelling); <paramref name="fallback"/> when not given.</summary>
    public string Choice(string key, string fallback, params string[] allowed)
    {
        var text = Text(key);
        if (text is null)
        {
            return fallback;
        }
        if (Array.IndexOf(allowed, text) < 0)
        {
            throw new RoutingSettingsException(key, $"'{text}' is not allowed; use one of {string.Join(", ", allowed)}");
        }
        return text;
    }

    /// <summary>A finite number from <paramref name="min"/> to <paramref name="max"/>; required when
    /// <paramref name="fallback"/> is null.</summary>
    public double Number(string key, double min, double max, double? fallback = null)
    {
        var text = Text(key);
        if (text is null)
        {
            return fallback ?? throw Missing(key);
        }
        if (!TryNumber(text, out var value))
        {
            throw new RoutingSettingsException(key, $"expected a number, found '{text}'");
        }
        return InRange(key, value, min, max, text);
    }

    /// <summary>An integer from <paramref name="min"/> to <paramref name="max"/>; required when
    /// <paramref name="fallback"/> is null.</summary>
    public int Integer(string key, int min, int max, int? fallback = null)
    {
        var text = Text(key);
        if (text is null)
        {
            return fallback ?? throw Missing(key);
        }
        if (!TryNumber(text, out var value) || Math.Floor(value) != value)
        {
            throw new RoutingSettingsException(key, $"expected an integer, found '{text}'");
        }
        return (int)InRange(key, value, min, max, text);
    }

    /// <summary>A duration in seconds, written <c>90s</c>, <c>3m</c>, <c>1.5h</c>, <c>2d</c> or as a number of seconds,
    /// from <paramref name="min"/> to <paramref name="max"/> seconds; required when <paramref name="fallback"/> is null.</summary>
    public double Duration(string key, double min, double max, double? fallback = null)
    {
        var text = Text(key);
        if (text is null)
        {
            return fallback ?? throw Missing(key);
        }
        if (!TryDuration(text, out var seconds))
        {
            throw new RoutingSettingsException(key, $"expected a duration such as 90s, 3m, 1.5h, 2d or a number of seconds, found '{text}'");
        }
        if (seconds < min || seconds > max)
        {
            throw new RoutingSettingsException(key, Inv($"must be a duration from {Seconds(min)} to {Seconds(max)}, found '{text}'"));
        }
        return seconds;
    }

    /// <summary>The index of the group named by the setting.</summary>
    public int Group(string key)
    {
        var text = Text(key) ?? throw Missing(key);
        var index = GroupIndex(text);
        if (index < 0)
        {
            throw new RoutingSettingsException(key, $"no group is named '{text}'; groups: {string.Join(", ", Groups.Take(10))}{(Groups.Count > 10 ? " …" : "")}");
        }
        return index;
    }

    /// <summary>Refuses a setting that no getter asked for: call it last in the constructor.</summary>
    public void RejectUnknown()
    {
        foreach (var key in Settings.Keys.Order(StringComparer.Ordinal))
        {
            if (!_asked.Contains(key))
            {
                var allowed = _asked.Count == 0 ? $"{Policy} takes no settings" : "allowed: " + string.Join(", ", _asked.Order(StringComparer.Ordinal));
                throw new RoutingSettingsException(key, $"unknown setting of {Policy}; {allowed}");
            }
        }
    }

    /// <summary>A finite duration, read with the scenario format's rules (<see cref="Durations"/>).</summary>
    internal static bool TryDuration(string text, out double seconds) => Durations.TryParseFinite(text, out seconds);

    /// <summary>Finite, invariant culture, digits with sign, point and exponent only.</summary>
    internal static bool TryNumber(string text, out double value)
    {
        value = 0;
        var trimmed = text.Trim();
        foreach (var c in trimmed)
        {
            if (!(char.IsAsciiDigit(c) || c is '+' or '-' or '.' or 'e' or 'E'))
            {
                return false;
            }
        }
        return trimmed.Length > 0 && double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    private static double InRange(string key, double value, double min, double max, string text)
    {
        if (value < min || value > max)
        {
            throw new RoutingSettingsException(key, Inv($"must be from {min} to {max}, found '{text}'"));
        }
        return value;
    }

    private static RoutingSettingsException Missing(string key) => new(key, "missing required setting");

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }
        return -1;
    }

    private static string Seconds(double seconds) => Inv($"{seconds:0.###}s");

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A routing setting that a policy refuses: <see cref="Key"/> names it, <see cref="Reason"/> says why.</summary>
public sealed class RoutingSettingsException : ArgumentException
{
    public RoutingSettingsException(string key, string reason)
        : base(reason, key)
    {
        Key = key;
        Reason = reason;
    }

    /// <summary>The setting's key (under <c>routing.settings</c>).</summary>
    public string Key { get; }

    public string Reason { get; }

    /// <summary>The reason alone (the key is reported apart).</summary>
    public override string Message => Reason;
}
