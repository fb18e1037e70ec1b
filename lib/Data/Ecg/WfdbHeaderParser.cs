using System.Globalization;
using System.Text.RegularExpressions;

namespace Distill.Data.Ecg;

/// <summary>Parses WFDB header files (<c>.hea</c>): record line, signal lines, comments and blank lines.</summary>
/// <remarks>
/// Follows the PhysioNet WFDB header specification (<c>header(5)</c>): the first non-comment line is the record line
/// <c>name[/segments] signals [frequency [samples ...]]</c>, then one line per signal
/// <c>file format[xN][:skew][+offset] [gain[(baseline)][/units] [resolution [zero [initial [checksum [block [description]]]]]]]</c>.
/// Comment lines (<c>#</c>) and blank lines may appear anywhere, with LF or CRLF line ends.
/// Multi-segment records and multi-sample frames are rejected with a clear error rather than misread.
/// </remarks>
public static partial class WfdbHeaderParser
{
    private const double DefaultFrequency = 250;
    private const double DefaultGain = 200;

    /// <summary>The highest sampling frequency accepted (1 MHz); a larger one is a corrupt header, not an ECG.</summary>
    public const double MaxSamplingFrequency = 1e6;

    /// <summary>Reads and parses the header file at <paramref name="path"/>.</summary>
    public static WfdbHeader Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"WFDB header '{path}' does not exist. Check the record name and folder.", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses header text; <paramref name="path"/> only names the source in error messages.</summary>
    public static WfdbHeader Parse(string text, string path)
    {
        var comments = new List<string>();
        var lines = new List<(int Number, string Text)>();
        string[] raw = text.Split('\n');
        for (int i = 0; i < raw.Length; i++)
        {
            string line = raw[i].Trim();
            if (line.Length == 0) continue;
            if (line[0] == '#') { comments.Add(line[1..].Trim()); continue; }
            lines.Add((i + 1, line));
        }
        if (lines.Count == 0)
            throw new WfdbFormatException(path, "the header has no record line", "A WFDB header starts with 'name signals [frequency [samples]]'");

        var (recordName, signalCount, frequency, samples) = ParseRecordLine(lines[0].Text, lines[0].Number, path);
        if (lines.Count - 1 != signalCount)
            throw new WfdbFormatException(path,
                $"the record line declares {signalCount} signals but {lines.Count - 1} signal lines follow",
                "Fix the signal count on the record line or restore the missing signal lines");

        var signals = new List<WfdbSignalSpec>(signalCount);
        for (int s = 0; s < signalCount; s++)
            signals.Add(ParseSignalLine(lines[s + 1].Text, lines[s + 1].Number, recordName, s, path));
        return new WfdbHeader(recordName, frequency, samples, signals, comments);
    }

