namespace CrisisSim.Model.Scenario;

/// <summary>The crisis cell's playbook (scenario key <c>playbook</c>): rules whose actions are taken when their
/// conditions are met, evaluated by the router from its own state every <see cref="EvaluateEverySeconds"/> of simulated
/// time (at t = period, 2 x period … up to the horizon), so that every host gives the same firings for the same seed.</summary>
/// <param name="Rules">The rules, in the order of the file: at one instant rules are evaluated in this order and
/// their effects due at the same instant are applied in this order (a later action overrides an earlier one).</param>
/// <param name="EvaluateEverySeconds">The evaluation period (scenario key <c>playbookEvery</c>, default 60 s).</param>
public sealed record PlaybookSpec(IReadOnlyList<PlaybookRuleSpec> Rules, double EvaluateEverySeconds = PlaybookSpec.DefaultEvaluateEverySeconds)
{
    public const double DefaultEvaluateEverySeconds = 60;

    /// <summary>Whether a rule activates the group named <paramref name="group"/>: its activation then counts from the
    /// rule's effect, not from the onset, and it has no operator on duty before.</summary>
    public bool Activates(string group) => Rules.Any(r => r.Do.Any(a => a is ActivateGroupAction x && x.Group == group));

    /// <summary>The index of the rule named <paramref name="name"/>, or -1.</summary>
    public int RuleIndex(string name)
    {
        for (var i = 0; i < Rules.Count; i++)
        {
            if (Rules[i].Name == name)
            {
                return i;
            }
        }
        return -1;
    }
}

/// <summary>One rule: when <paramref name="When"/> holds at an evaluation the rule fires; its actions
/// <paramref name="Do"/> take effect <see cref="AfterSeconds"/> later (the cell's reaction time), in their order.</summary>
/// <param name="Name">Unique among the rules; named by <see cref="FiredCondition"/> and in the results.</param>
public sealed record PlaybookRuleSpec(string Name, PlaybookConditionSpec When, IReadOnlyList<PlaybookActionSpec> Do)
{
    /// <summary>Delay between the firing and the actions taking effect (0: at the firing's instant).</summary>
    public double AfterSeconds { get; init; }

    /// <summary>Null: the rule fires once at most. Otherwise it may fire again at the first evaluation at least this long
    /// after its previous firing where its condition holds (at least the evaluation period).</summary>
    public double? CooldownSeconds { get; init; }
}

/// <summary>What a condition looks at: the calls of one call type, of the call types dialling one number, or (both
/// null) every call.</summary>
public sealed record PlaybookScope(string? CallType = null, string? Number = null)
{
    public static PlaybookScope All { get; } = new();

    public bool IsAll => CallType is null && Number is null;
}

/// <summary>A condition of a rule, evaluated at each evaluation instant.</summary>
public abstract record PlaybookConditionSpec;

/// <summary>Every condition holds (an empty list always holds).</summary>
public sealed record AllOfCondition(IReadOnlyList<PlaybookConditionSpec> Conditions) : PlaybookConditionSpec;

/// <summary>At least one condition holds.</summary>
public sealed record AnyOfCondition(IReadOnlyList<PlaybookConditionSpec> Conditions) : PlaybookConditionSpec;

/// <summary>The condition has held at every evaluation from one at least <paramref name="Seconds"/> ago up to now
/// (key <c>for</c>).</summary>
public sealed record HeldForCondition(PlaybookConditionSpec Condition, double Seconds) : PlaybookConditionSpec;

/// <summary>At least <paramref name="AtLeast"/> callers of the scope wait in the queue (key <c>queueAbove</c>).</summary>
public sealed record QueueCondition(PlaybookScope Scope, int AtLeast) : PlaybookConditionSpec;

/// <summary>What a <see cref="WindowCondition"/> measures over its window.</summary>
public enum WindowMeasure
{
    /// <summary>Calls answered within the service-level threshold / calls answered or abandoned, among the calls of
    /// the scope answered or abandoned in the window (no such call: the condition does not hold).</summary>
    ServiceLevel,

    /// <summary>Calls abandoned / calls answered or abandoned, in the window (none: does not hold).</summary>
    Abandonment,

    /// <summary>Mean wait of the calls answered in the window, in seconds (none answered: does not hold).</summary>
    Asa,

    /// <summary>Calls offered in the window (each attempt reaching the router: first calls, redials and transfer legs).</summary>
    Offered,
}

