using System.CommandLine;
using Distill.Data.Ecg;

namespace Distill.Cli;

/// <summary>Options of the commands that segment MIT-BIH records: which records, and which segmentation protocol.</summary>
public sealed class MitBihOptions
{
    /// <summary>The names <c>--segmentation</c> accepts, each with its segmentation options.</summary>
    public static IReadOnlyDictionary<string, BeatSegmentationOptions> Protocols { get; } = new Dictionary<string, BeatSegmentationOptions>
    {
        ["authors"] = BeatSegmentationOptions.BeatGanAuthors,
        ["annotations"] = BeatSegmentationOptions.AnnotationsOnly,
    };

    /// <summary>Records to segment; the 44 non-paced records of the full database when absent.</summary>
    public Option<string[]> Records { get; } = new("--records")
    {
        Description = "MIT-BIH records to segment (default: the 44 non-paced records, which must all be in --cache). " +
                      "'--records 100' uses the embedded record 100 alone (33 APB, 1 PVC: a pipeline check, not a result).",
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>The segmentation protocol.</summary>
    public Option<string> Segmentation { get; } = new("--segmentation")
    {
        Description = "How beats are cut. 'authors' (default): the BeatGAN authors' preprocessing — both leads band-passed by BioSPPy " +
                      "(3-45 Hz FIR), an N beat kept only when BioSPPy's Hamilton R-peak detector finds a peak within 10 samples, windows one " +
                      "sample after the annotation as theirs are (fold 0: train 62,436, validation 8,025, test N 17,343). 'annotations': every " +
                      "annotated beat, centred on its annotation, cut from the unfiltered signal.",
        DefaultValueFactory = _ => "authors",
    };

    /// <summary>Adds the options and their validation to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        Records.Validators.Add(r =>
        {
            var values = r.GetValueOrDefault<string[]>() ?? [];
            var unknown = values.Where(v => !MitBih.Records.Contains(v)).ToArray();
            if (unknown.Length > 0) r.AddError($"--records: not MIT-BIH records: {string.Join(", ", unknown)} (the database has {string.Join(" ", MitBih.Records)}).");
            else if (values.Distinct().Count() != values.Length) r.AddError("--records names a record twice.");
        });
        Segmentation.Validators.Add(r =>
        {
            string value = r.GetValueOrDefault<string>() ?? "";
            if (!Protocols.ContainsKey(value)) r.AddError($"--segmentation must be {string.Join(" or ", Protocols.Keys.Select(k => $"'{k}'"))}, got '{value}'.");
        });
        command.Options.Add(Records);
        command.Options.Add(Segmentation);
    }

    /// <summary>The segmentation options <c>--segmentation</c> names.</summary>
    public BeatSegmentationOptions SegmentationOptions(ParseResult parse) => Protocols[parse.GetValue(Segmentation)!];

    /// <summary>The records to read: those of <c>--records</c>, else the full database in <paramref name="cache"/>.</summary>
    /// <exception cref="FileNotFoundException">The records (or the full database) are not in <paramref name="cache"/>.</exception>
    public MitBihSource Source(ParseResult parse, DirectoryInfo cache)
    {
        if (parse.GetValue(Records) is { Length: > 0 } records) return MitBihSource.Require(records, cache.FullName);
        var source = MitBihSource.Locate(cache.FullName);
        if (!source.IsFullDatabase)
            throw new FileNotFoundException(
                $"The full MIT-BIH database is not in {cache.FullName}. Download it with 'distill data mitbih --download --cache {cache.FullName}', " +
                "or pass '--records 100' to check the pipeline on the embedded record 100.");
        return source;
    }
}
