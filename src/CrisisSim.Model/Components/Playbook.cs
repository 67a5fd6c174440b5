using CrisisSim.Model.Routing;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Model.Components;

/// <summary>What a playbook action does, resolved to indices and ready-made objects for one replication.</summary>
public enum PlaybookActionKind : byte
{
    Activate,
    SetLines,
    AddLines,
    OpenNumber,
    CloseNumber,
    SetHours,
    RecordedMessage,
    Callbacks,
    SetPriority,
    SetRouting,
    StartCampaign,
    StopCampaign,
}

/// <summary>One action of a rule for the router: <paramref name="Target"/> is the group, number or call type index;
/// <paramref name="Value"/> the lines or the priority; <paramref name="Payload"/> the opening hours, recorded message,
/// callback offer or routing policy to put in place (null: none, or off).</summary>
public sealed record PlaybookAction(PlaybookActionKind Kind, int Target, int Value = 0, object? Payload = null);

/// <summary>How a group named by an <c>activate</c> action comes on duty once activated: one operator
/// <paramref name="DelaySeconds"/> after the effect, then one more every <paramref name="StepSeconds"/> up to
/// <paramref name="Max"/> (an outsourced provider), or all at once (an on-call pool: <paramref name="Max"/> is
/// <see cref="int.MaxValue"/>).</summary>
public sealed record PlaybookActivation(double DelaySeconds, double StepSeconds, int Max);

/// <summary>The crisis cell's playbook in one replication (see <see cref="PlaybookSpec"/>): the router counts the calls
/// (<see cref="Offered"/>, <see cref="Answered"/>, <see cref="Abandoned"/>) and, at each evaluation (a
/// <see cref="MessageKind.PlaybookCheck"/> timer every <see cref="Period"/>), asks <see cref="Evaluate"/> which rules
/// fire. Everything it reads is the router's own state at that instant: the firings depend only on the seed.</summary>
public sealed class Playbook
{
    private readonly Rule[] _rules;
    private readonly ScopeCounts[] _scopes;

    // For each call type, the scopes it belongs to (whose counts its calls add to); empty for a type no window reads.
    private readonly ScopeCounts[][] _scopesOfType;
    private readonly double _threshold;
    private int _evaluations;

    internal Playbook(
        double period,
        double horizon,
        double thresholdSeconds,
        int callTypeCount,
        IReadOnlyList<RuleDefinition> rules,
        IReadOnlyList<int[]> scopes,
        PlaybookActivation?[] activations,
        bool[] startsStopped)
    {
        Period = period;
        Horizon = horizon;
        _threshold = thresholdSeconds;
        _scopes = [.. scopes.Select(types => new ScopeCounts(types))];
        _scopesOfType = [.. Enumerable.Range(0, callTypeCount).Select(t => _scopes.Where(scope => scope.Types.Contains(t)).ToArray())];
        _rules = [.. rules.Select(r => new Rule(r))];
        Activations = activations;
        CampaignStartsStopped = startsStopped;
        // The windows each scope keeps: the longest over the conditions reading it.
        foreach (var rule in _rules)
        {
            rule.Condition.Visit(node =>
            {
                if (node is WindowNode window)
                {
                    _scopes[window.Scope].KeepPeriods(window.Periods);
                }
            });
        }
    }

    /// <summary>The evaluation period, in seconds.</summary>
    public double Period { get; }

    /// <summary>The last evaluation comes at or before this time.</summary>
    public double Horizon { get; }

    public int RuleCount => _rules.Length;

    /// <summary>Per group, how it comes on duty once a rule activates it; null for a group no rule activates (those
    /// with an activation have no operator on duty before).</summary>
    public PlaybookActivation?[] Activations { get; }

    /// <summary>Per call type, whether it is an outbound campaign that starts stopped.</summary>
    public bool[] CampaignStartsStopped { get; }

    /// <summary>The actions of rule <paramref name="rule"/>, in order.</summary>
    public PlaybookAction[] Actions(int rule) => _rules[rule].Definition.Actions;

    public double AfterSeconds(int rule) => _rules[rule].Definition.AfterSeconds;

