using System.Globalization;
using CrisisSim.Inputs;

namespace CrisisSim.Scenarios;

/// <summary>One problem found in a scenario file, located by file, line, column (1-based; 0 when unknown) and key.</summary>
/// <param name="Key">Dotted path of the offending key, such as <c>callTypes[0].arrivals.callsPerInterval</c>;
/// empty when the problem is not tied to a key (a YAML syntax error, an unreadable file).</param>
public sealed record ScenarioError(string File, int Line, int Column, string Key, string Reason)
{
    /// <summary><c>FILE:LINE:COLUMN: KEY: REASON</c> (the key part is left out when there is none), with control
    /// characters escaped (<see cref="Printable"/>).</summary>
    public override string ToString() => Printable.Escape(
        Key.Length == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}: {Reason}")
            : string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}: {Key}: {Reason}"));
}

/// <summary>A scenario file that cannot be used: unreadable, not valid YAML, or not a valid scenario.</summary>
/// <remarks>The location properties describe the first error; <see cref="Errors"/> holds every error found, in file
/// order, and the message lists them one per line.</remarks>
public sealed class ScenarioException : Exception
{
    public ScenarioException(IReadOnlyList<ScenarioError> errors, Exception? innerException = null)
        : base(FormatMessage(errors), innerException)
    {
        Errors = errors.Count > 0 ? errors.ToArray() : [new ScenarioError("", 0, 0, "", "invalid scenario")];
    }

    public ScenarioException(ScenarioError error, Exception? innerException = null)
        : this([error], innerException)
    {
    }

    public IReadOnlyList<ScenarioError> Errors { get; }

    public string File => Errors[0].File;

    /// <summary>1-based line of the first error; 0 when unknown.</summary>
    public int Line => Errors[0].Line;

    /// <summary>1-based column of the first error; 0 when unknown.</summary>
    public int Column => Errors[0].Column;

    /// <summary>Dotted path of the key in error, such as <c>groups[1].staffing[3]</c>; empty when not tied to a key.</summary>
    public string Key => Errors[0].Key;

    public string Reason => Errors[0].Reason;

    private static string FormatMessage(IReadOnlyList<ScenarioError> errors) =>
        errors.Count == 0 ? "invalid scenario" : string.Join(Environment.NewLine, errors);
}
