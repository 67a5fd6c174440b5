using CrisisSim.Model.Scenario;

namespace CrisisSim.Grains.Serialization;

// Scenarios travel with a run (to replication, clock and component grains), so scenarios built in code work
// as well as scenarios loaded from files. Lists are carried as arrays. A property added to a model type needs its field
// here: tests/CrisisSim.Grains.Tests/WireRoundTripTests fills every property by reflection and fails on one left out.

[GenerateSerializer, Alias("crisissim.ScenarioDefinition")]
public struct ScenarioDefinitionSurrogate
{
    [Id(0)] public string Name;
    [Id(1)] public string Description;
    [Id(2)] public double IntervalSeconds;
    [Id(3)] public int IntervalCount;
    [Id(4)] public double WarmupSeconds;
    [Id(5)] public double DrainSeconds;
    [Id(6)] public ServiceLevelSpec ServiceLevel;
    [Id(7)] public int Routing;
    [Id(8)] public CallTypeSpec[] CallTypes;
    [Id(9)] public OperatorGroupSpec[] Groups;
    [Id(10)] public double ClockStartSeconds;
    [Id(11)] public EntryNumberSpec[]? Numbers;
}

[RegisterConverter]
public sealed class ScenarioDefinitionConverter : IConverter<ScenarioDefinition, ScenarioDefinitionSurrogate>
{
    public ScenarioDefinition ConvertFromSurrogate(in ScenarioDefinitionSurrogate s) => new()
    {
        Name = s.Name,
        Description = s.Description,
        IntervalSeconds = s.IntervalSeconds,
        ClockStartSeconds = s.ClockStartSeconds,
        IntervalCount = s.IntervalCount,
        WarmupSeconds = s.WarmupSeconds,
        DrainSeconds = s.DrainSeconds,
        ServiceLevel = s.ServiceLevel,
        Routing = (RoutingPolicyKind)s.Routing,
        CallTypes = s.CallTypes,
        Groups = s.Groups,
        Numbers = s.Numbers ?? [],
    };

    public ScenarioDefinitionSurrogate ConvertToSurrogate(in ScenarioDefinition d) => new()
    {
        Name = d.Name,
        Description = d.Description,
        IntervalSeconds = d.IntervalSeconds,
        ClockStartSeconds = d.ClockStartSeconds,
        IntervalCount = d.IntervalCount,
        WarmupSeconds = d.WarmupSeconds,
        DrainSeconds = d.DrainSeconds,
        ServiceLevel = d.ServiceLevel,
        Routing = (int)d.Routing,
        CallTypes = [.. d.CallTypes],
        Groups = [.. d.Groups],
        Numbers = [.. d.Numbers],
    };
}

[GenerateSerializer, Alias("crisissim.EntryNumberSpec")]
public struct EntryNumberSpecSurrogate
{
    [Id(0)] public string Name;
    [Id(1)] public int Lines;
    [Id(2)] public OpeningHoursSpec? Hours;
}

[RegisterConverter]
public sealed class EntryNumberSpecConverter : IConverter<EntryNumberSpec, EntryNumberSpecSurrogate>
{
    public EntryNumberSpec ConvertFromSurrogate(in EntryNumberSpecSurrogate s) => new(s.Name, s.Lines) { Hours = s.Hours };

    public EntryNumberSpecSurrogate ConvertToSurrogate(in EntryNumberSpec v) => new() { Name = v.Name, Lines = v.Lines, Hours = v.Hours };
}

[GenerateSerializer, Alias("crisissim.OpeningHoursSpec")]
public struct OpeningHoursSpecSurrogate
{
    [Id(0)] public double OpenSeconds;
    [Id(1)] public double CloseSeconds;
    [Id(2)] public int AtClose;
}

[RegisterConverter]
public sealed class OpeningHoursSpecConverter : IConverter<OpeningHoursSpec, OpeningHoursSpecSurrogate>
{
    public OpeningHoursSpec ConvertFromSurrogate(in OpeningHoursSpecSurrogate s) => new(s.OpenSeconds, s.CloseSeconds, (AtCloseKind)s.AtClose);

