using Distill.Data.Ecg;

namespace Distill.Tests.Data.Ecg;

/// <summary>Corrupt or inconsistent WFDB files fail loudly, naming the file and the problem.</summary>
public class WfdbBadInputTests
{
    private static WfdbFormatException ReadFails(TempFolder folder)
    {
        var error = Assert.Throws<WfdbFormatException>(() => EcgRecord.ReadWfdb(folder.Path, "100"));
        Assert.StartsWith(folder.Path, error.FilePath);
        Assert.Contains(error.FilePath, error.Message);
        return error;
    }

    [Fact]
    public void TruncatedSignalFile()
    {
        using var folder = TempFolder.WithRecord100();
        byte[] dat = File.ReadAllBytes(folder.File("100.dat"));
        File.WriteAllBytes(folder.File("100.dat"), dat[..(dat.Length - 300)]);
        var error = ReadFails(folder);
        Assert.EndsWith("100.dat", error.FilePath);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void SignalFileLongerThanTheHeaderSays()
    {
        using var folder = TempFolder.WithRecord100();
        File.AppendAllText(folder.File("100.dat"), "extra");
        Assert.Contains("header/file mismatch", ReadFails(folder).Message);
    }

    [Fact]
    public void UnknownFormat()
    {
        using var folder = TempFolder.WithRecord100();
        File.WriteAllText(folder.File("100.hea"), File.ReadAllText(folder.File("100.hea")).Replace("100.dat 212", "100.dat 310"));
        Assert.Contains("format 310 is not supported", ReadFails(folder).Message);
    }

    [Fact]
    public void HeaderSignalCountDisagreesWithItsSignalLines()
    {
        using var folder = TempFolder.WithRecord100();
        File.WriteAllText(folder.File("100.hea"), File.ReadAllText(folder.File("100.hea")).Replace("100 2 360", "100 3 360"));
        var error = ReadFails(folder);
        Assert.EndsWith("100.hea", error.FilePath);
        Assert.Contains("declares 3 signals but 2 signal lines follow", error.Message);
    }

    [Fact]
    public void ChecksumMismatch()
    {
        using var folder = TempFolder.WithRecord100();
        byte[] dat = File.ReadAllBytes(folder.File("100.dat"));
        dat[300000] ^= 0x01; // changes one sample of the first signal by one unit
        File.WriteAllBytes(folder.File("100.dat"), dat);
        var error = ReadFails(folder);
        Assert.Contains("checksum mismatch", error.Message);
        Assert.Contains("MLII", error.Message);
    }

    [Fact]
    public void AnnotationPastTheSignalEnd()
    {
        // A consistent 1000-sample record (checksums dropped from the header) whose annotations run on to 650000.
        using var folder = TempFolder.WithRecord100();
        File.WriteAllText(folder.File("100.hea"),
            "100 2 360 1000\n100.dat 212 200 11 1024 995\n100.dat 212 200 11 1024 1011\n");
        File.WriteAllBytes(folder.File("100.dat"), File.ReadAllBytes(folder.File("100.dat"))[..3000]);
        var error = ReadFails(folder);
        Assert.EndsWith("100.atr", error.FilePath);
        Assert.Contains("past the signal end (1000 samples)", error.Message);
    }

    [Fact]
    public void Format16AndOddLengthFormat212DecodeByHand()
    {
        using var folder = new TempFolder();
        // Format 16, two interleaved signals, little-endian: (1, -2), (300, -32768).
        File.WriteAllBytes(folder.File("r16.dat"), [0x01, 0x00, 0xFE, 0xFF, 0x2C, 0x01, 0x00, 0x80]);
        File.WriteAllText(folder.File("r16.hea"), "r16 2 360 2\r\nr16.dat 16 100(0)/uV 16 0 1 301 0 a\r\nr16.dat 16 100 16 0 -2 -32770 0 b\r\n");
        var h16 = WfdbHeaderParser.Read(folder.File("r16.hea"));
        short[][] s16 = WfdbSignalReader.Read(h16, folder.Path);
        Assert.Equal([(short)1, (short)300], s16[0]);
        Assert.Equal([(short)-2, short.MinValue], s16[1]);
        // Format 212, one signal, three samples (1, -2, 2047) in 5 bytes: the last pair is half filled.
        File.WriteAllBytes(folder.File("r212.dat"), [0x01, 0xF0, 0xFE, 0xFF, 0x07]);
        File.WriteAllText(folder.File("r212.hea"), "r212 1 360 3\nr212.dat 212 200 12 0 1 2046 0 lead\n");
        short[][] s212 = WfdbSignalReader.Read(WfdbHeaderParser.Read(folder.File("r212.hea")), folder.Path);
        Assert.Equal([(short)1, (short)-2, (short)2047], s212[0]);
    }

    [Theory]
    [InlineData("100 2 360 650000", "100 2 NaN 650000", "sampling frequency 'NaN'")]
    [InlineData("100 2 360 650000", "100 2 Infinity 650000", "sampling frequency 'Infinity'")]
    [InlineData("100 2 360 650000", "100 2 1e300 650000", "sampling frequency '1e300'")]
    [InlineData("100 2 360 650000", "100 2 360 99999999999999", "sample count '99999999999999'")]
    [InlineData("100.dat 212 200 11 1024 995 -22131", "100.dat 99999999999 200 11 1024 995 -22131", "format '99999999999'")]
    [InlineData("100.dat 212 200 11 1024 995 -22131", "100.dat 212+99999999999999999999 200 11 1024 995 -22131", "byte offset '99999999999999999999'")]
    [InlineData("100.dat 212 200 11 1024 995 -22131", "100.dat 212 200(99999999999) 11 1024 995 -22131", "baseline '99999999999'")]
    [InlineData("100.dat 212 200 11 1024 995 -22131", "100.dat 212 NaN 11 1024 995 -22131", "gain field 'NaN'")]
    [InlineData("100.dat 212 200 11 1024 995 -22131", "100.dat 212 1e400 11 1024 995 -22131", "gain '1e400' is not a finite number")]
    [InlineData("100.dat 212 200 11 1024 995 -22131", "100.dat 212 200 11 1024 995 99999999999", "checksum '99999999999' is not a 32-bit integer")]
    [InlineData("100.dat 212 200 11 1024 995 -22131", "100.dat 212 1e-300 11 1024 995 -22131", "mV")]
    public void CorruptHeaderNumbersAreNamedErrors(string line, string replacement, string problem)
    {
        using var folder = TempFolder.WithRecord100();
        string header = File.ReadAllText(folder.File("100.hea"));
        Assert.Contains(line, header);
        File.WriteAllText(folder.File("100.hea"), header.Replace(line, replacement));
        var error = ReadFails(folder);
        Assert.EndsWith("100.hea", error.FilePath);
        Assert.Contains(problem, error.Message);
    }
}
