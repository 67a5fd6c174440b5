using CrisisSim.Model.Scenario;

namespace CrisisSim.Planning;

/// <summary>A scenario's clock time as every table, file and message shows it (the reasons of a staffing carry it, so it
/// lives below the exporters).</summary>
public static class ClockLabel
{
    /// <summary>A clock time <c>HH:MM</c>; with <paramref name="days"/>, <c>day D HH:MM</c> (day 1 is the first day).</summary>
    public static string Of(double seconds, bool days = false)
    {
        var total = (long)Math.Round(seconds / 60);
        return days
            ? $"day {total / 1440 + 1} {total % 1440 / 60:00}:{total % 60:00}"
            : $"{total / 60:00}:{total % 60:00}";
    }

    /// <summary>Whether a scenario's horizon goes past its first day: its labels then name the day.</summary>
    public static bool SpansDays(ScenarioDefinition s) => s.ClockStartSeconds + s.HorizonSeconds > 86400;
}