    public OpeningHoursSpecSurrogate ConvertToSurrogate(in OpeningHoursSpec v) => new() { OpenSeconds = v.OpenSeconds, CloseSeconds = v.CloseSeconds, AtClose = (int)v.AtClose };
}

[GenerateSerializer, Alias("crisissim.ServiceLevelSpec")]
public struct ServiceLevelSpecSurrogate
{
    [Id(0)] public double ThresholdSeconds;
    [Id(1)] public double Target;
}

[RegisterConverter]
public sealed class ServiceLevelSpecConverter : IConverter<ServiceLevelSpec, ServiceLevelSpecSurrogate>
{
    public ServiceLevelSpec ConvertFromSurrogate(in ServiceLevelSpecSurrogate s) => new(s.ThresholdSeconds, s.Target);

    public ServiceLevelSpecSurrogate ConvertToSurrogate(in ServiceLevelSpec v) => new() { ThresholdSeconds = v.ThresholdSeconds, Target = v.Target };
}

[GenerateSerializer, Alias("crisissim.CallTypeSpec")]
public struct CallTypeSpecSurrogate
{
    [Id(0)] public string Name;
    [Id(1)] public ArrivalSpec Arrivals;
    [Id(2)] public DistributionSpec? Patience;
    [Id(3)] public DistributionSpec? HandleTime;
    [Id(4)] public int Priority;
    [Id(5)] public string? Number;
    [Id(6)] public RecordedMessageSpec? RecordedMessage;
    [Id(7)] public double BalkingProbability;
    [Id(8)] public RedialSpec? Redials;
    [Id(9)] public int? BalkingQueueAbove;
    [Id(10)] public double[]? PatienceFactors;
    [Id(11)] public CallbackSpec? Callbacks;
    [Id(12)] public TransferSpec[]? Transfers;
    [Id(13)] public double? BalkingWaitAbove;
}

[GenerateSerializer, Alias("crisissim.TransferSpec")]
public struct TransferSpecSurrogate
{
    [Id(0)] public string To;
    [Id(1)] public double Share;
}

[RegisterConverter]
public sealed class TransferSpecConverter : IConverter<TransferSpec, TransferSpecSurrogate>
{
    public TransferSpec ConvertFromSurrogate(in TransferSpecSurrogate s) => new(s.To, s.Share);

    public TransferSpecSurrogate ConvertToSurrogate(in TransferSpec v) => new() { To = v.To, Share = v.Share };
}

[GenerateSerializer, Alias("crisissim.CallbackSpec")]
public struct CallbackSpecSurrogate
{
    [Id(0)] public double OfferAboveSeconds;
    [Id(1)] public double AcceptProbability;
    [Id(2)] public double DeadlineSeconds;
}

[RegisterConverter]
public sealed class CallbackSpecConverter : IConverter<CallbackSpec, CallbackSpecSurrogate>
{
    public CallbackSpec ConvertFromSurrogate(in CallbackSpecSurrogate s) => new(s.OfferAboveSeconds, s.AcceptProbability, s.DeadlineSeconds);

    public CallbackSpecSurrogate ConvertToSurrogate(in CallbackSpec v) => new() { OfferAboveSeconds = v.OfferAboveSeconds, AcceptProbability = v.AcceptProbability, DeadlineSeconds = v.DeadlineSeconds };
}

[GenerateSerializer, Alias("crisissim.RedialSpec")]
public struct RedialSpecSurrogate
{
    [Id(0)] public double[] Probabilities;
    [Id(1)] public DistributionSpec Delay;
}

[RegisterConverter]
public sealed class RedialSpecConverter : IConverter<RedialSpec, RedialSpecSurrogate>
{
    public RedialSpec ConvertFromSurrogate(in RedialSpecSurrogate s) => new(s.Probabilities, s.Delay);

    public RedialSpecSurrogate ConvertToSurrogate(in RedialSpec v) => new() { Probabilities = [.. v.Probabilities], Delay = v.Delay };
}

[GenerateSerializer, Alias("crisissim.RecordedMessageSpec")]
public struct RecordedMessageSpecSurrogate
{
    [Id(0)] public double Seconds;
    [Id(1)] public double DeflectedShare;
}

