namespace Distill.Data.Ecg;

/// <summary>A multi-lead ECG recording in millivolts with its beat and rhythm annotations.</summary>
/// <param name="Name">Record name (e.g. <c>100</c>, or the synthetic generator's name).</param>
/// <param name="SamplingFrequency">Samples per second per lead.</param>
/// <param name="Leads">Lead names in the order of <paramref name="Millivolts"/> (e.g. <c>MLII</c>, <c>V5</c>).</param>
/// <param name="Millivolts">Samples per lead, in mV: [lead][sample].</param>
/// <param name="Annotations">Annotations in sample order; beat annotations mark R peaks.</param>
public sealed record EcgRecord(
    string Name, double SamplingFrequency, IReadOnlyList<string> Leads,
    IReadOnlyList<float[]> Millivolts, IReadOnlyList<MitAnnotation> Annotations)
{
    /// <summary>Samples per lead.</summary>
    public int Length => Millivolts[0].Length;

    /// <summary>Reads a WFDB record: <c>{name}.hea</c>, its signal files and <c>{name}.{annotator}</c> from <paramref name="folder"/>.</summary>
    /// <remarks>
    /// Digital samples become millivolts as (sample - baseline) / gain (WFDB's physical-unit conversion); signals
    /// in uV or V are rescaled to mV; a gain that turns a sample into an infinite float is an error. The header's 16-bit
    /// sample checksums, lengths and annotation positions are verified (<see cref="WfdbSignalReader"/>,
    /// <see cref="MitAnnotationReader"/>); annotation files carry no checksum, so only a file-level SHA-256
    /// (<see cref="MitBihChecksums"/>) detects damage that leaves them well-formed.
    /// </remarks>
    public static EcgRecord ReadWfdb(string folder, string name, string annotator = "atr")
    {
        string headerPath = Path.Combine(folder, name + ".hea");
        var header = WfdbHeaderParser.Read(headerPath);
        short[][] digital = WfdbSignalReader.Read(header, folder);
        var millivolts = new float[digital.Length][];
        for (int s = 0; s < digital.Length; s++)
        {
            var spec = header.Signals[s];
            double scale = UnitsToMillivolts(spec.Units, headerPath) / spec.Gain;
            var lead = millivolts[s] = new float[digital[s].Length];
            for (int i = 0; i < lead.Length; i++)
            {
                lead[i] = (float)((digital[s][i] - (double)spec.Baseline) * scale);
                if (!float.IsFinite(lead[i]))
                    throw new WfdbFormatException(headerPath,
                        $"signal '{spec.Description}': gain {spec.Gain} and baseline {spec.Baseline} turn sample {i} ({digital[s][i]}) into {lead[i]} mV",
                        "The header's gain is corrupt; restore the header that came with the record (MIT-BIH: 200 adu/mV)");
            }
        }
        var annotations = MitAnnotationReader.Read(Path.Combine(folder, name + "." + annotator), digital[0].Length);
        return new EcgRecord(name, header.SamplingFrequency, header.Signals.Select(s => s.Description).ToList(), millivolts, annotations);
    }

    private static double UnitsToMillivolts(string units, string headerPath) => units switch
    {
        "mV" => 1,
        "uV" => 1e-3,
        "V" => 1e3,
        _ => throw new WfdbFormatException(headerPath, $"signal units '{units}' are not a voltage",
            "ECG records must be in mV, uV or V"),
    };
}
