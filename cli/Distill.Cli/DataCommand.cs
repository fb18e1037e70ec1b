using System.CommandLine;
using Distill.Data.Ecg;
using Spectre.Console;

namespace Distill.Cli;

/// <summary><c>distill data mitbih [--download] [--export-fold K --out DIR [--max-train-beats N]]</c>: checks the cached files, says which MIT-BIH data the
/// library will use, fetches the full database, and writes a BeatGAN fold as NumPy files.</summary>
public static class DataCommand
{
    /// <summary>Builds the <c>data</c> command with its <c>mitbih</c> subcommand.</summary>
    public static Command Create(Terminal terminal)
    {
        var console = terminal.Out;
        var download = new Option<bool>("--download")
        {
            Description = "Download the 48 records (.hea, .dat, .atr) into the cache folder: files already present and verified " +
                          "are skipped, partial files resume, every file is verified against PhysioNet's SHA-256 sums.",
        };
        var cache = new Option<DirectoryInfo>("--cache")
        {
            Description = $"Cache folder of the full database (default ${MitBih.CacheVariable}, else ~/.cache/distill/mitdb).",
            DefaultValueFactory = _ => new DirectoryInfo(MitBih.DefaultCacheFolder),
        };
        var baseUrl = new Option<string>("--base-url")
        {
            Description = "Where the record files are served (default PhysioNet's mitdb 1.0.0; a mirror or a local server also works).",
            DefaultValueFactory = _ => MitBih.PhysioNetBase.ToString(),
        };
        baseUrl.Validators.Add(r =>
        {
            string url = r.GetValueOrDefault<string>() ?? "";
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                r.AddError($"--base-url must be an absolute http(s) address ending in '/', got '{url}'.");
        });
        var exportFold = new Option<int?>("--export-fold")
        {
            Description = "Segment the records (see --segmentation, --records) and write fold K of BeatGAN's 5 folds to --out as NumPy files: " +
                          "train/validation/test _x (float32 [n, 2, 320], both leads scaled to [-1, 1]), _y (int64, 1 = abnormal), _class " +
                          "(uint8 AAMI class 0-4 = N S V F Q), _record, _sample, and fold.json (written last). The same beats, in the same " +
                          "order, as 'reproduce beatgan --data mitbih --folds K' trains and tests on.",
        };
        exportFold.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is int k && k is < 0 or > 4) r.AddError($"--export-fold takes a fold number 0-4, got {k}.");
        });
        var maxTrain = CliOptions.OptionalInteger("--max-train-beats",
            "With --export-fold: write at most N training beats, the very subset 'reproduce beatgan --max-train-beats N' trains on " +
            "(validation and test beats are never subsampled). Default: all.", 1);
        var output = new Option<DirectoryInfo?>("--out") { Description = "With --export-fold: the folder receiving the files (created if needed)." };
        var mitbihOptions = new MitBihOptions();
        var mitbih = new Command("mitbih", "Check the cached MIT-BIH files against PhysioNet's SHA-256 sums and show which data is used " +
                                           "(full database or the embedded record 100); with --download, fetch what is missing or damaged; " +
                                           "with --export-fold, write a fold's beats as NumPy files.")
        {
            download, cache, baseUrl, exportFold, output, maxTrain,
        };
        mitbihOptions.AddTo(mitbih);
        CliOptions.Renamed(mitbih, "--output", "--out");
        mitbih.Validators.Add(r =>
        {
            bool exporting = r.GetValue(exportFold) is not null;
            if (exporting && r.GetValue(output) is null) r.AddError("--export-fold needs --out DIR, the folder to write the fold to.");
            if (!exporting)
                foreach (var option in new Option[] { output, maxTrain, mitbihOptions.Records, mitbihOptions.Segmentation })
                    if (r.GetResult(option) is { Implicit: false }) r.AddError($"{option.Name} applies to --export-fold only.");
        });
        mitbih.SetAction(parse => Failures.Guard(terminal, () =>
        {
            string folder = parse.GetValue(cache)!.FullName;
            if (parse.GetValue(download))
            {
                var options = new MitBihDownloadOptions(folder) { BaseUrl = new Uri(parse.GetValue(baseUrl)!) };
                var progress = new Progress(console);
                var report = new MitBihDownloader().DownloadAsync(options, progress).GetAwaiter().GetResult();
                console.MarkupLine($"downloaded {report.Downloaded.Count} record(s), {report.AlreadyPresent.Count} already present and verified.");
            }
            if (parse.GetValue(exportFold) is int fold)
            {
                string target = OutputFolder.Probe(parse.GetValue(output)!.FullName, "--out");
                Export(console, mitbihOptions.Source(parse, parse.GetValue(cache)!), mitbihOptions.SegmentationOptions(parse),
                    parse.GetValue(mitbihOptions.Segmentation)!, fold, parse.GetValue(maxTrain), new DirectoryInfo(target));
                return ExitCode.Success;
            }
            var checks = MitBihChecksums.Verify(folder);
            var altered = checks.Where(c => c.Status == MitBihFileStatus.Altered).ToList();
            if (altered.Count > 0) MitBihChecksums.Require(folder, MitBih.Records); // lists the altered files and the fix
            int missing = checks.Count(c => c.Status == MitBihFileStatus.Missing);
            if (missing == 0) console.WriteLine($"All {checks.Count} files in {folder} match PhysioNet's SHA-256 sums.");
            else if (missing < checks.Count)
                console.WriteLine($"{missing} of {checks.Count} files are missing from {folder} (the others match PhysioNet's SHA-256 sums); " +
                                  $"run 'distill data mitbih --download --cache {folder}' to complete the cache.");
            console.WriteLine(MitBihSource.Locate(folder).Description);
            return ExitCode.Success;
        }));
        return new Command("data", "Data sets the experiments use.") { mitbih };
    }

    private static void Export(IAnsiConsole console, MitBihSource source, BeatSegmentationOptions segmentation, string protocol, int fold, int? maxTrainBeats, DirectoryInfo output)
    {
        console.WriteLine($"{source.Description} Segmentation: {protocol}.");
        var beats = source.Segment(segmentation, new SegmentationProgress(console)).Beats;
        var folds = new BeatGanFoldOptions();
        BeatGanSplit split;
        try { split = BeatGanFolds.Split(beats, fold, folds); }
        catch (ArgumentException error) { throw new InvalidDataException(error.Message, error); }
        var report = BeatGanFoldExport.Write(split, output.FullName, $"{source.Description} Segmentation: {protocol}.", segmentation, folds, maxTrainBeats);
        foreach (var (name, counts) in report.Counts)
            console.WriteLine($"{name,-10} {counts.Values.Sum(),6} beats: {string.Join(" ", counts.Select(c => $"{c.Key} {c.Value}"))}");
        console.WriteLine($"fold {fold} written to {report.Folder} ({report.Files.Count} files, fold.json last)");
    }

    /// <summary>One line per finished record (the console is a log, not a live display).</summary>
    private sealed class Progress(IAnsiConsole console) : IProgress<MitBihDownloadProgress>
    {
        public void Report(MitBihDownloadProgress value)
        {
            if (value.File is null || value.BytesReceived == value.TotalBytes)
                console.WriteLine($"[{value.RecordsDone}/{value.RecordsTotal}] {value.File ?? value.Record + " (already present)"}");
        }
    }
}