[RegisterConverter]
public sealed class RecordedMessageSpecConverter : IConverter<RecordedMessageSpec, RecordedMessageSpecSurrogate>
{
    public RecordedMessageSpec ConvertFromSurrogate(in RecordedMessageSpecSurrogate s) => new(s.Seconds, s.DeflectedShare);

    public RecordedMessageSpecSurrogate ConvertToSurrogate(in RecordedMessageSpec v) => new() { Seconds = v.Seconds, DeflectedShare = v.DeflectedShare };
}

[RegisterConverter]
public sealed class CallTypeSpecConverter : IConverter<CallTypeSpec, CallTypeSpecSurrogate>
{
    public CallTypeSpec ConvertFromSurrogate(in CallTypeSpecSurrogate s) => new(s.Name, s.Arrivals, s.Patience, s.HandleTime, s.Priority)
    {
        Number = s.Number,
        RecordedMessage = s.RecordedMessage,
        BalkingProbability = s.BalkingProbability,
        Redials = s.Redials,
        BalkingQueueAbove = s.BalkingQueueAbove,
        PatienceFactors = s.PatienceFactors,
        Callbacks = s.Callbacks,
        Transfers = s.Transfers,
        BalkingWaitAbove = s.BalkingWaitAbove,
    };

    public CallTypeSpecSurrogate ConvertToSurrogate(in CallTypeSpec v) => new()
    {
        Name = v.Name,
        Arrivals = v.Arrivals,
        Patience = v.Patience,
        HandleTime = v.HandleTime,
        Priority = v.Priority,
        Number = v.Number,
        RecordedMessage = v.RecordedMessage,
        BalkingProbability = v.BalkingProbability,
        Redials = v.Redials,
        BalkingQueueAbove = v.BalkingQueueAbove,
        PatienceFactors = v.PatienceFactors is null ? null : [.. v.PatienceFactors],
        Callbacks = v.Callbacks,
        Transfers = v.Transfers is null ? null : [.. v.Transfers],
        BalkingWaitAbove = v.BalkingWaitAbove,
    };
}

[GenerateSerializer, Alias("crisissim.OperatorGroupSpec")]
public struct OperatorGroupSpecSurrogate
{
    [Id(0)] public string Name;
    [Id(1)] public string[] Serves;
    [Id(2)] public int[] Staffing;
    [Id(3)] public DistributionSpec? HandleTime;
}

[RegisterConverter]
public sealed class OperatorGroupSpecConverter : IConverter<OperatorGroupSpec, OperatorGroupSpecSurrogate>
{
    public OperatorGroupSpec ConvertFromSurrogate(in OperatorGroupSpecSurrogate s) => new(s.Name, s.Serves, s.Staffing, s.HandleTime);

    public OperatorGroupSpecSurrogate ConvertToSurrogate(in OperatorGroupSpec v) => new()
    {
        Name = v.Name,
        Serves = [.. v.Serves],
        Staffing = [.. v.Staffing],
        HandleTime = v.HandleTime,
    };
}

// One converter per distribution: a DistributionSpec field carries its concrete type on the wire.

[GenerateSerializer, Alias("crisissim.ExponentialSpec")]
public struct ExponentialSpecSurrogate
{
    [Id(0)] public double MeanSeconds;
}

[RegisterConverter]
public sealed class ExponentialSpecConverter : IConverter<ExponentialSpec, ExponentialSpecSurrogate>
{
    public ExponentialSpec ConvertFromSurrogate(in ExponentialSpecSurrogate s) => new(s.MeanSeconds);

    public ExponentialSpecSurrogate ConvertToSurrogate(in ExponentialSpec v) => new() { MeanSeconds = v.MeanSeconds };
}

[GenerateSerializer, Alias("crisissim.LogNormalSpec")]
public struct LogNormalSpecSurrogate
{
    [Id(0)] public double MeanSeconds;
    [Id(1)] public double StdDevSeconds;
}

[RegisterConverter]
public sealed class LogNormalSpecConverter : IConverter<LogNormalSpec, LogNormalSpecSurrogate>
{
    public LogNormalSpec ConvertFromSurrogate(in LogNormalSpecSurrogate s) => new(s.MeanSeconds, s.StdDevSeconds);

