using System.Runtime.InteropServices;

namespace CrisisSim.Inputs;

/// <summary>Tells a regular file from a FIFO, device or socket without opening it: opening a FIFO for reading blocks
/// until a writer opens it, and a device may never end.</summary>
/// <remarks>.NET exposes no file type on Unix (FileAttributes says Normal for all of them), so this asks the runtime's
/// own native shim, whose <c>FileStatus.Mode</c> (second 32-bit field) carries the portable S_IFMT bits. When the shim
/// cannot be reached the answer is "regular", and the bounded read in <see cref="InputFile"/> still holds.</remarks>
public static class FileKind
{
    private const int TypeMask = 0xF000;
    private const int Fifo = 0x1000;
    private const int CharacterDevice = 0x2000;
    private const int Directory = 0x4000;
    private const int BlockDevice = 0x6000;
    private const int Regular = 0x8000;
    private const int Socket = 0xC000;

    /// <summary>What the path names when it is not a regular file ("a named pipe (FIFO)" …); null for a regular file.</summary>
    public static string? NotRegular(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }
        int mode;
        try
        {
            // Larger than FileStatus in any runtime version.
            var status = new byte[256];
            if (Stat(path, status) != 0)
            {
                return null;
            }
            mode = BitConverter.ToInt32(status, 4);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or MarshalDirectiveException)
        {
            return null;
        }
        return (mode & TypeMask) switch
        {
            Regular => null,
            Fifo => "a named pipe (FIFO)",
            CharacterDevice => "a character device",
            BlockDevice => "a block device",
            Directory => "a directory",
            Socket => "a socket",
            _ => "a special file",
        };
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] output);
}
