using CrisisSim.Model.Scenario;
using CrisisSim.Plugins;

namespace CrisisSim.Grains.Serialization;

// A scenario travels with a run (to replication, clock and component grains) as one value encoded by the model's own
// codec (ScenarioCodec): a property or a derived type added to the model crosses the wire with no change here.
// tests/CrisisSim.Grains.Tests/WireRoundTripTests fills every property of every model type by reflection and checks
// that it comes back. A routing plug-in crosses as its assembly's absolute path and type name; the receiving side
// resolves it again with the hosts' loader (RoutingPlugins), so a silo loads the assembly from that path.

[GenerateSerializer, Alias("crisissim.ScenarioDefinition")]
public struct ScenarioDefinitionSurrogate
{
    [Id(0)] public byte[] Json;
}

[RegisterConverter]
public sealed class ScenarioDefinitionConverter : IConverter<ScenarioDefinition, ScenarioDefinitionSurrogate>
{
    public ScenarioDefinition ConvertFromSurrogate(in ScenarioDefinitionSurrogate surrogate) =>
        RoutingPlugins.Resolve(ScenarioCodec.Deserialize<ScenarioDefinition>(surrogate.Json));

    public ScenarioDefinitionSurrogate ConvertToSurrogate(in ScenarioDefinition value) =>
        new() { Json = ScenarioCodec.Serialize(value) };
}