    public LogNormalSpecSurrogate ConvertToSurrogate(in LogNormalSpec v) => new() { MeanSeconds = v.MeanSeconds, StdDevSeconds = v.StdDevSeconds };
}

[GenerateSerializer, Alias("crisissim.GammaSpec")]
public struct GammaSpecSurrogate
{
    [Id(0)] public double MeanSeconds;
    [Id(1)] public double StdDevSeconds;
}

[RegisterConverter]
public sealed class GammaSpecConverter : IConverter<GammaSpec, GammaSpecSurrogate>
{
    public GammaSpec ConvertFromSurrogate(in GammaSpecSurrogate s) => new(s.MeanSeconds, s.StdDevSeconds);

    public GammaSpecSurrogate ConvertToSurrogate(in GammaSpec v) => new() { MeanSeconds = v.MeanSeconds, StdDevSeconds = v.StdDevSeconds };
}

[GenerateSerializer, Alias("crisissim.DeterministicSpec")]
public struct DeterministicSpecSurrogate
{
    [Id(0)] public double ValueSeconds;
}

[RegisterConverter]
public sealed class DeterministicSpecConverter : IConverter<DeterministicSpec, DeterministicSpecSurrogate>
{
    public DeterministicSpec ConvertFromSurrogate(in DeterministicSpecSurrogate s) => new(s.ValueSeconds);

    public DeterministicSpecSurrogate ConvertToSurrogate(in DeterministicSpec v) => new() { ValueSeconds = v.ValueSeconds };
}

[GenerateSerializer, Alias("crisissim.MixtureSpec")]
public struct MixtureSpecSurrogate
{
    [Id(0)] public MixtureComponentSpec[] Components;
}

[RegisterConverter]
public sealed class MixtureSpecConverter : IConverter<MixtureSpec, MixtureSpecSurrogate>
{
    public MixtureSpec ConvertFromSurrogate(in MixtureSpecSurrogate s) => new(s.Components);

    public MixtureSpecSurrogate ConvertToSurrogate(in MixtureSpec v) => new() { Components = [.. v.Components] };
}

[GenerateSerializer, Alias("crisissim.MixtureComponentSpec")]
public struct MixtureComponentSpecSurrogate
{
    [Id(0)] public double Share;
    [Id(1)] public DistributionSpec Distribution;
}

[RegisterConverter]
public sealed class MixtureComponentSpecConverter : IConverter<MixtureComponentSpec, MixtureComponentSpecSurrogate>
{
    public MixtureComponentSpec ConvertFromSurrogate(in MixtureComponentSpecSurrogate s) => new(s.Share, s.Distribution);

    public MixtureComponentSpecSurrogate ConvertToSurrogate(in MixtureComponentSpec v) => new() { Share = v.Share, Distribution = v.Distribution };
}

[GenerateSerializer, Alias("crisissim.EmpiricalSpec")]
public struct EmpiricalSpecSurrogate
{
    [Id(0)] public double[] ValuesSeconds;
}

[RegisterConverter]
public sealed class EmpiricalSpecConverter : IConverter<EmpiricalSpec, EmpiricalSpecSurrogate>
{
    public EmpiricalSpec ConvertFromSurrogate(in EmpiricalSpecSurrogate s) => new(s.ValuesSeconds);

    public EmpiricalSpecSurrogate ConvertToSurrogate(in EmpiricalSpec v) => new() { ValuesSeconds = [.. v.ValuesSeconds] };
}

// One converter per arrival process, baseline and surge: an abstract field carries its concrete type on the wire.

[GenerateSerializer, Alias("crisissim.PoissonArrivalSpec")]
public struct PoissonArrivalSpecSurrogate
{
    [Id(0)] public double[] CallsPerInterval;
}

[RegisterConverter]
public sealed class PoissonArrivalSpecConverter : IConverter<PoissonArrivalSpec, PoissonArrivalSpecSurrogate>
{
    public PoissonArrivalSpec ConvertFromSurrogate(in PoissonArrivalSpecSurrogate s) => new(s.CallsPerInterval);

    public PoissonArrivalSpecSurrogate ConvertToSurrogate(in PoissonArrivalSpec v) => new() { CallsPerInterval = [.. v.CallsPerInterval] };
}

