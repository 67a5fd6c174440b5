using System.Globalization;
using System.Security.Cryptography;

namespace CrisisSim.Cli;

/// <summary>A run's result folder, <c>OUT/&lt;scenario&gt;/seed&lt;S&gt;-r&lt;R&gt;-&lt;hash&gt;</c>, written whole or not at all.
/// Files go to a staging folder beside it, created before the simulation starts (so an unwritable output is found at
/// once); <see cref="Commit"/> then swaps it in under a lock, so the folder always holds the files of exactly one run,
/// even when two runs write the same folder at once. The hash is that of the scenario file, so two different
/// scenarios with the same name never share a folder.</summary>
internal sealed class ResultFolder : IDisposable
{
    private const string LockFile = ".lock";
    private static int _sequence;
    private readonly string _parent;
    private bool _committed;

    private ResultFolder(string parent, string final, string staging)
    {
        _parent = parent;
        FinalPath = final;
        StagingPath = staging;
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
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, string.Create(CultureInfo.InvariantCulture,
            $".staging-{runName}-{Environment.ProcessId}-{Interlocked.Increment(ref _sequence)}"));
        Directory.CreateDirectory(staging);
        return new ResultFolder(parent, Path.Combine(parent, runName), staging);
    }

    public string File(string name) => Path.Combine(StagingPath, name);

    /// <summary>Moves the staged files into place, replacing an earlier run's folder of the same name as a whole.</summary>
    public void Commit()
    {
        using var guard = AcquireLock(TimeSpan.FromSeconds(60));
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
    }

    public void Dispose()
    {
        if (!_committed)
        {
            TryDelete(StagingPath);
        }
    }

    private FileStream AcquireLock(TimeSpan timeout)
    {
        var path = Path.Combine(_parent, LockFile);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
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
            // Left behind as a hidden folder; it never mixes with a run's files.
        }
    }
}