    /// <summary>An attempt of the call type reached the router.</summary>
    public void Offered(int callType)
    {
        foreach (var scope in _scopesOfType[callType])
        {
            scope.Offered++;
        }
    }

    /// <summary>An operator answered a call of the type after <paramref name="wait"/> seconds.</summary>
    public void Answered(int callType, double wait)
    {
        var within = wait <= _threshold ? 1 : 0;
        foreach (var scope in _scopesOfType[callType])
        {
            scope.Answered++;
            scope.WaitSum += wait;
            scope.AnsweredWithin += within;
        }
    }

    /// <summary>A waiting caller of the type hung up.</summary>
    public void Abandoned(int callType)
    {
        foreach (var scope in _scopesOfType[callType])
        {
            scope.Abandoned++;
        }
    }

    /// <summary>The evaluation at <paramref name="now"/>: every rule's condition is evaluated, in order, and the rules
    /// that fire are given to <paramref name="fire"/> with their firing number (1 for the first); a rule later in the
    /// list sees the firings of the earlier ones at this instant (and the effects of those without <c>after</c>,
    /// which <paramref name="fire"/> applies at once).</summary>
    /// <param name="queueLength">The callers of a call type waiting now (-1: of every call type).</param>
    public void Evaluate(double now, Func<int, int> queueLength, Action<int, int> fire)
    {
        _evaluations++;
        foreach (var scope in _scopes)
        {
            scope.Snapshot(_evaluations);
        }
        var context = new Context(this, now, queueLength);
        for (var r = 0; r < _rules.Length; r++)
        {
            var rule = _rules[r];
            if (rule.Firings > 0 && rule.Definition.CooldownSeconds is null)
            {
                continue; // fired once: nothing of it is evaluated any more
            }
            var holds = rule.Condition.Holds(context);
            if (!holds || rule.Firings >= Scenario.ScenarioLimits.MaxPlaybookFiringsPerRule
                || (rule.Firings > 0 && now - rule.LastFiring < rule.Definition.CooldownSeconds!.Value))
            {
                continue;
            }
            rule.Firings++;
            rule.LastFiring = now;
            fire(r, rule.Firings);
        }
    }

    /// <summary>The next evaluation instant after <paramref name="now"/>, or +inf past the horizon.</summary>
    public double NextEvaluation(int evaluations) =>
        (evaluations + 1) * Period <= Horizon + 1e-9 * Period ? (evaluations + 1) * Period : double.PositiveInfinity;

    internal bool HasFired(int rule) => _rules[rule].Firings > 0;

    internal sealed record RuleDefinition(Node Condition, PlaybookAction[] Actions, double AfterSeconds, double? CooldownSeconds);

    private sealed class Rule(RuleDefinition definition)
    {
        public RuleDefinition Definition { get; } = definition;
        public Node Condition => Definition.Condition;
        public int Firings;
        public double LastFiring = double.NegativeInfinity;
    }

    internal readonly struct Context(Playbook playbook, double now, Func<int, int> queueLength)
    {
        public Playbook Playbook => playbook;
        public double Now => now;
        public int QueueLength(int callType) => queueLength(callType);
    }

    /// <summary>The calls of one scope (a set of call types) counted since the start as they happen, sampled at each
    /// evaluation into a ring of the last periods its windows need (40 bytes a period).</summary>
    private sealed class ScopeCounts(int[] types)
    {
        private const int Fields = 5;
        private double[] _ring = new double[Fields];
        private int _periods;

        public int[] Types { get; } = types;

        public double Offered, Answered, AnsweredWithin, Abandoned, WaitSum;

        public void KeepPeriods(int periods)
        {
            if (periods > _periods)
            {
                _periods = periods;
                _ring = new double[(periods + 1) * Fields];
            }
        }

        /// <summary>Keeps the scope's counts now as the sample of evaluation <paramref name="evaluation"/>.</summary>
        public void Snapshot(int evaluation)
        {
            if (_periods > 0)
            {
                var at = evaluation % (_periods + 1) * Fields;
                _ring[at] = Offered;
                _ring[at + 1] = Answered;
                _ring[at + 2] = AnsweredWithin;
                _ring[at + 3] = Abandoned;
                _ring[at + 4] = WaitSum;
            }
        }

