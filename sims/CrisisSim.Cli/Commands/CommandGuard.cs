using CrisisSim.Grains;
using CrisisSim.Model.Components;
using CrisisSim.Model.Routing;

namespace CrisisSim.Cli.Commands;

/// <summary>What every command that simulates does around its work: a run interrupted by the user says how far it got
/// and writes nothing (exit 130); results that cannot be written, or a replication whose grain was lost, fail (exit 1);
/// a replication stopped as unstable (too many calls waiting at once) writes nothing (exit 3). A routing policy that
/// fails during the run (it throws, or holds time still with wake-ups) is reported in one line naming the policy, the
/// decision and the exception (its stack with <c>--verbose</c>), exit 4.
/// The display (a progress bar) is closed before any of these messages.</summary>
internal static class CommandGuard
{
    public static async Task<int> Guard(ResultFolder folder, IDisposable display, Func<Task<int>> work, Func<string> interrupted, TextWriter e, CancellationToken cancellation)
    {
        try
        {
            using (RunWatch.Begin(folder, e))
            {
                return await work();
            }
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
        catch (Exception ex) when (PolicyFailure(ex) is { } failure)
        {
            display.Dispose();
            e.WriteLine($"error: {failure.Message}; no result was written.");
            e.WriteLine(CliApp.Verbose ? failure.ToString() : "(run with --verbose to see where it failed)");
            return CliApp.PluginFailed;
        }
        catch (ClusterPluginException ex)
        {
            display.Dispose();
            e.WriteLine($"error: {ex.Message}; nothing was run.");
            return CliApp.BadInput;
        }
        catch (ClusterUnreachableException ex)
        {
            display.Dispose();
            e.WriteLine($"error: {ex.Message}; nothing was run.");
            return CliApp.BadInput;
        }
        catch (RunLostException ex)
        {
            display.Dispose();
            e.WriteLine($"error: {ex.Message}; no result was written.");
            return CliApp.Failed;
        }
    }

    /// <summary>The routing policy's failure behind <paramref name="ex"/> (as thrown on threads, or carried back from a
    /// grain), or null.</summary>
    private static Exception? PolicyFailure(Exception ex)
    {
        for (var current = ex; current is not null; current = current.InnerException)
        {
            if (current is RoutingPolicyException || current.GetType().Name == nameof(RoutingPolicyException))
            {
                return current;
            }
            if (current is AggregateException { InnerExceptions: [var single] })
            {
                return PolicyFailure(single);
            }
        }
        return null;
    }
}
