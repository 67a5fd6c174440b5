namespace CrisisSim.Scenarios;

/// <summary>The form of one value of the scenario format (see <see cref="ScenarioFormat"/>).</summary>
public abstract record ValueFormat;

/// <summary>A bound on a number or duration: <see cref="Value"/> included (at least, at most) or excluded (above,
/// below).</summary>
public readonly record struct Bound(double Value, bool Inclusive)
{
    public static Bound AtLeast(double value) => new(value, true);

    public static Bound Above(double value) => new(value, false);

    public static Bound AtMost(double value) => new(value, true);

    public static Bound Below(double value) => new(value, false);
}

/// <summary>Any single value, read as text (a plain number or <c>true</c> is text too).</summary>
/// <param name="Pattern">A regular expression the whole text matches (names), or null.</param>
public sealed record TextFormat(int MinLength = 0, int? MaxLength = null, string? Pattern = null) : ValueFormat;

/// <summary>One of a fixed list of words.</summary>
public sealed record ChoiceFormat(IReadOnlyList<string> Names) : ValueFormat;

/// <summary>A value with bounds, and the reader's words for a value beyond them.</summary>
public abstract record BoundedFormat(Bound? Min, Bound? Max) : ValueFormat
{
    /// <summary>What the reader says of a value beyond <see cref="Min"/> or <see cref="Max"/>; null where the reader
    /// checks the bounds itself (they depend on other values).</summary>
    public BoundWords? Words { get; init; }

    /// <summary>Whether <paramref name="value"/> is within <see cref="Min"/>.</summary>
    public bool AboveMin(double value) => Min is not { } min || (min.Inclusive ? value >= min.Value : value > min.Value);

    /// <summary>Whether <paramref name="value"/> is within <see cref="Max"/>.</summary>
    public bool BelowMax(double value) => Max is not { } max || (max.Inclusive ? value <= max.Value : value < max.Value);
}

/// <summary>The reader's message for a value beyond a bound of its key. The text may hold <c>{min}</c>, <c>{max}</c> and
/// <c>{value}</c>, each with an optional .NET format (<c>{max:N0}</c>) or <c>:s</c> for seconds (<c>{max:s}</c> gives
/// <c>604800s</c>); numbers are written in invariant culture.</summary>
/// <param name="BelowMin">Said of a value beyond the lower bound.</param>
/// <param name="AboveMax">Said of a value beyond the upper bound; null when a rule across keys checks that bound
/// instead (the horizon bounds the interval).</param>
public sealed record BoundWords(string BelowMin, string? AboveMax)
{
    /// <summary>The same words for both bounds.</summary>
    public BoundWords(string beyond)
        : this(beyond, beyond)
    {
    }
}

/// <summary>A plain number of seconds, or a number with a unit s, m, h or d.</summary>
public sealed record DurationFormat(Bound? Min = null, Bound? Max = null) : BoundedFormat(Min, Max);

/// <summary>A time of day <c>HH:MM</c> or <c>HH:MM:SS</c>, 00:00 to 23:59:59.</summary>
public sealed record ClockTimeFormat : ValueFormat;

/// <summary>A plain integer (<c>1e3</c> and <c>14.0</c> are integers too).</summary>
public sealed record IntegerFormat(Bound? Min = null, Bound? Max = null) : BoundedFormat(Min, Max);

/// <summary>A plain number.</summary>
public sealed record NumberFormat(Bound? Min = null, Bound? Max = null) : BoundedFormat(Min, Max);

/// <summary><c>true</c> or <c>false</c>.</summary>
public sealed record BooleanFormat : ValueFormat;

/// <summary>The word <c>none</c>.</summary>
public sealed record NoneFormat : ValueFormat;

/// <summary>A list of values of one form.</summary>
public sealed record ListFormat(ValueFormat Item, int MinItems = 0, int? MaxItems = null, bool UniqueItems = false) : ValueFormat
{
    /// <summary>What the reader says of a list longer than <see cref="MaxItems"/>: <c>{value}</c> is its length and
    /// <c>{max}</c> the limit (see <see cref="BoundWords"/>).</summary>
    public string? TooMany { get; init; }
}