[GenerateSerializer, Alias("crisissim.RateTableArrivalSpec")]
public struct RateTableArrivalSpecSurrogate
{
    [Id(0)] public string Source;
    [Id(1)] public double[] StartSeconds;
    [Id(2)] public double[] CallsPerHour;
}

[RegisterConverter]
public sealed class RateTableArrivalSpecConverter : IConverter<RateTableArrivalSpec, RateTableArrivalSpecSurrogate>
{
    public RateTableArrivalSpec ConvertFromSurrogate(in RateTableArrivalSpecSurrogate s) => new(s.Source, s.StartSeconds, s.CallsPerHour);

    public RateTableArrivalSpecSurrogate ConvertToSurrogate(in RateTableArrivalSpec v) => new() { Source = v.Source, StartSeconds = [.. v.StartSeconds], CallsPerHour = [.. v.CallsPerHour] };
}

[GenerateSerializer, Alias("crisissim.SurgeArrivalSpec")]
public struct SurgeArrivalSpecSurrogate
{
    [Id(0)] public BaselineSpec Baseline;
    [Id(1)] public SurgeSpec[] Surges;
}

[RegisterConverter]
public sealed class SurgeArrivalSpecConverter : IConverter<SurgeArrivalSpec, SurgeArrivalSpecSurrogate>
{
    public SurgeArrivalSpec ConvertFromSurrogate(in SurgeArrivalSpecSurrogate s) => new(s.Baseline, s.Surges);

    public SurgeArrivalSpecSurrogate ConvertToSurrogate(in SurgeArrivalSpec v) => new() { Baseline = v.Baseline, Surges = [.. v.Surges] };
}

[GenerateSerializer, Alias("crisissim.BusyArrivalSpec")]
public struct BusyArrivalSpecSurrogate
{
    [Id(0)] public IntensitySpec Inner;
    [Id(1)] public double Alpha;
    [Id(2)] public int Period;
}

[RegisterConverter]
public sealed class BusyArrivalSpecConverter : IConverter<BusyArrivalSpec, BusyArrivalSpecSurrogate>
{
    public BusyArrivalSpec ConvertFromSurrogate(in BusyArrivalSpecSurrogate s) => new(s.Inner, s.Alpha, (BusynessPeriod)s.Period);

    public BusyArrivalSpecSurrogate ConvertToSurrogate(in BusyArrivalSpec v) => new() { Inner = v.Inner, Alpha = v.Alpha, Period = (int)v.Period };
}

[GenerateSerializer, Alias("crisissim.HawkesArrivalSpec")]
public struct HawkesArrivalSpecSurrogate
{
    [Id(0)] public IntensitySpec Baseline;
    [Id(1)] public double BranchingRatio;
    [Id(2)] public double DecaySeconds;
}

[RegisterConverter]
public sealed class HawkesArrivalSpecConverter : IConverter<HawkesArrivalSpec, HawkesArrivalSpecSurrogate>
{
    public HawkesArrivalSpec ConvertFromSurrogate(in HawkesArrivalSpecSurrogate s) => new(s.Baseline, s.BranchingRatio, s.DecaySeconds);

    public HawkesArrivalSpecSurrogate ConvertToSurrogate(in HawkesArrivalSpec v) => new() { Baseline = v.Baseline, BranchingRatio = v.BranchingRatio, DecaySeconds = v.DecaySeconds };
}

[GenerateSerializer, Alias("crisissim.PerIntervalBaseline")]
public struct PerIntervalBaselineSurrogate
{
    [Id(0)] public double[] CallsPerInterval;
}

[RegisterConverter]
public sealed class PerIntervalBaselineConverter : IConverter<PerIntervalBaseline, PerIntervalBaselineSurrogate>
{
    public PerIntervalBaseline ConvertFromSurrogate(in PerIntervalBaselineSurrogate s) => new(s.CallsPerInterval);

    public PerIntervalBaselineSurrogate ConvertToSurrogate(in PerIntervalBaseline v) => new() { CallsPerInterval = [.. v.CallsPerInterval] };
}

