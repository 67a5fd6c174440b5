using System.Diagnostics;
using System.Text;
using CrisisSim.Model.Scenario;

namespace CrisisSim.Scenarios.Tests;

/// <summary>Reading a scenario file: only regular files, never more than the size limit, strict UTF-8, tabs located.</summary>
public sealed class FileReadingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crisissim-read-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // ---- defect 3: devices, FIFOs and huge files ----

    [Fact]
    public void A_character_device_is_refused_without_reading_it()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var ex = LoadWithin("/dev/zero", TimeSpan.FromSeconds(10));

        Assert.Equal(("/dev/zero", 0, 0, ""), (ex.File, ex.Line, ex.Column, ex.Key));
        Assert.Equal("is a character device, not a regular file: give the path of a scenario file", ex.Reason);
    }

    [Fact]
    public void A_fifo_is_refused_without_waiting_for_a_writer()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var fifo = Path.Combine(_dir, "scenario.yaml");
        using (var mkfifo = Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var ex = LoadWithin(fifo, TimeSpan.FromSeconds(10));

        Assert.Equal((fifo, 0, 0, ""), (ex.File, ex.Line, ex.Column, ex.Key));
        Assert.Equal("is a named pipe (FIFO), not a regular file: give the path of a scenario file", ex.Reason);
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused_before_it_is_read()
    {
        var path = Path.Combine(_dir, "huge.yaml");
        using (var file = File.Create(path))
        {
            file.SetLength(ScenarioLimits.MaxFileBytes + 1L); // sparse: nothing is written
        }

        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadFile(path));

        Assert.Equal((path, 0, 0, ""), (ex.File, ex.Line, ex.Column, ex.Key));
        Assert.Equal("is 16,777,217 bytes; the limit is 16,777,216 bytes (16 MiB) for a scenario file", ex.Reason);
    }

    [Fact]
    public void A_file_at_the_size_limit_loads()
    {
        var path = Path.Combine(_dir, "padded.yaml");
        var text = LimitTests.Valid + "#";
        var bytes = Encoding.UTF8.GetBytes(text + new string('x', ScenarioLimits.MaxFileBytes - Encoding.UTF8.GetByteCount(text) - 1) + "\n");
        Assert.Equal(ScenarioLimits.MaxFileBytes, bytes.Length);
        File.WriteAllBytes(path, bytes);

        Assert.Equal("test", ScenarioLoader.LoadFile(path).Name);
    }

    // ---- a text of more values than the limit ----

    [Fact]
    public void A_text_of_more_values_than_the_limit_is_refused_before_any_value_is_built()
    {
        var text = "name: many\nextra: [" + string.Join(",", Enumerable.Repeat("1", ScenarioLoader.MaxNodes)) + "]\n";

        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(text, "many.yaml"));

        Assert.Equal((2, 2 * ScenarioLoader.MaxNodes - 1), (ex.Line, ex.Column)); // the 5,000,001st: the 4,999,996th item
        Assert.Equal("invalid YAML: more than 5,000,000 values, lists and maps in one file", ex.Reason);
        // Refused while the parser's events were counted, not while the tree (~200 bytes a node, 1 GB here) was built.
        Assert.DoesNotContain("YamlDotNet.RepresentationModel", Assert.IsType<YamlDotNet.Core.YamlException>(ex.InnerException).StackTrace);
    }

    // ---- defect 4: bytes that are not UTF-8 ----

    [Fact]
    public void An_invalid_utf8_byte_is_reported_at_its_line_and_column()
    {
        var path = Write("bad-byte.yaml", Bytes("name: test\ndescription: café ", new byte[] { 0xFF }, " menu\n", LimitTests.Valid["name: test\n".Length..]));

        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadFile(path));

        Assert.Equal((path, 2, 19, ""), (ex.File, ex.Line, ex.Column, ex.Key));
        Assert.Equal("invalid UTF-8: byte 0xFF cannot start or continue a character here; save the file as UTF-8", ex.Reason);
    }

    [Fact]
    public void A_truncated_utf8_sequence_at_the_end_is_reported()
    {
        var path = Write("truncated.yaml", Bytes(LimitTests.Valid + "# caf", new byte[] { 0xC3 }));

        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadFile(path));

        Assert.Equal((15, 6, ""), (ex.Line, ex.Column, ex.Key));
    }

    [Fact]
    public void Latin1_text_is_refused_at_its_first_accented_letter()
    {
        var path = Write("latin1.yaml", Encoding.Latin1.GetBytes(LimitTests.Valid.Replace("intervals: 4\n", "intervals: 4\ndescription: journée\n")));

        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadFile(path));

        Assert.Equal((4, 19), (ex.Line, ex.Column));
    }

    [Fact]
    public void Utf16_text_is_refused()
    {
        var path = Write("utf16.yaml", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(LimitTests.Valid)).ToArray());

        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadFile(path));

        Assert.Equal((1, 1, "the file is UTF-16 text; save it as UTF-8"), (ex.Line, ex.Column, ex.Reason));
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_accepted()
    {
        var path = Write("bom.yaml", Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(LimitTests.Valid)).ToArray());

        Assert.Equal("test", ScenarioLoader.LoadFile(path).Name);
    }

    // ---- defect 5: tabs in the indentation ----

    [Theory]
    [InlineData("  - name: info", "\t- name: info", 7, 1)]
    [InlineData("    arrivals:", "  \tarrivals:", 8, 3)]
    [InlineData("      callsPerInterval: 10", "\t\tcallsPerInterval: 10", 9, 1)]
    [InlineData("  threshold: 20s", "\tthreshold: 20s", 5, 1)]
    public void A_tab_in_the_indentation_is_reported_at_its_line_and_column(string line, string withTab, int expectedLine, int expectedColumn)
    {
        var ex = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(LimitTests.Edit(line, withTab), "t.yaml"));

        Assert.Equal(("t.yaml", expectedLine, expectedColumn, ""), (ex.File, ex.Line, ex.Column, ex.Key));
        Assert.Equal("invalid YAML: a tab character in the indentation; YAML indents with spaces only", ex.Reason);
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Bytes(params object[] parts) =>
        parts.SelectMany(p => p is string s ? Encoding.UTF8.GetBytes(s) : (byte[])p).ToArray();

    private static ScenarioException LoadWithin(string path, TimeSpan timeout)
    {
        var load = Task.Run(() => Assert.Throws<ScenarioException>(() => ScenarioLoader.LoadFile(path)));
        Assert.True(load.Wait(timeout), $"loading {path} did not finish within {timeout}");
        return load.Result;
    }
}
