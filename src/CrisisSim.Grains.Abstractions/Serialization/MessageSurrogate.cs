using CrisisSim.Model.Components;

namespace CrisisSim.Grains.Serialization;

/// <summary>Wire form of <see cref="Message"/>: the model stays free of Orleans attributes.</summary>
[GenerateSerializer, Alias("crisissim.Message")]
public struct MessageSurrogate
{
    [Id(0)] public byte Kind;
    [Id(1)] public int Target;
    [Id(2)] public long CallId;
    [Id(3)] public int CallType;
    [Id(4)] public int Group;
    [Id(5)] public int Operator;
    [Id(6)] public double ArrivalTime;
    [Id(7)] public double Value;
}

[RegisterConverter]
public sealed class MessageConverter : IConverter<Message, MessageSurrogate>
{
    public Message ConvertFromSurrogate(in MessageSurrogate s) =>
        new((MessageKind)s.Kind, s.Target, s.CallId, s.CallType, s.Group, s.Operator, s.ArrivalTime, s.Value);

    public MessageSurrogate ConvertToSurrogate(in Message m) => new()
    {
        Kind = (byte)m.Kind,
        Target = m.Target,
        CallId = m.CallId,
        CallType = m.CallType,
        Group = m.Group,
        Operator = m.Operator,
        ArrivalTime = m.ArrivalTime,
        Value = m.Value,
    };
}
