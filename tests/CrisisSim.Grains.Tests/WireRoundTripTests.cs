using System.Collections;
using System.Globalization;
using System.Reflection;
using CrisisSim.Grains.Serialization;
using CrisisSim.Model.Scenario;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace CrisisSim.Grains.Tests;

/// <summary>Every type that crosses the wire, found by reflection (the model types that have a surrogate converter, the
/// run messages, and every record of the scenario, which travels whole through the model's codec), filled with a
/// non-default value in every property and field, comes back with every one of them equal.</summary>
[Collection(ClusterCollection.Name)]
public sealed class WireRoundTripTests(ClusterFixture fixture)
{
    private static readonly Assembly Messages = typeof(RunRequest).Assembly;

    /// <summary>The model types carried by a surrogate: the first argument of each <c>IConverter&lt;T, TSurrogate&gt;</c>.</summary>
    public static IEnumerable<Type> ModelTypes() =>
        Messages.GetTypes()
            .SelectMany(t => t.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConverter<,>))
            .Select(i => i.GetGenericArguments()[0])
            .Distinct();

    /// <summary>The records of the grain protocol (<c>[GenerateSerializer]</c>, not a surrogate).</summary>
    public static IEnumerable<Type> MessageTypes() =>
        Messages.GetTypes().Where(t => t.IsPublic && t.Namespace == "CrisisSim.Grains" && t.GetCustomAttribute<GenerateSerializerAttribute>() is not null);

    /// <summary>The records of the scenario format: they cross the wire inside a <see cref="ScenarioDefinition"/>, encoded
    /// by <see cref="ScenarioCodec"/>.</summary>
    public static IEnumerable<Type> ScenarioTypes() =>
        typeof(ScenarioDefinition).Assembly.GetTypes()
            .Where(t => t.IsPublic && t.IsClass && !t.IsAbstract && t.Namespace == typeof(ScenarioDefinition).Namespace
                && t.GetProperty("EqualityContract", BindingFlags.NonPublic | BindingFlags.Instance) is not null);

    public static TheoryData<string> WireTypes() => [.. WireTypeNames()];

    private static IEnumerable<Type> AllWireTypes() => ModelTypes().Concat(MessageTypes()).Concat(ScenarioTypes()).Distinct();

    private static IEnumerable<string> WireTypeNames() => AllWireTypes().Select(t => t.FullName!).Order(StringComparer.Ordinal);

    [Fact]
    public void The_types_found_include_every_kind_that_travels()
    {
        var names = WireTypeNames().ToHashSet();
        foreach (var expected in new[]
        {
            typeof(ScenarioDefinition), typeof(CallTypeSpec), typeof(OperatorGroupSpec), typeof(ServiceLevelSpec),
            typeof(Model.Recording.RecorderState), typeof(Model.Recording.CallRowState), typeof(Model.Recording.GroupRowState),
            typeof(Model.Recording.CallTypeTotalsState),
            typeof(Model.Recording.CallRecord), typeof(Model.Components.Message),
            typeof(RunRequest), typeof(ReplicationOutcome), typeof(Effect), typeof(EffectBatch), typeof(RunPoll),
        })
        {
            Assert.Contains(expected.FullName!, names);
        }
        // Every concrete distribution, arrival process, baseline and surge shape of the model is checked.
        foreach (var root in new[] { typeof(DistributionSpec), typeof(ArrivalSpec), typeof(BaselineSpec), typeof(SurgeSpec) })
        {
            var concrete = root.Assembly.GetTypes().Where(t => t.IsSubclassOf(root) && !t.IsAbstract).ToList();
            Assert.NotEmpty(concrete);
            Assert.All(concrete, d => Assert.Contains(d.FullName!, names));
        }
    }

    [Theory]
    [MemberData(nameof(WireTypes))]
    public void Every_property_survives_the_wire(string typeName)
    {
        var type = AllWireTypes().Single(t => t.FullName == typeName);
        var value = new Filler().Make(type);
        var copy = typeof(WireRoundTripTests).GetMethod(nameof(RoundTrip), BindingFlags.NonPublic | BindingFlags.Instance)!
            .MakeGenericMethod(type).Invoke(this, [value]);
        AssertDeepEqual(value, copy, type.Name);
    }

    [Fact]
    public void Every_arrival_process_survives_the_wire_as_itself_inside_a_call_type()
    {
        var filler = new Filler();
        foreach (var type in typeof(ArrivalSpec).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(ArrivalSpec)) && !t.IsAbstract))
        {
            var callType = new CallTypeSpec("t", (ArrivalSpec)filler.Make(type)!, null, null);
            var copy = RoundTrip(callType);
            Assert.IsType(type, copy!.Arrivals);
            AssertDeepEqual(callType, copy, type.Name);
        }
    }

    [Fact]
    public void Every_distribution_survives_the_wire_as_a_distribution()
    {
        var filler = new Filler();
        foreach (var type in typeof(DistributionSpec).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(DistributionSpec)) && !t.IsAbstract))
        {
            var value = (DistributionSpec)filler.Make(type)!;
            var copy = RoundTrip(value);
            Assert.IsType(type, copy);
            AssertDeepEqual(value, copy, type.Name);
        }
    }

    [Fact]
    public void A_scenario_holding_every_kind_of_part_crosses_the_wire_whole()
    {
        // Several fillings, so that each abstract member takes each of its concrete types in turn.
        var filler = new Filler();
        for (var i = 0; i < 6; i++)
        {
            var scenario = (ScenarioDefinition)filler.Make(typeof(ScenarioDefinition))!;
            AssertDeepEqual(scenario, Orleans(scenario), nameof(ScenarioDefinition));
        }
    }

    /// <summary>Through the Orleans serializer of the test cluster's client when the type has a converter or is a
    /// message; a part of a scenario, which never travels alone, through the scenario codec.</summary>
    private T? RoundTrip<T>(T value) =>
        typeof(T).Namespace == typeof(ScenarioDefinition).Namespace && typeof(T) != typeof(ScenarioDefinition)
            ? ScenarioCodec.Deserialize<T>(ScenarioCodec.Serialize(value))
            : Orleans(value);

    private T? Orleans<T>(T value)
    {
        var serializer = fixture.Client.ServiceProvider.GetRequiredService<Serializer>();
        return serializer.Deserialize<T>(serializer.SerializeToArray(value));
    }

    private static void AssertDeepEqual(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: expected {expected ?? "null"}, got {actual ?? "null"}");
            return;
        }
        var type = expected.GetType();
        if (IsScalar(type))
        {
            Assert.True(expected.Equals(actual), $"{path}: expected {expected}, got {actual}");
            return;
        }
        if (expected is IEnumerable items)
        {
            var e = items.Cast<object?>().ToArray();
            var a = Assert.IsAssignableFrom<IEnumerable>(actual).Cast<object?>().ToArray();
            Assert.True(e.Length == a.Length, $"{path}: expected {e.Length} items, got {a.Length}");
            for (var i = 0; i < e.Length; i++)
            {
                AssertDeepEqual(e[i], a[i], $"{path}[{i}]");
            }
            return;
        }
        Assert.True(type == actual.GetType(), $"{path}: expected a {type.Name}, got a {actual.GetType().Name}");
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            AssertDeepEqual(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
        }
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            AssertDeepEqual(field.GetValue(expected), field.GetValue(actual), $"{path}.{field.Name}");
        }
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan);

    /// <summary>Builds values with every settable member, constructor parameter and public field set to a value that is
    /// not its default (each number distinct, every enum past its first member, collections of two items, every
    /// nullable member present), choosing each concrete type in turn for an abstract one.</summary>
    private sealed class Filler
    {
        private int _next = 1;
        private int _concrete;

        public object? Make(Type type, int depth = 0)
        {
            if (depth > 12)
            {
                throw new InvalidOperationException($"{type} nests too deep to fill");
            }
            type = Nullable.GetUnderlyingType(type) ?? type;
            var n = _next++;
            if (type == typeof(string))
            {
                return "s" + n.ToString(CultureInfo.InvariantCulture);
            }
            if (type == typeof(bool))
            {
                return true;
            }
            if (type == typeof(double))
            {
                return n + 0.25;
            }
            if (type == typeof(float))
            {
                return n + 0.25f;
            }
            if (type == typeof(TimeSpan))
            {
                return TimeSpan.FromSeconds(n);
            }
            if (type.IsEnum)
            {
                var values = Enum.GetValues(type);
                Assert.True(values.Length > 1, $"{type.Name} has no member besides its default");
                return values.GetValue(1 + (n % (values.Length - 1)));
            }
            if (type.IsPrimitive)
            {
                return Convert.ChangeType(n % 100 + 1, type, CultureInfo.InvariantCulture);
            }
            if (type.IsArray)
            {
                return MakeArray(type.GetElementType()!, depth);
            }
            if (type.IsGenericType && type.IsInterface && type.GetGenericArguments() is [var key, var entry] && typeof(IEnumerable).IsAssignableFrom(type))
            {
                var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(key, entry))!;
                for (var i = 0; i < 2; i++)
                {
                    dictionary.Add(Make(key, depth + 1)!, Make(entry, depth + 1));
                }
                return dictionary;
            }
            if (type.IsGenericType && type.IsInterface && type.GetGenericArguments() is [var item] && typeof(IEnumerable).IsAssignableFrom(type))
            {
                return MakeArray(item, depth);
            }
            if (type.IsAbstract)
            {
                // A type that holds its own base (a mixture of distributions) is filled near the top only, so the
                // recursion ends.
                var concrete = type.Assembly.GetTypes()
                    .Where(t => t.IsSubclassOf(type) && !t.IsAbstract && (depth < 3 || !HoldsItsBase(t, type)))
                    .OrderBy(t => t.FullName, StringComparer.Ordinal).ToArray();
                Assert.NotEmpty(concrete);
                return Make(concrete[_concrete++ % concrete.Length], depth);
            }
            return MakeObject(type, depth);
        }

        private static bool HoldsItsBase(Type concrete, Type abstractBase) =>
            concrete.GetProperties().Any(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericArguments()
                .Any(a => a.GetProperties().Any(q => q.PropertyType == abstractBase)));

        private long Next() => ++_next;

        private Array MakeArray(Type item, int depth)
        {
            var array = Array.CreateInstance(item, 2);
            for (var i = 0; i < array.Length; i++)
            {
                array.SetValue(Make(item, depth + 1), i);
            }
            return array;
        }

        private object MakeObject(Type type, int depth)
        {
            if (type == typeof(Plugins.RoutingServiceCounts))
            {
                // Built from its parts, as a reading from another process is: a count in every latency bucket.
                var buckets = Enumerable.Range(0, Plugins.RoutingServiceCounts.BucketCount).Select(i => (long)(i % 7 + 1)).ToArray();
                return Plugins.RoutingServiceCounts.FromParts(Next(), Next(), Next(), Next(), Next(), Next(),
                    TimeSpan.FromSeconds(Next()), TimeSpan.FromSeconds(Next()), buckets);
            }
            var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
            var parameters = constructor?.GetParameters() ?? [];
            var value = constructor is null
                ? Activator.CreateInstance(type)!
                : constructor.Invoke([.. parameters.Select(p => Make(p.ParameterType, depth + 1))]);
            var set = parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.SetMethod is { IsPublic: true } && !set.Contains(property.Name))
                {
                    property.SetValue(value, Make(property.PropertyType, depth + 1));
                }
            }
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
            {
                if (!field.IsInitOnly)
                {
                    field.SetValue(value, Make(field.FieldType, depth + 1));
                }
            }
            return value;
        }
    }
}