        /// <summary>The counts at evaluation <paramref name="evaluation"/> − <paramref name="periods"/> (zeros at or
        /// before the start).</summary>
        public (double Offered, double Answered, double Within, double Abandoned, double WaitSum) Before(int evaluation, int periods)
        {
            var then = evaluation - periods;
            if (then <= 0)
            {
                return default;
            }
            var at = then % (_periods + 1) * Fields;
            return (_ring[at], _ring[at + 1], _ring[at + 2], _ring[at + 3], _ring[at + 4]);
        }
    }

    /// <summary>A condition compiled for evaluation. Every node is evaluated at every evaluation (no short cut), so
    /// that the <c>for</c> conditions inside <c>any</c> keep their state.</summary>
    internal abstract class Node
    {
        public abstract bool Holds(in Context context);

        public virtual void Visit(Action<Node> visit) => visit(this);
    }

    internal sealed class AllNode(Node[] children) : Node
    {
        public override bool Holds(in Context context)
        {
            var all = true;
            foreach (var child in children)
            {
                all &= child.Holds(context);
            }
            return all;
        }

        public override void Visit(Action<Node> visit)
        {
            visit(this);
            foreach (var child in children)
            {
                child.Visit(visit);
            }
        }
    }

    internal sealed class AnyNode(Node[] children) : Node
    {
        public override bool Holds(in Context context)
        {
            var any = false;
            foreach (var child in children)
            {
                any |= child.Holds(context);
            }
            return any;
        }

        public override void Visit(Action<Node> visit)
        {
            visit(this);
            foreach (var child in children)
            {
                child.Visit(visit);
            }
        }
    }

    /// <summary>Held at every evaluation from one at least <c>seconds</c> ago up to now: it holds at the first
    /// evaluation at or after (first evaluation where it held) + seconds.</summary>
    internal sealed class HeldForNode(Node child, double seconds) : Node
    {
        private double _since = double.NaN;

        public override bool Holds(in Context context)
        {
            if (!child.Holds(context))
            {
                _since = double.NaN;
                return false;
            }
            if (double.IsNaN(_since))
            {
                _since = context.Now;
            }
            return context.Now - _since >= seconds - 1e-9;
        }

        public override void Visit(Action<Node> visit)
        {
            visit(this);
            child.Visit(visit);
        }
    }

    internal sealed class QueueNode(int[]? types, int atLeast) : Node
    {
        public override bool Holds(in Context context)
        {
            if (types is null)
            {
                return context.QueueLength(-1) >= atLeast; // every call type: the total
            }
            var length = 0;
            foreach (var t in types)
            {
                length += context.QueueLength(t);
            }
            return length >= atLeast;
        }
    }

    internal sealed class WindowNode(int scope, WindowMeasure measure, bool above, double value, int periods) : Node
    {
        public int Scope => scope;

        /// <summary>Evaluation periods the window spans; 0: since the start of the run.</summary>
        public int Periods => periods;

        public override bool Holds(in Context context)
        {
            var p = context.Playbook;
            var counts = p._scopes[scope];
            var then = periods == 0 ? default : counts.Before(p._evaluations, periods);
            double measured;
            switch (measure)
            {
                case WindowMeasure.Offered:
                    measured = counts.Offered - then.Offered;
                    break;
                case WindowMeasure.Asa:
                    var answered = counts.Answered - then.Answered;
                    if (answered <= 0)
                    {
                        return false;
                    }
                    measured = (counts.WaitSum - then.WaitSum) / answered;
                    break;
                default:
                    var ended = counts.Answered - then.Answered + (counts.Abandoned - then.Abandoned);
                    if (ended <= 0)
                    {
                        return false;
                    }
                    measured = measure == WindowMeasure.ServiceLevel
                        ? (counts.AnsweredWithin - then.Within) / ended
                        : (counts.Abandoned - then.Abandoned) / ended;
                    break;
            }
            return above ? measured >= value : measured < value;
        }
    }

    internal sealed class TimeNode(double from) : Node
    {
        public override bool Holds(in Context context) => context.Now >= from;
    }

    internal sealed class FiredNode(int rule) : Node
    {
        public override bool Holds(in Context context) => context.Playbook.HasFired(rule);
    }
}
