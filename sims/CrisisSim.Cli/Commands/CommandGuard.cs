using CrisisSim.Grains;
using CrisisSim.Model.Components;

namespace CrisisSim.Cli.Commands;

/// <summary>What every command that simulates does around its work: a run interrupted by the user says how far it got
/// and writes nothing (exit 130); results that cannot be written, or a replication whose grain was lost, fail (exit 1);
/// a replication stopped as unstable (too many calls waiting at once) writes nothing (exit 3).
/// The display (a progress bar) is closed before any of these messages.</summary>
internal static class CommandGuard
{
    public static async Task<int> Guard(ResultFolder folder, IDisposable display, Func<Task<int>> work, Func<string> interrupted, TextWriter e, CancellationToken cancellation)
    {
        try
        {
            return await work();
        }
        catch (Exception) when (cancellation.IsCancellationRequested)
        {
            display.Dispose();
            e.WriteLine(interrupted());
            return CliApp.Interrupted;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            display.Dispose();
            e.WriteLine($"error: cannot write results to {folder.FinalPath}: {ex.Message}");
            return CliApp.Failed;
        }
        catch (UnstableReplicationException ex)
        {
            display.Dispose();
            e.WriteLine($"error: {ex.Message}; no result was written.");
            return CliApp.Unstable;
        }
        catch (RunLostException ex)
        {
            display.Dispose();
            e.WriteLine($"error: {ex.Message}; no result was written.");
            return CliApp.Failed;
        }
    }
}
