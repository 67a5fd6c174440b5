using CrisisSim.Cli;
using CrisisSim.Testing;

namespace CrisisSim.Tests;

/// <summary>The start-up profiles of the <c>crisissim</c> process (multi-core JIT): where they are kept, one per kind of
/// command, and a run that replays one computes what a run without it does.</summary>
[Collection(nameof(ProcessCollection))]
public sealed class StartupJitTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-jit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("run-silo.jitprofile", "run", "scenarios/bench/w-small.yaml", "-r", "10")]
    [InlineData("run-threads.jitprofile", "run", "w.yaml", "--host", "threads")]
    [InlineData("run-threads.jitprofile", "run", "w.yaml", "--host=process")]
    [InlineData("run-silo.jitprofile", "run", "w.yaml", "--grains", "components")]
    [InlineData("planning-staff-silo.jitprofile", "planning", "staff", "w.yaml")]
    [InlineData("sweep-cluster.jitprofile", "sweep", "w.yaml", "--cluster", "redis://127.0.0.1:6379")]
    [InlineData("load-cluster.jitprofile", "load", "--cluster=redis://127.0.0.1:6379", "--host", "threads")]
    [InlineData("none-silo.jitprofile", "--help")]
    [InlineData("none-silo.jitprofile")]
    [InlineData("run-silo.jitprofile", "run", "--host")]
    public void Each_kind_of_command_has_its_own_profile(string expected, params string[] args) =>
        Assert.Equal(expected.Replace(".jitprofile", "-" + Copy("/opt/crisissim/") + ".jitprofile"), StartupJit.ProfileName(args, "/opt/crisissim/"));

    [Fact]
    public void Each_copy_of_the_command_has_its_own_profiles()
    {
        Assert.NotEqual(StartupJit.ProfileName(["run"], "/opt/crisissim/"), StartupJit.ProfileName(["run"], "/home/u/.dotnet/tools/"));
        Assert.Equal(StartupJit.ProfileName(["run"], "/opt/crisissim/"), StartupJit.ProfileName(["run"], "/opt/crisissim/"));
    }

    private static string Copy(string folder) => StartupJit.CopyTag(folder);

    [Fact]
    public void A_copy_tag_is_eight_hex_digits_of_the_folder()
    {
        // FNV-1a of the empty string and of "a" (32-bit offset basis and prime).
        Assert.Equal("811c9dc5", StartupJit.CopyTag(""));
        Assert.Equal("e40c292c", StartupJit.CopyTag("a"));
        Assert.NotEqual(StartupJit.CopyTag("/opt/a/"), StartupJit.CopyTag("/opt/b/"));
    }

    [Fact]
    public void A_name_never_leaves_the_folder()
    {
        // Only short lower-case words name a profile: a path, an option or a long argument is never part of it.
        foreach (var first in new[] { "../../etc/passwd", "/tmp/x", "RUN", "run.yaml", new string('a', 21), "" })
        {
            var name = StartupJit.ProfileName([first, "run"], "/opt/crisissim/");
            Assert.Equal($"none-silo-{Copy("/opt/crisissim/")}.jitprofile", name);
        }
    }

    [Fact]
    public void The_folder_is_the_variable_else_the_cache_folder_and_off_turns_it_off()
    {
        static Func<string, string?> Env(params (string Name, string Value)[] set) => name => set.FirstOrDefault(s => s.Name == name).Value;

        Assert.Equal("/data/jit", StartupJit.Folder(Env(("CRISISSIM_JIT_PROFILES", "/data/jit"), ("XDG_CACHE_HOME", "/c")), "/home/u"));
        Assert.Null(StartupJit.Folder(Env(("CRISISSIM_JIT_PROFILES", "off")), "/home/u"));
        Assert.Null(StartupJit.Folder(Env(("CRISISSIM_JIT_PROFILES", " ")), "/home/u"));
        Assert.Equal(Path.Combine("/c", "crisissim", "jit"), StartupJit.Folder(Env(("XDG_CACHE_HOME", "/c")), "/home/u"));
        // A relative XDG_CACHE_HOME is ignored, as the XDG specification asks.
        Assert.Equal(Path.Combine("/home/u", ".cache", "crisissim", "jit"), StartupJit.Folder(Env(("XDG_CACHE_HOME", "rel")), "/home/u"));
        Assert.Equal(Path.Combine("/home/u", ".cache", "crisissim", "jit"), StartupJit.Folder(Env(), "/home/u"));
        Assert.Null(StartupJit.Folder(Env(), ""));
    }

    /// <summary>A profile goes through the guard of every file read: a FIFO, a folder or a file over 16 MiB at its place
    /// leaves the profile out (the runtime would block on a FIFO), a missing one or a regular file is used.</summary>
    [Fact]
    public void Only_a_regular_file_of_bounded_size_is_used_as_a_profile()
    {
        var path = Path.Combine(_dir, "p.jitprofile");
        Assert.True(StartupJit.Usable(path));
        File.WriteAllBytes(path, new byte[100]);
        Assert.True(StartupJit.Usable(path));
        File.Delete(path);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", path))
        {
            mkfifo.WaitForExit();
        }
        Assert.False(StartupJit.Usable(path));
        File.Delete(path);
        Directory.CreateDirectory(path);
        Assert.False(StartupJit.Usable(path));
        Directory.Delete(path);
        using (var big = File.Create(path))
        {
            big.SetLength(StartupJit.MaxProfileBytes + 1);
        }
        Assert.False(StartupJit.Usable(path));
    }

    /// <summary>A FIFO where the run's profile would be: the command runs without it, and does not wait for a writer.</summary>
    [Fact]
    public async Task A_fifo_in_place_of_the_profile_does_not_block_the_command()
    {
        var profiles = Path.Combine(_dir, "fifo");
        Directory.CreateDirectory(profiles);
        var args = new[] { "run", Path.Combine(Repo.Scenarios, "bench", "w-small.yaml"), "-r", "1", "--host", "threads", "--format", "summary", "--out", Path.Combine(_dir, "out") };
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", Path.Combine(profiles, StartupJit.ProfileName(args, AppContext.BaseDirectory))))
        {
            mkfifo.WaitForExit();
        }
        using var process = Cli.Start(args, new Dictionary<string, string> { [StartupJit.FolderVariable] = profiles });
        var ended = process.WaitForExit(TimeSpan.FromSeconds(60));
        if (!ended)
        {
            process.Kill(entireProcessTree: true);
        }
        Assert.True(ended, "the command waited on the FIFO");
        Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync());
    }

    /// <summary>The real process: the first run writes its profile, the second replays it and writes the same results;
    /// <c>off</c> writes none.</summary>
    [Fact]
    public async Task A_run_writes_its_profile_and_a_run_replaying_it_computes_the_same()
    {
        var profiles = Path.Combine(_dir, "profiles");
        var summaries = new List<string>();
        foreach (var (name, folder) in new[] { ("off", "off"), ("first", profiles), ("replayed", profiles) })
        {
            var output = Path.Combine(_dir, name);
            using var process = Cli.Start(["run", Path.Combine(Repo.Scenarios, "bench", "w-small.yaml"), "-r", "2", "--format", "summary", "--out", output],
                new Dictionary<string, string> { [StartupJit.FolderVariable] = folder });
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(120)), $"{name}: the run did not end");
            Assert.True(process.ExitCode == 0, $"{name}: " + await process.StandardError.ReadToEndAsync());
            var summary = Directory.GetFiles(output, "summary.json", SearchOption.AllDirectories).Single();
            summaries.Add(await File.ReadAllTextAsync(summary));
            if (name == "off")
            {
                Assert.False(Directory.Exists(profiles));
            }
            else
            {
                var profile = new FileInfo(Path.Combine(profiles, StartupJit.ProfileName(["run"], AppContext.BaseDirectory)));
                Assert.True(profile.Exists && profile.Length > 1000, $"{name}: no profile written");
            }
        }
        Assert.Equal(summaries[0], summaries[1]);
        Assert.Equal(summaries[0], summaries[2]);
    }
}
