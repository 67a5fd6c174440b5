using MathNet.Numerics.LinearAlgebra;

namespace CrisisSim.Analytics.Tests;

/// <summary>
/// Reference solution of the M/M/n+M queue for small pools, computed without any of the closed
/// forms used by the library: the stationary distribution comes from a dense linear solve of the
/// truncated generator, and the fate of a tagged arrival from Runge–Kutta integration of the
/// forward equations of its position in queue (served at position 0 at rate nμ, moving up at rate
/// nμ + iθ with i calls ahead, abandoning at rate θ).
/// </summary>
internal sealed class BruteForceErlangA
{
    private readonly int _agents;
    private readonly double _serviceRate;
    private readonly double _abandonRate;
    private readonly double[] _stationary;

    public BruteForceErlangA(int agents, double arrivalRate, double serviceRate, double abandonRate, int maxQueue)
    {
        _agents = agents;
        _serviceRate = serviceRate;
        _abandonRate = abandonRate;
        int states = agents + maxQueue + 1;
        Matrix<double> generator = Matrix<double>.Build.Dense(states, states);
        for (int k = 0; k < states; k++)
        {
            if (k + 1 < states)
            {
                generator[k, k + 1] = arrivalRate;
            }

            if (k > 0)
            {
                generator[k, k - 1] = (Math.Min(k, agents) * serviceRate) + (Math.Max(k - agents, 0) * abandonRate);
            }

            double outflow = 0.0;
            for (int m = 0; m < states; m++)
            {
                outflow += m == k ? 0.0 : generator[k, m];
            }

            generator[k, k] = -outflow;
        }

        // π Q = 0 with Σ π = 1: transpose and replace the last balance equation by normalisation.
        Matrix<double> system = generator.Transpose();
        for (int m = 0; m < states; m++)
        {
            system[states - 1, m] = 1.0;
        }

        Vector<double> rightHandSide = Vector<double>.Build.Dense(states);
        rightHandSide[states - 1] = 1.0;
        _stationary = system.Solve(rightHandSide).ToArray();
        MaxQueue = maxQueue;
    }

    public int MaxQueue { get; }

    public double TailMass => _stationary[^1];

    public double ProbabilityOfWait => _stationary.Skip(_agents).Sum();

    public double MeanQueueLength => _stationary.Select((p, k) => p * Math.Max(k - _agents, 0)).Sum();

    public double MeanBusyAgents => _stationary.Select((p, k) => p * Math.Min(k, _agents)).Sum();

    /// <summary>Integrates the tagged call from arrival to <paramref name="horizon"/>.</summary>
    public TaggedCall Integrate(double horizon, int steps)
    {
        int positions = MaxQueue + 1;

        // y[0..positions): P(in queue with i ahead); then served, abandoned, ∫P(in queue), ∫ t dServed.
        int served = positions;
        int abandoned = positions + 1;
        int waitIntegral = positions + 2;
        int answeredWaitIntegral = positions + 3;
        double[] y = new double[positions + 4];
        for (int i = 0; i < positions; i++)
        {
            y[i] = _stationary[_agents + i];
        }

        double drain = _agents * _serviceRate;
        void Derivative(double t, double[] state, double[] result)
        {
            double queued = 0.0;
            for (int i = 0; i < positions; i++)
            {
                double inflow = i + 1 < positions ? (drain + ((i + 1) * _abandonRate)) * state[i + 1] : 0.0;
                result[i] = inflow - ((drain + (i * _abandonRate) + _abandonRate) * state[i]);
                queued += state[i];
            }

            result[served] = drain * state[0];
            result[abandoned] = _abandonRate * queued;
            result[waitIntegral] = queued;
            result[answeredWaitIntegral] = t * drain * state[0];
        }

        double h = horizon / steps;
        int size = y.Length;
        double[] k1 = new double[size];
        double[] k2 = new double[size];
        double[] k3 = new double[size];
        double[] k4 = new double[size];
        double[] temp = new double[size];
        for (int step = 0; step < steps; step++)
        {
            double t = step * h;
            Derivative(t, y, k1);
            for (int i = 0; i < size; i++)
            {
                temp[i] = y[i] + (0.5 * h * k1[i]);
            }

            Derivative(t + (0.5 * h), temp, k2);
            for (int i = 0; i < size; i++)
            {
                temp[i] = y[i] + (0.5 * h * k2[i]);
            }

            Derivative(t + (0.5 * h), temp, k3);
            for (int i = 0; i < size; i++)
            {
                temp[i] = y[i] + (h * k3[i]);
            }

            Derivative(t + h, temp, k4);
            for (int i = 0; i < size; i++)
            {
                y[i] += h / 6.0 * (k1[i] + (2.0 * k2[i]) + (2.0 * k3[i]) + k4[i]);
            }
        }

        return new TaggedCall(
            ProbabilityOfWait: ProbabilityOfWait,
            StillQueued: y.Take(positions).Sum(),
            AnsweredAfterQueueing: y[served],
            Abandoned: y[abandoned],
            WaitIntegral: y[waitIntegral],
            AnsweredWaitIntegral: y[answeredWaitIntegral]);
    }

    /// <summary>State of the tagged call at the end of an integration.</summary>
    /// <param name="ProbabilityOfWait">P(arrival queues).</param>
    /// <param name="StillQueued">P(W &gt; horizon).</param>
    /// <param name="AnsweredAfterQueueing">P(queued, answered by horizon).</param>
    /// <param name="Abandoned">P(abandoned by horizon).</param>
    /// <param name="WaitIntegral">∫_0^horizon P(W &gt; t) dt.</param>
    /// <param name="AnsweredWaitIntegral">E[W · 1{answered by horizon}].</param>
    internal sealed record TaggedCall(
        double ProbabilityOfWait,
        double StillQueued,
        double AnsweredAfterQueueing,
        double Abandoned,
        double WaitIntegral,
        double AnsweredWaitIntegral)
    {
        /// <summary>P(answered and W ≤ horizon), including calls answered without queueing.</summary>
        public double AnsweredWithin => 1.0 - ProbabilityOfWait + AnsweredAfterQueueing;
    }
}
