using CrisisSim.Model.Components;
using CrisisSim.Model.Distributions;
using CrisisSim.Model.Randomness;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Tests;

/// <summary>The steps of the caller's journey alone: each decision draws from its own stream, and only when it must.</summary>
public sealed class JourneyStepTests
{
    private static RandomStream Stream(string name) => RandomStream.For(7, 0, name);

    [Fact]
    public void A_recorded_message_deflects_by_one_draw_of_its_stream()
    {
        var stream = Stream("ivr/calls");
        var message = new RecordedMessage(45, 0.3, stream);
        var copy = Stream("ivr/calls");
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(copy.NextDouble() < 0.3, message.Deflects());
        }
        Assert.Equal(45, message.Seconds);
    }

    [Fact]
    public void Redials_end_after_the_last_probability_without_a_draw()
    {
        var redials = new Redials([1.0], Distribution.From(new ExponentialSpec(300)), null, null, Stream("redial/calls"));
        var copy = Stream("redial/calls");
        Assert.True(redials.TryRedial(1, 100, out var at));
        Assert.True(copy.NextDouble() < 1.0);
        Assert.Equal(100 + Distribution.From(new ExponentialSpec(300)).Sample(copy), at);
        Assert.False(redials.TryRedial(2, 100, out at));
        Assert.Equal(double.PositiveInfinity, at);
        Assert.Equal(double.PositiveInfinity, redials.Patience(100)); // no patience: never abandons, and no draw
    }

    [Fact]
    public void Redialled_patience_takes_the_factor_of_its_interval()
    {
        var factors = new PatienceFactors([1.0, 0.5], 900);
        var redials = new Redials([0.5], Distribution.From(new ExponentialSpec(300)), Distribution.From(new ExponentialSpec(120)), factors, Stream("redial/calls"));
        var copy = Stream("redial/calls");
        Assert.Equal(Distribution.From(new ExponentialSpec(120)).Sample(copy) * 0.5, redials.Patience(1000));
    }

    [Fact]
    public void A_transfer_target_follows_the_cumulative_shares_and_the_rest_stays()
    {
        var transfers = new Transfers([2, 5], [0.25, 0.75], Stream("transfer/calls"));
        var copy = Stream("transfer/calls");
        for (var i = 0; i < 200; i++)
        {
            var u = copy.NextDouble();
            Assert.Equal(u < 0.25 ? 2 : u < 0.75 ? 5 : -1, transfers.Target());
        }
    }

    [Fact]
    public void A_transfer_leg_draws_its_patience_from_the_stream_of_the_type_it_comes_from()
    {
        var transfers = new Transfers([1], [1.0], Stream("transfer/calls"));
        var leg = new TransferLeg(Distribution.From(new ExponentialSpec(120)), null);
        var copy = Stream("transfer/calls");
        Assert.Equal(1, transfers.Target());
        copy.NextDouble();
        Assert.Equal(Distribution.From(new ExponentialSpec(120)).Sample(copy), transfers.LegPatience(leg, 0));
        Assert.Equal(double.PositiveInfinity, transfers.LegPatience(new TransferLeg(null, null), 0));
    }

    [Fact]
    public void An_outbound_attempt_with_full_reach_needs_no_stream()
    {
        var outbound = new OutboundFollowUp(3600, 1, 30, null);
        Assert.True(outbound.Reaches());
        var partial = new OutboundFollowUp(3600, 0.6, 30, Stream("reach/calls"));
        var copy = Stream("reach/calls");
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(copy.NextDouble() < 0.6, partial.Reaches());
        }
    }

    [Fact]
    public void A_direct_journey_has_no_step()
    {
        var journey = CallerJourney.Direct;
        Assert.Equal(-1, journey.Number);
        Assert.Null(journey.RecordedMessage);
        Assert.Null(journey.Balking);
        Assert.Null(journey.CallbackOffer);
        Assert.Null(journey.Redials);
        Assert.Null(journey.Transfers);
        Assert.Null(journey.TransferLeg);
        Assert.False(journey.IsOutbound);
    }
}
