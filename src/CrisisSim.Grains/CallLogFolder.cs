using System.Globalization;
using CrisisSim.Engine;

namespace CrisisSim.Grains;

/// <summary>Call log parts as files of one folder (<c>calls-r&lt;R&gt;.part</c>), on the disk that the client and the
/// silos of this process share: the CLI makes it in the run's staging folder, replication grains of the embedded silo
/// write their parts there, and <c>calls.csv</c> is written from them in replication order. A host on other machines
/// would need the folder shared by every machine, or the parts sent back to the client.</summary>
public sealed class CallLogFolder : ICallLogStore
{
    public CallLogFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Folder = Path.GetFullPath(folder);
    }

    public string Folder { get; }

    public Stream Create(int replication, out string location)
    {
        Directory.CreateDirectory(Folder);
        location = Path.Combine(Folder, string.Create(CultureInfo.InvariantCulture, $"calls-r{replication}.part"));
        return new FileStream(location, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
    }

    public Stream OpenRead(string location) =>
        new FileStream(Inside(location), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess);

    public void Delete(string location) => File.Delete(Inside(location));

    /// <summary>A location from the wire, checked to name a part of this folder.</summary>
    private string Inside(string location)
    {
        var path = Path.GetFullPath(location);
        return string.Equals(Path.GetDirectoryName(path), Folder, StringComparison.Ordinal)
            ? path
            : throw new ArgumentException($"'{location}' is not a call log part of {Folder}", nameof(location));
    }
}
