namespace CrisisSim.Model.Components;

/// <summary>The daily opening hours of one number on the run's clock: the run starts at <c>clockStart</c> seconds
/// after midnight; the number is open from <c>open</c> (included) to <c>close</c> (excluded), overnight when
/// <c>close</c> comes before <c>open</c>.</summary>
public sealed class OpeningHours(double clockStart, double open, double close, bool callBackAtClose)
{
    public const double Day = 86_400;

    /// <summary>Whether the callers still waiting at closing are told to call back (rather than served).</summary>
    public bool CallBackAtClose => callBackAtClose;

    public bool IsOpen(double now)
    {
        var clock = (clockStart + now) % Day;
        return open < close ? clock >= open && clock < close : clock >= open || clock < close;
    }

    /// <summary>The first closing time, in seconds from the start of the run (from 0 to one day); then every day.</summary>
    public double FirstClosing => ((close - clockStart) % Day + Day) % Day;
}
