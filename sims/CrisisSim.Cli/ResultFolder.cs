using System.Globalization;
using System.Security.Cryptography;

namespace CrisisSim.Cli;

/// <summary>A run's result folder, <c>OUT/&lt;scenario&gt;/seed&lt;S&gt;-r&lt;R&gt;-&lt;hash&gt;</c>, written whole or not at all.
/// Files go to a staging folder beside it, created before the simulation starts (so an unwritable output is found at
/// once); <see cref="Commit"/> then swaps it in under a lock, so the folder always holds the files of exactly one run,
/// even when two runs write the same folder at once. The hash is that of the scenario file, so two different
/// scenarios with the same name never share a folder.</summary>
/// <remarks>Nothing is left behind: a run that fails or is interrupted removes its staging folder (<see cref="Dispose"/>),
/// and the scenario's folder too when nothing else is in it; an exit that skips the run's own clean-up
/// (<c>Environment.Exit</c>, the hard exit of a second signal) removes it from the process-exit hook of the run under
/// way (<see cref="RunWatch"/>); a process killed outright (kill -9, a stack overflow) leaves it, and the next run
/// into the same scenario folder removes it. Each staging folder is held by a lock file beside it
/// (<c>.staging-….alive</c>, locked for as long as its run lives; the kernel releases the lock of a dead process), so
/// a live run's folder is never taken for a stale one.</remarks>
internal sealed class ResultFolder : IDisposable
{
    private const string LockFile = ".lock";
    private const string StagingPrefix = ".staging-";
    private const string OldPrefix = ".old-";
    private const string AliveSuffix = ".alive";
    private static int _sequence;
    private readonly string _parent;
    private FileStream? _alive;
    private bool _committed;

    private ResultFolder(string parent, string final, string staging, FileStream alive)
    {
        _parent = parent;
        FinalPath = final;
        StagingPath = staging;
        _alive = alive;
    }

    /// <summary>Where the run's files end up.</summary>
    public string FinalPath { get; }

    /// <summary>Where the run writes its files until <see cref="Commit"/>.</summary>
    public string StagingPath { get; }

    /// <summary>The folder name of a run: seed, replications and the first 8 hex digits of the scenario file's SHA-256.</summary>
    public static string RunName(long seed, int replications, byte[] scenarioFile) =>
        string.Create(CultureInfo.InvariantCulture, $"seed{seed}-r{replications}-{Convert.ToHexStringLower(SHA256.HashData(scenarioFile))[..8]}");

    /// <summary>Creates the staging folder; throws <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/>
    /// when the output cannot be written.</summary>
    public static ResultFolder Create(string outputRoot, string scenarioName, string runName)
    {
        var parent = Path.GetFullPath(Path.Combine(outputRoot, scenarioName));
        for (var attempt = 0; ; attempt++)
        {
            Directory.CreateDirectory(parent);
            try
            {
                // Under the scenario folder's lock: a run that removes an empty scenario folder, or stale staging
                // folders, holds it too, so it never sees this staging folder half made.
                using var guard = AcquireLock(parent, TimeSpan.FromSeconds(60));
                RemoveStale(parent);
                var staging = Path.Combine(parent, string.Create(CultureInfo.InvariantCulture,
                    $"{StagingPrefix}{runName}-{Environment.ProcessId}-{Interlocked.Increment(ref _sequence)}"));
                var alive = new FileStream(staging + AliveSuffix, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
                try
                {
                    Directory.CreateDirectory(staging);
                }
                catch
                {
                    alive.Dispose();
                    TryDeleteFile(staging + AliveSuffix);
                    throw;
                }
                return new ResultFolder(parent, Path.Combine(parent, runName), staging, alive);
            }
            catch (DirectoryNotFoundException) when (attempt < 10)
            {
                // Another run removed the scenario folder, empty, between its creation and the lock: make it again.
            }
        }
    }

    /// <summary>Removes the staging folders whose run is dead (their lock file free or missing) and the leftovers of
    /// an interrupted commit; the caller holds the scenario folder's lock.</summary>
    private static void RemoveStale(string parent)
    {
        foreach (var folder in Directory.EnumerateDirectories(parent, ".*"))
        {
            var name = Path.GetFileName(folder);
            if (name.StartsWith(OldPrefix, StringComparison.Ordinal))
            {
                // Made and removed by a commit under the lock held now: one seen here was left by a dead process.
                TryDelete(folder);
            }
            else if (name.StartsWith(StagingPrefix, StringComparison.Ordinal) && IsDead(folder + AliveSuffix))
            {
                TryDelete(folder);
                TryDeleteFile(folder + AliveSuffix);
            }
        }
        foreach (var file in Directory.EnumerateFiles(parent, StagingPrefix + "*" + AliveSuffix))
        {
            // A lock file whose folder is gone (its run died between the two removals).
            if (!Directory.Exists(file[..^AliveSuffix.Length]) && IsDead(file))
            {
                TryDeleteFile(file);
            }
        }
    }

    /// <summary>Whether no live process holds this staging folder's lock file.</summary>
    private static bool IsDead(string aliveFile)
    {
        try
        {
            using var probe = new FileStream(aliveFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return true;
        }
        catch (FileNotFoundException)
        {
            // Every staging folder is made after its lock file, under the lock held now: none means a dead run.
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public string File(string name) => Path.Combine(StagingPath, name);

    /// <summary>Moves the staged files into place, replacing an earlier run's folder of the same name as a whole.</summary>
    public void Commit()
    {
        using var guard = AcquireLock(_parent, TimeSpan.FromSeconds(60));
        string? old = null;
        if (Directory.Exists(FinalPath))
        {
            old = Path.Combine(_parent, string.Create(CultureInfo.InvariantCulture,
                $".old-{Path.GetFileName(FinalPath)}-{Environment.ProcessId}-{Interlocked.Increment(ref _sequence)}"));
            Directory.Move(FinalPath, old);
        }
        Directory.Move(StagingPath, FinalPath);
        _committed = true;
        if (old is not null)
        {
            TryDelete(old);
        }
        Release();
    }

    /// <summary>Removes the staging folder of a run not committed, and the scenario folder when nothing else is in it.</summary>
    public void Dispose()
    {
        if (_committed || _alive is null)
        {
            return;
        }
        TryDelete(StagingPath);
        Release();
        try
        {
            using var guard = AcquireLock(_parent, TimeSpan.FromSeconds(5));
            if (Directory.EnumerateFileSystemEntries(_parent).All(e => Path.GetFileName(e) == LockFile))
            {
                // The lock file goes first (it is open here, which Unix allows): then the folder is empty.
                TryDeleteFile(Path.Combine(_parent, LockFile));
                Directory.Delete(_parent);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Someone else's files, or a run just starting there: the scenario folder stays.
        }
    }

    private void Release()
    {
        var alive = Interlocked.Exchange(ref _alive, null);
        if (alive is not null)
        {
            alive.Dispose();
            TryDeleteFile(StagingPath + AliveSuffix);
        }
    }

    private static FileStream AcquireLock(string parent, TimeSpan timeout)
    {
        var path = Path.Combine(parent, LockFile);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException ex) when (ex is not DirectoryNotFoundException && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left behind as a hidden folder; it never mixes with a run's files, and the next run removes it.
        }
    }

    private static void TryDeleteFile(string file)
    {
        try
        {
            System.IO.File.Delete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A lock file left behind is removed by the next run.
        }
    }
}