/// <summary>A measure over the last <paramref name="WindowSeconds"/> (+inf: since the start of the run) at or above
/// (<paramref name="Above"/>) or strictly below the <paramref name="Value"/> (keys <c>serviceLevelBelow</c>,
/// <c>serviceLevelAbove</c>, <c>abandonmentAbove</c>, <c>abandonmentBelow</c>, <c>asaAbove</c>, <c>asaBelow</c>,
/// <c>offeredAbove</c>, with <c>window</c>; <c>offeredTotalAbove</c> since the start).</summary>
/// <remarks>The window is counted in evaluation periods: the last ceil(window / period) periods.</remarks>
public sealed record WindowCondition(PlaybookScope Scope, WindowMeasure Measure, bool Above, double Value, double WindowSeconds) : PlaybookConditionSpec;

/// <summary>The run has reached the first time its clock shows <paramref name="ClockSeconds"/> (seconds after midnight,
/// see <see cref="ScenarioDefinition.ClockStartSeconds"/>), and stays so (key <c>clock</c>).</summary>
public sealed record ClockCondition(double ClockSeconds) : PlaybookConditionSpec;

/// <summary>At least <paramref name="Seconds"/> have passed since the crisis onset (key <c>sinceOnset</c>).</summary>
public sealed record SinceOnsetCondition(double Seconds) : PlaybookConditionSpec;

/// <summary>The rule <paramref name="Rule"/> has fired (at this evaluation or an earlier one; a rule earlier in the
/// list firing at this instant counts) (key <c>fired</c>).</summary>
public sealed record FiredCondition(string Rule) : PlaybookConditionSpec;

/// <summary>An action of a rule, taken when the rule's effect is due.</summary>
public abstract record PlaybookActionSpec;

/// <summary>An outsourced provider (a group with <see cref="OperatorGroupSpec.Activation"/>) or an on-call pool (a group
/// with <see cref="OperatorGroupSpec.OnCall"/>) is activated: its delay and ramp count from now, not from the onset (key
/// <c>activate</c>). A group named by this action has no operator on duty before.</summary>
public sealed record ActivateGroupAction(string Group) : PlaybookActionSpec;

/// <summary>A number's lines become <paramref name="Lines"/> (key <c>lines: { number, lines }</c>), or grow by
/// <paramref name="Lines"/> (<paramref name="Add"/>, key <c>addLines: { number, lines }</c>); calls holding lines beyond a
/// lower count keep them.</summary>
public sealed record SetLinesAction(string Number, int Lines, bool Add) : PlaybookActionSpec;

/// <summary>A number opens (<paramref name="Open"/>: it follows its opening hours again, if it has any) or closes
/// (callers hear the closed message until it opens; callers already waiting stay) (keys <c>openNumber</c>,
/// <c>closeNumber</c>).</summary>
public sealed record OpenNumberAction(string Number, bool Open) : PlaybookActionSpec;

/// <summary>A number's opening hours change (null: always open) (key <c>hours: { number, open, close, atClose }</c>).</summary>
public sealed record SetHoursAction(string Number, OpeningHoursSpec? Hours) : PlaybookActionSpec;

/// <summary>A call type's recorded message is switched on with these settings, or off (null) (keys
/// <c>recordedMessage: { type, duration, satisfies }</c>, <c>recordedMessageOff</c>). Callers already hearing it finish it.</summary>
public sealed record RecordedMessageAction(string CallType, RecordedMessageSpec? Message) : PlaybookActionSpec;

/// <summary>Callbacks are offered to a call type's callers with these settings, or no longer offered (null) (keys
/// <c>callbacks: { type, offerAbove, accept, deadline }</c>, <c>callbacksOff</c>). Callbacks already accepted are made.</summary>
public sealed record CallbacksAction(string CallType, CallbackSpec? Callbacks) : PlaybookActionSpec;

/// <summary>A call type's priority becomes <paramref name="Priority"/> (key <c>priority: { type, value }</c>).</summary>
public sealed record SetPriorityAction(string CallType, int Priority) : PlaybookActionSpec;

/// <summary>The routing policy becomes this built-in policy with its settings (key <c>routing</c>).</summary>
public sealed record SetRoutingAction(RoutingSpec Routing) : PlaybookActionSpec;

/// <summary>An outbound follow-up campaign (an outbound call type) starts or stops (keys <c>startCampaign</c>,
/// <c>stopCampaign</c>): while stopped, its calls to make are created and wait (their deadlines running) but no operator
/// makes them. A call type named by <c>startCampaign</c> starts stopped.</summary>
public sealed record CampaignAction(string CallType, bool Start) : PlaybookActionSpec;

/// <summary>An on-call pool: the group has no operator on duty until a playbook rule activates it
/// (<see cref="ActivateGroupAction"/>); then, <paramref name="DelaySeconds"/> later, its scheduled operators come on
/// duty all at once.</summary>
public sealed record OnCallSpec(double DelaySeconds);
