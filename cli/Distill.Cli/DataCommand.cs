using System.CommandLine;
using Distill.Data.Ecg;
using Spectre.Console;

namespace Distill.Cli;

/// <summary><c>distill data mitbih [--download]</c>: says which MIT-BIH data the library will use, and fetches the full database.</summary>
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
        var mitbih = new Command("mitbih", "Check the cached MIT-BIH files against PhysioNet's SHA-256 sums and show which data is used " +
                                           "(full database or the embedded record 100); with --download, fetch what is missing or damaged.")
        {
            download, cache, baseUrl,
        };
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
