namespace Distill.Data.Ecg;

/// <summary>One signal line of a WFDB header: where the samples are stored and how to turn them into physical units.</summary>
/// <param name="FileName">Signal file name, relative to the header's folder.</param>
/// <param name="Format">Storage format code (212 and 16 are supported by <see cref="WfdbSignalReader"/>).</param>
/// <param name="ByteOffset">Bytes to skip at the start of the signal file (the <c>+offset</c> suffix).</param>
/// <param name="Gain">ADC units per physical unit (WFDB's default 200 when the header gives 0 or nothing).</param>
/// <param name="Baseline">Sample value of physical zero (defaults to <paramref name="AdcZero"/>).</param>
/// <param name="Units">Physical units (WFDB's default <c>mV</c>).</param>
/// <param name="AdcResolution">ADC resolution in bits.</param>
/// <param name="AdcZero">Sample value of the ADC's mid-range.</param>
/// <param name="InitialValue">First sample value, when the header states it.</param>
/// <param name="Checksum">16-bit sum of all samples, when the header states it.</param>
/// <param name="Description">Lead name or signal description (e.g. <c>MLII</c>).</param>
public sealed record WfdbSignalSpec(
    string FileName, int Format, long ByteOffset, double Gain, int Baseline, string Units,
    int AdcResolution, int AdcZero, int? InitialValue, short? Checksum, string Description);

/// <summary>A parsed WFDB header (<c>.hea</c>): the record line, one line per signal, and the comments.</summary>
/// <param name="RecordName">Record name from the record line (e.g. <c>100</c>).</param>
/// <param name="SamplingFrequency">Samples per second per signal.</param>
/// <param name="SamplesPerSignal">Samples per signal; 0 when the header leaves it to the signal file's length.</param>
/// <param name="Signals">Signal specifications, in header order.</param>
/// <param name="Comments">Comment lines without their leading <c>#</c> (for MIT-BIH: age, sex, medications).</param>
public sealed record WfdbHeader(
    string RecordName, double SamplingFrequency, long SamplesPerSignal,
    IReadOnlyList<WfdbSignalSpec> Signals, IReadOnlyList<string> Comments);
