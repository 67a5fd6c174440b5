using CrisisSim.Model.Routing;

namespace CrisisSim.Testing;

/// <summary>FIFO routing that misbehaves in its first <c>SelectGroup</c>, as the setting <c>fault</c> says: <c>throw</c>
/// an exception, <c>loop</c> for ever, <c>exit</c> the process (through reflection, which inspection does not see), or
/// <c>wake</c>: never route, and ask at every wake-up for a wake-up now (time never moves on); or <c>invalid</c>: answer
/// a group that does not exist.</summary>
public sealed class FaultyPolicy : IRoutingPolicy
{
    private readonly string _fault;

    public FaultyPolicy(RoutingSetup setup)
    {
        _fault = setup.Choice("fault", "throw", "throw", "loop", "exit", "wake", "invalid");
        setup.RejectUnknown();
    }

    public int SelectGroup(OfferedCall call, IRoutingView view)
    {
        switch (_fault)
        {
            case "throw":
                throw new InvalidOperationException("the surge table has no row for this call");
            case "loop":
                while (view.Now >= 0)
                {
                    Thread.SpinWait(1000);
                }
                return -1;
            case "exit":
                typeof(Environment).GetMethod("Exit")!.Invoke(null, [0]);
                return -1;
            case "wake":
                view.WakeAt(view.Now);
                return -1;
            case "invalid":
                return 99;
            default:
                return FifoPolicy.Instance.SelectGroup(call, view);
        }
    }

    public int SelectCallType(int group, IRoutingView view)
    {
        if (_fault == "wake")
        {
            // Two alternating times defeat the router's "same time asked twice" rule: a wake-up now at every wake-up.
            view.WakeAt(view.Now);
            view.WakeAt(view.Now + 1);
            return -1;
        }
        return FifoPolicy.Instance.SelectCallType(group, view);
    }
}

/// <summary>A policy whose type initializer leaves a file beside its assembly (<c>ASSEMBLY.ran</c>): it shows that the
/// assembly's code ran.</summary>
public sealed class MarkingPolicy : IRoutingPolicy
{
    static MarkingPolicy()
    {
        File.WriteAllText(typeof(MarkingPolicy).Assembly.Location + ".ran", "");
    }

    public int SelectGroup(OfferedCall call, IRoutingView view) => FifoPolicy.Instance.SelectGroup(call, view);

    public int SelectCallType(int group, IRoutingView view) => FifoPolicy.Instance.SelectCallType(group, view);
}
