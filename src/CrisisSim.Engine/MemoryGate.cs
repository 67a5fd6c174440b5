namespace CrisisSim.Engine;

/// <summary>Admits work by the bytes it is estimated to hold, first come first served, until a budget is used: a
/// replication waits while those in flight would exceed <see cref="RunLimits.ReplicationMemoryBudget"/> with it, and
/// one always runs, however large.</summary>
internal sealed class MemoryGate(long budget)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<Waiter> _waiting = new();
    private long _held;

    /// <summary>Bytes admitted and not yet released.</summary>
    public long Held
    {
        get
        {
            lock (_lock)
            {
                return _held;
            }
        }
    }

    /// <summary>Waits until <paramref name="bytes"/> fit within the budget beside what is held (or nothing is held),
    /// behind every earlier waiter.</summary>
    public Task EnterAsync(long bytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        lock (_lock)
        {
            if (_waiting.Count == 0 && Fits(bytes))
            {
                _held += bytes;
                return Task.CompletedTask;
            }
            var waiter = new Waiter(bytes);
            var node = _waiting.AddLast(waiter);
            waiter.Cancellation = cancellationToken.Register(() =>
            {
                List<Waiter> admitted;
                lock (_lock)
                {
                    if (node.List is null)
                    {
                        return;
                    }
                    _waiting.Remove(node);
                    admitted = AdmitWaiting();
                }
                waiter.Ready.TrySetCanceled(cancellationToken);
                Release(admitted);
            });
            return waiter.Ready.Task;
        }
    }

    /// <summary>Gives back what <see cref="EnterAsync"/> admitted, and admits the waiters that now fit, in order.</summary>
    public void Leave(long bytes)
    {
        List<Waiter> admitted;
        lock (_lock)
        {
            _held -= bytes;
            admitted = AdmitWaiting();
        }
        Release(admitted);
    }

    private static void Release(List<Waiter> admitted)
    {
        foreach (var waiter in admitted)
        {
            waiter.Cancellation.Dispose();
            waiter.Ready.TrySetResult();
        }
    }

    private bool Fits(long bytes) => _held == 0 || _held + bytes <= budget;

    private List<Waiter> AdmitWaiting()
    {
        var admitted = new List<Waiter>();
        while (_waiting.First is { } first && Fits(first.Value.Bytes))
        {
            _waiting.RemoveFirst();
            _held += first.Value.Bytes;
            admitted.Add(first.Value);
        }
        return admitted;
    }

    private sealed class Waiter(long bytes)
    {
        public long Bytes { get; } = bytes;

        // Continuations run off the thread that leaves, so a replication ending never runs the next one's start inline.
        public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Cancellation { get; set; }
    }
}
