using System.Text.Json;
using Distill.Data.Npy;

namespace Distill.Data.Ecg;

/// <summary>What <see cref="BeatGanFoldExport.Write"/> wrote.</summary>
/// <param name="Folder">The export folder.</param>
/// <param name="Files">Every file written, <c>fold.json</c> last.</param>
/// <param name="Counts">Beats per split ("train", "validation", "test") and AAMI class.</param>
public sealed record BeatGanFoldExportReport(string Folder, IReadOnlyList<string> Files, IReadOnlyDictionary<string, IReadOnlyDictionary<AamiClass, int>> Counts);

/// <summary>Writes one BeatGAN fold as NumPy files, so that other code (the PyTorch reference) trains and tests on exactly these beats.</summary>
/// <remarks>
/// For each split S of train, validation and test: <c>S_x.npy</c> float32 [n, leads, L] (every lead of each beat,
/// min-max scaled to [-1, 1]; BeatGAN's nc = 1 model reads lead 0, MLII), <c>S_y.npy</c> int64 [n] (0 normal, 1 abnormal),
/// <c>S_class.npy</c> uint8 [n] (AAMI class: 0 N, 1 S, 2 V, 3 F, 4 Q), <c>S_record.npy</c> int32 [n] (index into
/// <c>records</c> of fold.json) and <c>S_sample.npy</c> int64 [n] (the annotated R-peak sample). Beats keep the order of
/// the split (training beats shuffled by the fold seed, optionally limited to the first N). <c>fold.json</c>, written last, describes the export: fold,
/// fold options, segmentation options, source, class names, record names and counts; its presence means the export is
/// complete. Each file is written under a temporary name and renamed, so an interrupted export leaves no half file.
/// </remarks>
public static class BeatGanFoldExport
{
    /// <summary>The split names, in file-name form.</summary>
    public static IReadOnlyList<string> Splits { get; } = ["train", "validation", "test"];

    /// <summary>Writes <paramref name="split"/> into <paramref name="folder"/> (created if needed; files of an earlier export are replaced).</summary>
    /// <param name="split">The fold to write (<see cref="BeatGanFolds.Split"/>).</param>
    /// <param name="folder">Destination folder.</param>
    /// <param name="source">Where the beats come from, in words (e.g. <see cref="MitBihSource.Description"/>).</param>
    /// <param name="segmentation">The options the beats were segmented with, recorded in fold.json.</param>
    /// <param name="folds">The fold options of <paramref name="split"/>, recorded in fold.json.</param>
    /// <param name="maxTrainBeats">Write at most this many training beats, the subset <see cref="BeatGanSplit.LimitTraining"/>
    /// picks (the one <c>reproduce beatgan --max-train-beats</c> trains on); null writes them all. Recorded in fold.json
    /// with the number of training beats available.</param>
    public static BeatGanFoldExportReport Write(BeatGanSplit split, string folder, string source, BeatSegmentationOptions segmentation, BeatGanFoldOptions folds,
                                                int? maxTrainBeats = null)
    {
        ArgumentNullException.ThrowIfNull(split);
        int available = split.Train.Count;
        split = split.LimitTraining(maxTrainBeats);
        var parts = new[] { split.Train, split.Validation, split.Test };
        var all = parts.SelectMany(p => p).ToList();
        if (all.Count == 0) throw new ArgumentException("The fold holds no beats; segment some records first.", nameof(split));
        int leads = all[0].LeadCount, length = all[0].Length;
        if (all.Any(b => b.LeadCount != leads || b.Length != length))
            throw new ArgumentException("Beats differ in lead count or length; segment them all with the same options.", nameof(split));

        Directory.CreateDirectory(folder);
        string json = Path.Combine(folder, "fold.json");
        System.IO.File.Delete(json); // an export interrupted from here on must not look complete
        var records = all.Select(b => b.Record).Distinct().Order(StringComparer.Ordinal).ToList();
        var recordIndex = records.Select((r, i) => (r, i)).ToDictionary(p => p.r, p => p.i);
        var files = new List<string>();
        var counts = new Dictionary<string, IReadOnlyDictionary<AamiClass, int>>();
        for (int s = 0; s < Splits.Count; s++)
        {
            var beats = parts[s];
            string File(string what) { string path = Path.Combine(folder, $"{Splits[s]}_{what}.npy"); files.Add(path); return path; }
            NpyWriter.Write(File("x"), [beats.Count, leads, length], beats.Select(b => new ReadOnlyMemory<float>(b.Samples)));
            NpyWriter.Write(File("y"), [beats.Count], beats.Select(b => b.Class.IsAbnormal() ? 1L : 0L).ToArray());
            NpyWriter.Write(File("class"), [beats.Count], beats.Select(b => (byte)b.Class).ToArray());
            NpyWriter.Write(File("record"), [beats.Count], beats.Select(b => recordIndex[b.Record]).ToArray());
            NpyWriter.Write(File("sample"), [beats.Count], beats.Select(b => b.RPeak).ToArray());
            counts[Splits[s]] = Enum.GetValues<AamiClass>().ToDictionary(c => c, c => beats.Count(b => b.Class == c));
        }

        var description = new
        {
            fold = split.Fold,
            folds = folds.Folds,
            validation_fraction = folds.ValidationFraction,
            fold_seed = folds.Seed,
            max_train_beats = maxTrainBeats,
            train_available = available,
            source,
            segmentation = new
            {
                before = segmentation.Before,
                after = segmentation.After,
                sampling_frequency = segmentation.SamplingFrequency,
                filter = segmentation.Filter.ToString(),
                selection = segmentation.Selection.ToString(),
                r_peak_tolerance = segmentation.RPeakTolerance,
                annotation_offset = segmentation.AnnotationOffset,
            },
            leads,
            length,
            lead_order = "lead 0 is MLII; lead 1 is the record's other lead",
            classes = Enum.GetNames<AamiClass>(),
            records,
            counts = counts.ToDictionary(p => p.Key, p => p.Value.ToDictionary(c => c.Key.ToString(), c => c.Value)),
            files = Splits.SelectMany(s => new[] { "x", "y", "class", "record", "sample" }.Select(w => $"{s}_{w}.npy")).ToArray(),
        };
        System.IO.File.WriteAllText(json + ".partial", JsonSerializer.Serialize(description, new JsonSerializerOptions { WriteIndented = true }));
        System.IO.File.Move(json + ".partial", json, overwrite: true);
        files.Add(json);
        return new BeatGanFoldExportReport(folder, files, counts);
    }
}
