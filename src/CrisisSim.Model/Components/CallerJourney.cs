namespace CrisisSim.Model.Components;

/// <summary>The life of a caller of one call type, as the router plays it, one named step after the other; a step the
/// scenario does not use is null. Top to bottom: the number it dials (-1: unlimited lines, always open), the
/// <see cref="RecordedMessage"/>, <see cref="Balking"/> and the <see cref="CallbackOffer"/> when no operator is idle,
/// <see cref="Redials"/> after a failed attempt, <see cref="Transfers"/> after service (and, for a type calls are
/// transferred to, its <see cref="TransferLeg"/>); an outbound type's calls are the <see cref="OutboundFollowUp"/>
/// instead. Each step draws from its own stream, so adding one does not shift the draws of the others.</summary>
public sealed class CallerJourney
{
    public static readonly CallerJourney Direct = new();

    public int Number { get; init; } = -1;

    public RecordedMessage? RecordedMessage { get; init; }

    public Balking? Balking { get; init; }

    public CallbackOffer? CallbackOffer { get; init; }

    public Redials? Redials { get; init; }

    public Transfers? Transfers { get; init; }

    /// <summary>How a caller transferred to this type starts its leg; null: no type transfers to it.</summary>
    public TransferLeg? TransferLeg { get; init; }

    /// <summary>Null: the type is inbound.</summary>
    public OutboundFollowUp? OutboundFollowUp { get; init; }

    public bool IsOutbound => OutboundFollowUp is not null;

    /// <summary>The same journey with another recorded message (null: none), as a playbook switches it.</summary>
    public CallerJourney WithRecordedMessage(RecordedMessage? message) => Copy(message, CallbackOffer);

    /// <summary>The same journey with another callback offer (null: none), as a playbook switches it.</summary>
    public CallerJourney WithCallbackOffer(CallbackOffer? offer) => Copy(RecordedMessage, offer);

    private CallerJourney Copy(RecordedMessage? message, CallbackOffer? offer) => new()
    {
        Number = Number,
        RecordedMessage = message,
        Balking = Balking,
        CallbackOffer = offer,
        Redials = Redials,
        Transfers = Transfers,
        TransferLeg = TransferLeg,
        OutboundFollowUp = OutboundFollowUp,
    };
}
