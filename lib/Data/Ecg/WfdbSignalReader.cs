namespace Distill.Data.Ecg;

/// <summary>Reads the digital samples of a WFDB record's signal files (formats 212 and 16), verifying them against the header.</summary>
/// <remarks>
/// Format 212 packs two 12-bit two's-complement samples into three bytes (the low byte of the first, then the
/// high nibbles of both, then the low byte of the second); format 16 stores 16-bit little-endian two's-complement
/// samples. Signals sharing a file are interleaved frame by frame. Every sample is checked: the file length must
/// match the header's sample count exactly, and the first sample and the 16-bit checksum must match the header
/// when it states them. Nothing is silently truncated.
/// </remarks>
public static class WfdbSignalReader
{
    /// <summary>Reads every signal of <paramref name="header"/> from files in <paramref name="folder"/>; returns [signal][sample].</summary>
    public static short[][] Read(WfdbHeader header, string folder)
    {
        var result = new short[header.Signals.Count][];
        foreach (var group in header.Signals.Select((spec, index) => (spec, index)).GroupBy(s => s.spec.FileName))
        {
            var members = group.ToList();
            string path = Path.Combine(folder, group.Key);
            int format = members[0].spec.Format;
            if (members.Any(m => m.spec.Format != format || m.spec.ByteOffset != members[0].spec.ByteOffset))
                throw new WfdbFormatException(path, "signals stored in the same file declare different formats or byte offsets",
                    "Give every signal in one file the same format and offset in the header");
            var samples = ReadFile(path, format, members[0].spec.ByteOffset, members.Count, header.SamplesPerSignal);
            for (int m = 0; m < members.Count; m++)
            {
                var (spec, index) = members[m];
                Verify(path, spec, samples[m]);
                result[index] = samples[m];
            }
        }
        long length = result[0].Length;
        if (result.Any(s => s.Length != length))
            throw new WfdbFormatException(Path.Combine(folder, header.RecordName + ".hea"),
                $"the signal files hold different numbers of samples ({string.Join(", ", result.Select(s => s.Length))})",
                "Every signal of a record must have the same length; re-download the record");
        return result;
    }

    private static short[][] ReadFile(string path, int format, long offset, int signals, long declaredSamples)
    {
        if (!File.Exists(path))
            throw new WfdbFormatException(path, "this signal file, named in the record's header, does not exist",
                "Download the record again (or fix the file name in the header)");
        byte[] bytes = File.ReadAllBytes(path);
        long available = bytes.LongLength - offset;
        if (available < 0)
            throw new WfdbFormatException(path, $"the file has {bytes.LongLength} bytes, fewer than its byte offset {offset}",
                "The file is truncated; download it again");
        long samples = declaredSamples > 0 ? declaredSamples : SamplesIn(path, format, available, signals);
        long needed = BytesFor(path, format, samples * signals);
        if (available < needed)
            throw new WfdbFormatException(path,
                $"the file is truncated: {samples} samples x {signals} signals in format {format} need {needed} bytes after the offset, the file has {available}",
                "Download the file again (a partial download stops early)");
        if (available > needed)
            throw new WfdbFormatException(path,
                $"header/file mismatch: {samples} samples x {signals} signals in format {format} need {needed} bytes after the offset, the file has {available}",
                "The header does not describe this file; use the header that came with it");

        var result = new short[signals][];
        for (int s = 0; s < signals; s++) result[s] = new short[samples];
        var data = bytes.AsSpan((int)offset);
        switch (format)
        {
            case 212: Decode212(data, result); break;
            case 16: Decode16(data, result); break;
            default: throw UnknownFormat(path, format);
        }
        return result;
    }

    private static long SamplesIn(string path, int format, long bytes, int signals) => format switch
    {
        212 => bytes * 2 / 3 / signals,
        16 => bytes / 2 / signals,
        _ => throw UnknownFormat(path, format),
    };

    private static long BytesFor(string path, int format, long totalSamples) => format switch
    {
        212 => (totalSamples * 3 + 1) / 2,
        16 => totalSamples * 2,
        _ => throw UnknownFormat(path, format),
    };

    private static WfdbFormatException UnknownFormat(string path, int format) =>
        new(path, $"signal format {format} is not supported", "Only WFDB formats 212 and 16 are read (MIT-BIH uses 212); convert the record with WFDB's xform");

    private static void Decode212(ReadOnlySpan<byte> data, short[][] result)
    {
        int signals = result.Length;
        long total = (long)result[0].Length * signals;
        for (long k = 0, b = 0; k < total; k += 2, b += 3)
        {
            int low = data[(int)b], mid = data[(int)b + 1];
            result[k % signals][k / signals] = Twelve(low | (mid & 0x0F) << 8);
            if (k + 1 < total)
                result[(k + 1) % signals][(k + 1) / signals] = Twelve(data[(int)b + 2] | (mid & 0xF0) << 4);
        }
    }

    // Sign-extends a 12-bit two's-complement value.
    private static short Twelve(int v) => (short)((v << 20) >> 20);

    private static void Decode16(ReadOnlySpan<byte> data, short[][] result)
    {
        int signals = result.Length;
        long total = (long)result[0].Length * signals;
        for (long k = 0; k < total; k++)
            result[k % signals][k / signals] = (short)(data[(int)(2 * k)] | data[(int)(2 * k) + 1] << 8);
    }

    private static void Verify(string path, WfdbSignalSpec spec, short[] samples)
    {
        if (spec.InitialValue is int first && samples.Length > 0 && samples[0] != first)
            throw new WfdbFormatException(path,
                $"signal '{spec.Description}' starts with {samples[0]} but the header states {first}",
                "The file or the header is corrupt; download the record again");
        if (spec.Checksum is short expected)
        {
            short sum = 0;
            foreach (short v in samples) sum = unchecked((short)(sum + v));
            if (sum != expected)
                throw new WfdbFormatException(path,
                    $"checksum mismatch for signal '{spec.Description}': the samples sum to {sum}, the header states {expected}",
                    "The file is corrupt or incomplete; download it again");
        }
    }
}