/// <summary>A map whose keys the user chooses (names of call types, settings), each mapped to a value of one form.</summary>
public sealed record MapOfFormat(ValueFormat Value, int MinEntries = 0, int? MaxEntries = null, int? MaxKeyLength = null) : ValueFormat;

/// <summary>A map described elsewhere under <paramref name="Name"/>, found when needed: a map that holds itself (a playbook
/// condition's <c>all</c> and <c>any</c> list conditions).</summary>
/// <param name="Map">The map (its <see cref="MapFormat.Name"/> is <paramref name="Name"/>).</param>
public sealed record MapReference(string Name, Func<MapFormat> Map) : ValueFormat;

/// <summary>One of several forms (<c>balking: 0.2</c> or <c>balking: { probability: 0.2 }</c>).</summary>
/// <param name="Name">The name of the definition in the JSON Schema, or null to write the forms in place.</param>
public sealed record OneOfFormat(string? Name, string Description, IReadOnlyList<ValueFormat> Forms) : ValueFormat;

/// <summary>A map whose keys are fixed: each described once, the reader accepts exactly these.</summary>
/// <param name="Name">The name of the definition in the JSON Schema (<c>callType</c>, <c>surge.ramp</c>).</param>
/// <param name="Rules">Rules between keys (exactly one of, requires, excludes).</param>
public sealed record MapFormat(string Name, string Description, IReadOnlyList<KeyFormat> Keys, IReadOnlyList<KeyRule> Rules) : ValueFormat
{
    public MapFormat(string name, string description, params KeyFormat[] keys)
        : this(name, description, keys, [])
    {
    }

    /// <summary>The keys' names, in the order the documentation and messages list them.</summary>
    public IReadOnlyList<string> KeyNames { get; } = [.. Keys.Select(k => k.Name)];

    /// <summary>The keys that must be present.</summary>
    public IReadOnlyList<string> RequiredKeys { get; } = [.. Keys.Where(k => k.Required).Select(k => k.Name)];

    public bool Has(string key) => KeyNames.Contains(key);

    public KeyFormat Key(string name) =>
        Keys.FirstOrDefault(k => k.Name == name) ?? throw new ArgumentException($"the map {Name} has no key '{name}'", nameof(name));

    public T Rule<T>() where T : KeyRule => Rules.OfType<T>().Single();
}

/// <summary>A map whose keys depend on the value of one of them (<c>shape</c> of a surge, <c>dist</c> of a
/// distribution). Each variant is a map whose <see cref="Discriminator"/> key is a choice of its one name.</summary>
public sealed record VariantFormat(string Name, string Description, string Discriminator, IReadOnlyList<MapFormat> Variants) : ValueFormat
{
    /// <summary>The names of the variants, in order.</summary>
    public IReadOnlyList<string> Names => [.. Variants.Select(VariantName)];

    /// <summary>The variant of that name; null when there is none.</summary>
    public MapFormat? Variant(string name) => Variants.FirstOrDefault(v => VariantName(v) == name);

    public string VariantName(MapFormat variant) => ((ChoiceFormat)variant.Key(Discriminator).Format).Names.Single();
}

/// <summary>One key of a map.</summary>
/// <param name="Nullable">An empty value (<c>key:</c>, <c>~</c>, <c>null</c>) is accepted and means the default.</param>
/// <param name="Description">One line, shown by editors.</param>
public sealed record KeyFormat(string Name, ValueFormat Format, string Description, bool Required = false, bool Nullable = false);

/// <summary>A rule between the keys of a map.</summary>
public abstract record KeyRule;

/// <summary>Exactly one of the keys is present.</summary>
public sealed record ExactlyOneOf(IReadOnlyList<string> Keys) : KeyRule;

/// <summary>At least one of the keys is present.</summary>
public sealed record AtLeastOneOf(IReadOnlyList<string> Keys) : KeyRule;

/// <summary>When <see cref="Key"/> is present, every one of <see cref="Others"/> is present too.</summary>
public sealed record KeyRequires(string Key, IReadOnlyList<string> Others) : KeyRule;

/// <summary>When <see cref="Key"/> is present, none of <see cref="Others"/> is.</summary>
public sealed record KeyExcludes(string Key, IReadOnlyList<string> Others) : KeyRule;