    private static (string Name, int Signals, double Frequency, long Samples) ParseRecordLine(string line, int number, string path)
    {
        string[] f = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (f[0].Contains('/'))
            throw new WfdbFormatException(path, $"line {number}: '{f[0]}' is a multi-segment record",
                "Multi-segment records are not supported; MIT-BIH records are single-segment");
        if (f.Length < 2 || !int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out int signals) || signals < 1)
            throw new WfdbFormatException(path, $"line {number}: record line '{line}' lacks a positive signal count",
                "The record line reads 'name signals [frequency [samples]]'");
        double frequency = DefaultFrequency;
        if (f.Length > 2)
        {
            // The frequency may carry '/counter(base)'; only the sampling frequency matters here.
            string fs = f[2].Split('/')[0];
            if (!double.TryParse(fs, NumberStyles.Float, CultureInfo.InvariantCulture, out frequency) || !double.IsFinite(frequency)
                || frequency <= 0 || frequency > MaxSamplingFrequency)
                throw new WfdbFormatException(path, $"line {number}: sampling frequency '{f[2]}' is not a number of Hz in (0, {MaxSamplingFrequency:0}]",
                    "Write the frequency in Hz, e.g. 360");
        }
        long samples = 0;
        if (f.Length > 3 && (!long.TryParse(f[3], NumberStyles.None, CultureInfo.InvariantCulture, out samples) || samples > Array.MaxLength))
            throw new WfdbFormatException(path, $"line {number}: sample count '{f[3]}' is not an integer in 0..{Array.MaxLength}",
                "Write the number of samples per signal, e.g. 650000 (longer records must be split into segments)");
        return (f[0], signals, frequency, samples);
    }

    [GeneratedRegex(@"^(?<format>\d+)(x(?<spf>\d+))?(:(?<skew>\d+))?(\+(?<offset>\d+))?$")]
    private static partial Regex FormatField();

    [GeneratedRegex(@"^(?<gain>[-+]?[0-9.eE+-]+?)(\((?<baseline>[-+]?\d+)\))?(/(?<units>\S+))?$")]
    private static partial Regex GainField();

    private static WfdbSignalSpec ParseSignalLine(string line, int number, string record, int index, string path)
    {
        // At most 9 fields before the description, which may itself contain spaces.
        string[] f = line.Split((char[]?)null, 10, StringSplitOptions.RemoveEmptyEntries);
        if (f.Length < 2)
            throw new WfdbFormatException(path, $"line {number}: signal line '{line}' lacks a format",
                "A signal line reads 'file format [gain[(baseline)][/units] [resolution [zero [initial [checksum [block [description]]]]]]]'");

        var fm = FormatField().Match(f[1]);
        if (!fm.Success)
            throw new WfdbFormatException(path, $"line {number}: format field '{f[1]}' is not 'format[xN][:skew][+offset]'",
                "Write the storage format as a number, e.g. 212 or 16");
        if (fm.Groups["spf"].Success && fm.Groups["spf"].Value != "1")
            throw new WfdbFormatException(path, $"line {number}: {fm.Groups["spf"].Value} samples per frame",
                "Multi-frequency records (samples per frame > 1) are not supported");
        if (fm.Groups["skew"].Success && fm.Groups["skew"].Value != "0")
            throw new WfdbFormatException(path, $"line {number}: skew {fm.Groups["skew"].Value}",
                "Skewed signals are not supported");
        if (!int.TryParse(fm.Groups["format"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int format))
            throw new WfdbFormatException(path, $"line {number}: format '{fm.Groups["format"].Value}' is not a WFDB format code",
                "Write the storage format as a number, e.g. 212 or 16");
        long offset = 0;
        if (fm.Groups["offset"].Success && !long.TryParse(fm.Groups["offset"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
            throw new WfdbFormatException(path, $"line {number}: byte offset '{fm.Groups["offset"].Value}' is too large",
                "Write the number of bytes before the first sample, e.g. +24");

        double gain = DefaultGain;
        int? baseline = null;
        string units = "mV";
        if (f.Length > 2)
        {
            var gm = GainField().Match(f[2]);
            if (!gm.Success || !double.TryParse(gm.Groups["gain"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out gain))
                throw new WfdbFormatException(path, $"line {number}: gain field '{f[2]}' is not 'gain[(baseline)][/units]'",
                    "Write the ADC gain in units per mV, e.g. 200");
            if (!double.IsFinite(gain))
                throw new WfdbFormatException(path, $"line {number}: gain '{gm.Groups["gain"].Value}' is not a finite number",
                    "Write the ADC gain in units per mV, e.g. 200");
            if (gain == 0) gain = DefaultGain;
            if (gm.Groups["baseline"].Success)
                baseline = Integer(gm.Groups["baseline"].Value, "baseline");
            if (gm.Groups["units"].Success) units = gm.Groups["units"].Value;
        }
        int resolution = f.Length > 3 ? Integer(f[3], "ADC resolution") : 0;
        if (resolution == 0) resolution = format == 212 ? 12 : 16;
        int zero = f.Length > 4 ? Integer(f[4], "ADC zero") : 0;
        int? initial = f.Length > 5 ? Integer(f[5], "initial value") : null;
        // WFDB compares the low 16 bits of the samples' sum: a header may state the sum unwrapped (-32770 for 32766).
        short? checksum = f.Length > 6 ? unchecked((short)Integer(f[6], "checksum")) : null;
        if (f.Length > 7) Integer(f[7], "block size");
        string description = f.Length > 8 ? f[8] + (f.Length > 9 ? " " + f[9] : "") : $"record {record}, signal {index}";
        return new WfdbSignalSpec(f[0], format, offset, gain, baseline ?? zero, units, resolution, zero, initial, checksum, description);

        int Integer(string token, string what) =>
            int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v)
                ? v
                : throw new WfdbFormatException(path, $"line {number}: {what} '{token}' is not a 32-bit integer",
                    "Check the signal line's fields against the WFDB header specification");
    }
}
