using CrisisSim.Model.Routing;

namespace CrisisSim.Plugins;

/// <summary>A plug-in's policy as the hosts run it: an exception in a decision becomes a
/// <see cref="RoutingPolicyException"/> naming the policy, the decision and the virtual time, and each decision is
/// watched by <see cref="DecisionWatchdog"/> (wall time, host side: the model never reads the clock).</summary>
internal sealed class GuardedPolicy : IRoutingPolicy, IRoutingPolicyGuard
{
    private readonly IRoutingPolicy _inner;

    // Read by the watchdog's thread: the decision under way (0: none) and how many have started.
    private int _deciding;
    private long _started;

    public GuardedPolicy(IRoutingPolicy inner, string typeName)
    {
        _inner = inner;
        PolicyName = typeName;
        DecisionWatchdog.Watch(this);
    }

    public string PolicyName { get; }

    /// <summary>The decision under way, or null.</summary>
    internal string? Deciding => Volatile.Read(ref _deciding) switch
    {
        1 => nameof(SelectGroup),
        2 => nameof(SelectCallType),
        _ => null,
    };

    /// <summary>Decisions started so far: unchanged between two looks of the watchdog while one is under way means the
    /// same decision is still running.</summary>
    internal long Started => Volatile.Read(ref _started);

    /// <summary>The virtual time of the decision under way (for the watchdog's message).</summary>
    internal double Now { get; private set; }

    public int SelectGroup(OfferedCall call, IRoutingView view)
    {
        Enter(1, view);
        try
        {
            return _inner.SelectGroup(call, view);
        }
        catch (Exception ex) when (ex is not RoutingPolicyException)
        {
            throw new RoutingPolicyException(PolicyName, nameof(SelectGroup), view.Now, RoutingPolicyException.Describe(ex), ex);
        }
        finally
        {
            Volatile.Write(ref _deciding, 0);
        }
    }

    public int SelectCallType(int group, IRoutingView view)
    {
        Enter(2, view);
        try
        {
            return _inner.SelectCallType(group, view);
        }
        catch (Exception ex) when (ex is not RoutingPolicyException)
        {
            throw new RoutingPolicyException(PolicyName, nameof(SelectCallType), view.Now, RoutingPolicyException.Describe(ex), ex);
        }
        finally
        {
            Volatile.Write(ref _deciding, 0);
        }
    }

    private void Enter(int decision, IRoutingView view)
    {
        Now = view.Now;
        Volatile.Write(ref _started, _started + 1);
        Volatile.Write(ref _deciding, decision);
    }
}

/// <summary>Watches the decisions of plug-in policies from a timer thread: one still running after
/// <see cref="Limit"/> of wall time is reported once to <see cref="Stuck"/> (a thread cannot be stopped from
/// outside: the command that set <see cref="Stuck"/> ends the process, saying why, after removing what it staged).</summary>
public static class DecisionWatchdog
{
    private static readonly Lock Gate = new();
    private static readonly List<(WeakReference<GuardedPolicy> Policy, long Started, int Looks)> Watched = [];
    private static Timer? _timer;

    /// <summary>Wall time a decision may take (10 s by default): decisions take nanoseconds to microseconds, so a
    /// decision running this long is in a loop that will not end.</summary>
    public static TimeSpan Limit { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Told, once per stuck decision, what is stuck: "the routing policy T has been deciding SelectGroup for
    /// more than 10 s of wall time (at 3600 s of virtual time)". Null: nobody listens (the decision keeps running).</summary>
    public static Action<string>? Stuck { get; set; }

    /// <summary>The plug-in decisions under way now, as "T.SelectGroup" (to name what ended a process).</summary>
    public static IReadOnlyList<string> UnderWay()
    {
        var found = new List<string>();
        lock (Gate)
        {
            foreach (var (reference, _, _) in Watched)
            {
                if (reference.TryGetTarget(out var policy) && policy.Deciding is { } decision)
                {
                    found.Add(policy.PolicyName + "." + decision);
                }
            }
        }
        return found;
    }

    private static TimeSpan Period => Limit < TimeSpan.FromSeconds(4) ? Limit / 4 : TimeSpan.FromSeconds(1);

    internal static void Watch(GuardedPolicy policy)
    {
        lock (Gate)
        {
            Watched.Add((new WeakReference<GuardedPolicy>(policy), -1, 0));
            _timer ??= new Timer(_ => Look(), null, Period, Period);
        }
    }

    private static void Look()
    {
        List<string>? stuck = null;
        lock (Gate)
        {
            var looks = (int)Math.Ceiling(Limit / Period);
            for (var i = Watched.Count - 1; i >= 0; i--)
            {
                var (reference, started, count) = Watched[i];
                if (!reference.TryGetTarget(out var policy))
                {
                    Watched.RemoveAt(i);
                    continue;
                }
                var now = policy.Started;
                if (policy.Deciding is not { } decision || now != started)
                {
                    Watched[i] = (reference, now, 0);
                    continue;
                }
                Watched[i] = (reference, now, count + 1);
                if (count + 1 == looks)
                {
                    (stuck ??= []).Add(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"the routing policy {policy.PolicyName} has been deciding {decision} for more than {Limit.TotalSeconds:0.#} s of wall time (at {policy.Now:0.###} s of virtual time): a decision that does not end"));
                }
            }
        }
        if (stuck is not null && Stuck is { } report)
        {
            foreach (var message in stuck)
            {
                report(message);
            }
        }
    }
}