[GenerateSerializer, Alias("crisissim.DailyProfileBaseline")]
public struct DailyProfileBaselineSurrogate
{
    [Id(0)] public double[] CallsPerHour;
    [Id(1)] public double[] DayFactors;
}

[RegisterConverter]
public sealed class DailyProfileBaselineConverter : IConverter<DailyProfileBaseline, DailyProfileBaselineSurrogate>
{
    public DailyProfileBaseline ConvertFromSurrogate(in DailyProfileBaselineSurrogate s) => new(s.CallsPerHour, s.DayFactors);

    public DailyProfileBaselineSurrogate ConvertToSurrogate(in DailyProfileBaseline v) => new() { CallsPerHour = [.. v.CallsPerHour], DayFactors = [.. v.DayFactors] };
}

[GenerateSerializer, Alias("crisissim.StepSurge")]
public struct StepSurgeSurrogate
{
    [Id(0)] public double AtSeconds;
    [Id(1)] public double Multiplier;
    [Id(2)] public double UntilSeconds;
}

[RegisterConverter]
public sealed class StepSurgeConverter : IConverter<StepSurge, StepSurgeSurrogate>
{
    public StepSurge ConvertFromSurrogate(in StepSurgeSurrogate s) => new(s.AtSeconds, s.Multiplier, s.UntilSeconds);

    public StepSurgeSurrogate ConvertToSurrogate(in StepSurge v) => new() { AtSeconds = v.AtSeconds, Multiplier = v.Multiplier, UntilSeconds = v.UntilSeconds };
}

[GenerateSerializer, Alias("crisissim.RampSurge")]
public struct RampSurgeSurrogate
{
    [Id(0)] public double AtSeconds;
    [Id(1)] public double Multiplier;
    [Id(2)] public double RampSeconds;
    [Id(3)] public double UntilSeconds;
}

[RegisterConverter]
public sealed class RampSurgeConverter : IConverter<RampSurge, RampSurgeSurrogate>
{
    public RampSurge ConvertFromSurrogate(in RampSurgeSurrogate s) => new(s.AtSeconds, s.Multiplier, s.RampSeconds, s.UntilSeconds);

    public RampSurgeSurrogate ConvertToSurrogate(in RampSurge v) => new() { AtSeconds = v.AtSeconds, Multiplier = v.Multiplier, RampSeconds = v.RampSeconds, UntilSeconds = v.UntilSeconds };
}

[GenerateSerializer, Alias("crisissim.DecaySurge")]
public struct DecaySurgeSurrogate
{
    [Id(0)] public double AtSeconds;
    [Id(1)] public double Multiplier;
    [Id(2)] public double HalfLifeSeconds;
}

[RegisterConverter]
public sealed class DecaySurgeConverter : IConverter<DecaySurge, DecaySurgeSurrogate>
{
    public DecaySurge ConvertFromSurrogate(in DecaySurgeSurrogate s) => new(s.AtSeconds, s.Multiplier, s.HalfLifeSeconds);

    public DecaySurgeSurrogate ConvertToSurrogate(in DecaySurge v) => new() { AtSeconds = v.AtSeconds, Multiplier = v.Multiplier, HalfLifeSeconds = v.HalfLifeSeconds };
}

[GenerateSerializer, Alias("crisissim.GammaBumpSurge")]
public struct GammaBumpSurgeSurrogate
{
    [Id(0)] public double AtSeconds;
    [Id(1)] public double Multiplier;
    [Id(2)] public double TimeToPeakSeconds;
    [Id(3)] public double DecaySeconds;
}

[RegisterConverter]
public sealed class GammaBumpSurgeConverter : IConverter<GammaBumpSurge, GammaBumpSurgeSurrogate>
{
    public GammaBumpSurge ConvertFromSurrogate(in GammaBumpSurgeSurrogate s) => new(s.AtSeconds, s.Multiplier, s.TimeToPeakSeconds, s.DecaySeconds);

    public GammaBumpSurgeSurrogate ConvertToSurrogate(in GammaBumpSurge v) => new() { AtSeconds = v.AtSeconds, Multiplier = v.Multiplier, TimeToPeakSeconds = v.TimeToPeakSeconds, DecaySeconds = v.DecaySeconds };
}
