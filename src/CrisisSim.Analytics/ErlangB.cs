namespace CrisisSim.Analytics;

/// <summary>
/// Erlang B (M/M/n/n loss system): the probability that a call offered to <c>n</c> lines
/// (servers) carrying an offered load of <c>a</c> Erlangs finds all lines busy and is lost.
/// </summary>
/// <remarks>
/// Evaluated with the recurrence B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)), which involves
/// no factorials or powers and is numerically stable for any number of servers; once the
/// value becomes astronomically small the recurrence continues in log space so that
/// <see cref="LogBlocking"/> stays exact where <see cref="Blocking"/> underflows to zero.
/// </remarks>
public static class ErlangB
{
    private const double LogSpaceThreshold = 1e-250;

    /// <summary>
    /// Blocking probability B(n, a): the probability that an arriving call finds all
    /// <paramref name="servers"/> busy in a loss system (blocked calls are cleared).
    /// </summary>
    /// <param name="servers">Number of servers or lines, n ≥ 0.</param>
    /// <param name="load">Offered load a = λ/μ in Erlangs, finite and ≥ 0.</param>
    /// <returns>B(n, a) in [0, 1]; B(0, a) = 1 and B(n, 0) = 0 for n ≥ 1.</returns>
    public static double Blocking(int servers, double load) => Math.Exp(LogBlocking(servers, load));

    /// <summary>Natural logarithm of the blocking probability B(n, a); −∞ when the load is zero and n ≥ 1.</summary>
    /// <param name="servers">Number of servers or lines, n ≥ 0.</param>
    /// <param name="load">Offered load in Erlangs, finite and ≥ 0.</param>
    public static double LogBlocking(int servers, double load)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(servers);
        Guard.NonNegativeFinite(load, nameof(load));
        var recurrence = new Recurrence(load);
        for (int k = 1; k <= servers; k++)
        {
            recurrence.Advance();
        }

        return recurrence.LogValue;
    }

    /// <summary>
    /// Smallest number of lines whose blocking probability does not exceed <paramref name="maxBlocking"/>.
    /// </summary>
    /// <param name="load">Offered load in Erlangs, finite and &gt; 0.</param>
    /// <param name="maxBlocking">Largest acceptable blocking probability, strictly between 0 and 1.</param>
    public static int MinimumServers(double load, double maxBlocking)
    {
        Guard.PositiveFinite(load, nameof(load));
        Guard.OpenUnitInterval(maxBlocking, nameof(maxBlocking));
        double logTarget = Math.Log(maxBlocking);
        var recurrence = new Recurrence(load);
        while (recurrence.LogValue > logTarget)
        {
            if (recurrence.Servers >= Staffing.MaximumAgents)
            {
                throw new InvalidOperationException(
                    $"No number of lines up to {Staffing.MaximumAgents} meets the blocking target.");
            }

            recurrence.Advance();
        }

        return recurrence.Servers;
    }

    /// <summary>
    /// Incremental evaluation of B(k, a) for k = 0, 1, 2, ...; linear arithmetic while the
    /// value is representable, log arithmetic once it becomes tiny (B decreases in k).
    /// </summary>
    internal struct Recurrence
    {
        private readonly double _load;
        private readonly double _logLoad;
        private double _value;
        private double _logValue;
        private bool _inLogSpace;

        public Recurrence(double load)
        {
            _load = load;
            _logLoad = Math.Log(load);
            _value = 1.0;
            _logValue = 0.0;
            _inLogSpace = false;
            Servers = 0;
        }

        /// <summary>Number of servers k of the current value B(k, a).</summary>
        public int Servers { get; private set; }

        /// <summary>log B(k, a).</summary>
        public readonly double LogValue => _inLogSpace ? _logValue : Math.Log(_value);

        /// <summary>B(k, a) (may underflow to zero).</summary>
        public readonly double Value => _inLogSpace ? Math.Exp(_logValue) : _value;

        /// <summary>Moves from B(k, a) to B(k + 1, a).</summary>
        public void Advance()
        {
            Servers++;
            if (_inLogSpace)
            {
                double previous = Math.Exp(_logValue);
                _logValue = _logLoad + _logValue - Math.Log(Servers + (_load * previous));
                return;
            }

            double product = _load * _value;
            _value = product / (Servers + product);
            if (_value < LogSpaceThreshold)
            {
                _inLogSpace = true;
                _logValue = Math.Log(_value);
            }
        }
    }
}
