using Distill.Data.Ecg;

namespace Distill.Tests.Data.Ecg;

/// <summary>MIT annotation format fields assembled by hand from the specification (WFDB annot(5)).</summary>
public class MitAnnotationFormatTests
{
    // One 16-bit little-endian word: code in the top 6 bits, interval or field value in the low 10.
    private static byte[] Word(int code, int value) => [(byte)(value & 0xFF), (byte)((code << 2) | (value >> 8))];

    [Fact]
    public void SkipNumSubChnAndAuxModifyTheRightAnnotations()
    {
        byte[] bytes =
        [
            .. Word(1, 10),                 // N at 10
            .. Word(61, 3),                 // SUB 3
            .. Word(62, 1),                 // CHN 1
            .. Word(60, 5),                 // NUM 5
            .. Word(63, 5), .. "(AFIB"u8, 0, // AUX, 5 bytes padded to 6
            .. Word(59, 0), 0x01, 0x00, 0xA0, 0x86, // SKIP 0x000186A0 = 100000 (high word first)
            .. Word(5, 2),                  // V at 10 + 100000 + 2
            .. Word(0, 0),
        ];
        var a = MitAnnotationReader.Parse(bytes, "hand.atr");
        Assert.Equal(2, a.Count);
        Assert.Equal(new MitAnnotation(10, 1, "N", 3, 1, 5, "(AFIB"), a[0]);
        // CHN and NUM carry over; SUB and AUX do not.
        Assert.Equal(new MitAnnotation(100012, 5, "V", 0, 1, 5, ""), a[1]);
    }

    [Fact]
    public void NegativeSkipMovesBackwards()
    {
        byte[] bytes = [.. Word(1, 500), .. Word(59, 0), 0xFF, 0xFF, 0x38, 0xFF, .. Word(1, 0), .. Word(0, 0)]; // SKIP -200
        Assert.Equal([500L, 300L], MitAnnotationReader.Parse(bytes, "hand.atr").Select(x => x.Sample));
    }

    [Fact]
    public void MissingEndWordIsReportedAsTruncation()
    {
        var error = Assert.Throws<WfdbFormatException>(() => MitAnnotationReader.Parse([.. Word(1, 10)], "cut.atr"));
        Assert.Contains("cut.atr", error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void UndefinedCodeIsRejected()
    {
        var error = Assert.Throws<WfdbFormatException>(() => MitAnnotationReader.Parse([.. Word(50, 10), .. Word(0, 0)], "odd.atr"));
        Assert.Contains("code 50", error.Message);
    }

    [Fact]
    public void AnnotationPastTheSignalEndIsRejected()
    {
        byte[] bytes = [.. Word(1, 999), .. Word(0, 0)];
        Assert.Single(MitAnnotationReader.Parse(bytes, "x.atr", signalLength: 1000));
        var error = Assert.Throws<WfdbFormatException>(() => MitAnnotationReader.Parse([.. Word(1, 1000), .. Word(0, 0)], "x.atr", signalLength: 1000));
        Assert.Contains("past the signal end", error.Message);
    }

    [Fact]
    public void SymbolsFollowEcgcodes()
    {
        Assert.Equal("N", MitAnnotationCodes.Symbol(1));
        Assert.Equal("V", MitAnnotationCodes.Symbol(5));
        Assert.Equal("A", MitAnnotationCodes.Symbol(8));
        Assert.Equal("/", MitAnnotationCodes.Symbol(12));
        Assert.Equal("+", MitAnnotationCodes.Symbol(28));
        Assert.Equal("e", MitAnnotationCodes.Symbol(34));
        Assert.Equal("f", MitAnnotationCodes.Symbol(38));
        Assert.Equal(5, MitAnnotationCodes.Code("V"));
        Assert.Throws<ArgumentOutOfRangeException>(() => MitAnnotationCodes.Symbol(42));
    }
}
