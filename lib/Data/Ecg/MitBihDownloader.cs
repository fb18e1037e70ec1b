using System.Net;
using System.Net.Http.Headers;

namespace Distill.Data.Ecg;

/// <summary>What to download and where.</summary>
/// <param name="CacheFolder">Folder receiving <c>{record}.hea/.dat/.atr</c>.</param>
public sealed record MitBihDownloadOptions(string CacheFolder)
{
    /// <summary>Base address of the files (PhysioNet's mitdb 1.0.0 by default; a mirror or a test server otherwise).</summary>
    public Uri BaseUrl { get; init; } = MitBih.PhysioNetBase;

    /// <summary>Records to fetch (all 48 by default).</summary>
    public IReadOnlyList<string> Records { get; init; } = MitBih.Records;
}

/// <summary>Progress of a download: the file being fetched and the records done so far.</summary>
/// <param name="Record">Record being handled.</param>
/// <param name="File">File name being fetched, or null when the record was already present and verified.</param>
/// <param name="BytesReceived">Bytes of <paramref name="File"/> on disk so far (including a resumed part).</param>
/// <param name="TotalBytes">Size of <paramref name="File"/> when the server says it.</param>
/// <param name="RecordsDone">Records finished, this one included once it is verified.</param>
/// <param name="RecordsTotal">Records requested.</param>
public sealed record MitBihDownloadProgress(string Record, string? File, long BytesReceived, long? TotalBytes, int RecordsDone, int RecordsTotal);

/// <summary>Outcome of a download: which records were fetched and which were already there.</summary>
/// <param name="Downloaded">Records fetched (fully or partly) and verified.</param>
/// <param name="AlreadyPresent">Records found complete and verified, not fetched again.</param>
public sealed record MitBihDownloadReport(IReadOnlyList<string> Downloaded, IReadOnlyList<string> AlreadyPresent);

/// <summary>Downloads MIT-BIH records from PhysioNet into a cache folder, resuming partial files and verifying every file
/// against PhysioNet's SHA-256 sums.</summary>
/// <remarks>
/// A file is written as <c>name.part</c> and renamed only when complete and equal, by SHA-256, to the file PhysioNet
/// publishes (<see cref="MitBihChecksums"/>); a later run resumes a <c>.part</c> with an HTTP Range request (starting over
/// if the server ignores it). A record counts as present when its three files have PhysioNet's sums and read without
/// error (the header's checksums and lengths match the signal file and every annotation lies inside it). A file or record
/// that fails verification is deleted and reported, never left half-valid.
/// </remarks>
public sealed class MitBihDownloader(HttpClient? client = null)
{
    private static readonly HttpClient SharedClient = new() { Timeout = TimeSpan.FromMinutes(5) };
    private readonly HttpClient http = client ?? SharedClient;

    /// <summary>Downloads every requested record that is not already present and verified.</summary>
    public async Task<MitBihDownloadReport> DownloadAsync(
        MitBihDownloadOptions options, IProgress<MitBihDownloadProgress>? progress = null, CancellationToken cancellation = default)
    {
        Directory.CreateDirectory(options.CacheFolder);
        var downloaded = new List<string>();
        var present = new List<string>();
        for (int i = 0; i < options.Records.Count; i++)
        {
            string record = options.Records[i];
            if (Verifies(options.CacheFolder, record))
            {
                present.Add(record);
                progress?.Report(new MitBihDownloadProgress(record, null, 0, null, i + 1, options.Records.Count));
                continue;
            }
            // A complete-looking file may be the corrupt one: fetch all three again.
            foreach (string ext in MitBih.Extensions) File.Delete(Path.Combine(options.CacheFolder, $"{record}.{ext}"));
            foreach (string ext in MitBih.Extensions)
                await FetchAsync(options, record, $"{record}.{ext}", i, progress, cancellation).ConfigureAwait(false);
            try
            {
                EcgRecord.ReadWfdb(options.CacheFolder, record);
            }
            catch (Exception e) when (e is WfdbFormatException or FileNotFoundException)
            {
                foreach (string ext in MitBih.Extensions) File.Delete(Path.Combine(options.CacheFolder, $"{record}.{ext}"));
                throw new WfdbFormatException(Path.Combine(options.CacheFolder, record),
                    $"record {record} downloaded from {options.BaseUrl} fails verification ({e.Message})",
                    "Its files were deleted; run the download again, or check that the base URL serves MIT-BIH mitdb 1.0.0");
            }
            downloaded.Add(record);
            progress?.Report(new MitBihDownloadProgress(record, null, 0, null, i + 1, options.Records.Count));
        }
        return new MitBihDownloadReport(downloaded, present);
    }

    private static bool Verifies(string folder, string record)
    {
        if (!MitBih.Extensions.All(e => MitBihChecksums.Check(folder, $"{record}.{e}").Status == MitBihFileStatus.Intact)) return false;
        try
        {
            EcgRecord.ReadWfdb(folder, record);
            return true;
        }
        catch (Exception e) when (e is WfdbFormatException or FileNotFoundException)
        {
            return false;
        }
    }

    private async Task FetchAsync(MitBihDownloadOptions options, string record, string file, int index,
        IProgress<MitBihDownloadProgress>? progress, CancellationToken cancellation)
    {
        string target = Path.Combine(options.CacheFolder, file);
        string part = target + ".part";
        var url = new Uri(options.BaseUrl, file);
        long offset = File.Exists(part) ? new FileInfo(part).Length : 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (offset > 0) request.Headers.Range = new RangeHeaderValue(offset, null);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellation.IsCancellationRequested))
        {
            throw new IOException(
                $"Could not reach {url} ({e.Message}). Are you offline? Connect to the internet, point BaseUrl at a mirror, " +
                $"or copy the MIT-BIH files into {options.CacheFolder} by hand; until then the embedded record 100 is used.", e);
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && offset > 0)
            {
                // The part already holds the whole file.
                Accept(part, target, file, url);
                return;
            }
            if (!response.IsSuccessStatusCode)
                throw new IOException($"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}. Check BaseUrl ({options.BaseUrl}) and the record name '{record}'.");
            bool resumed = response.StatusCode == HttpStatusCode.PartialContent;
            if (!resumed) offset = 0;
            long? total = resumed
                ? response.Content.Headers.ContentRange?.Length
                : response.Content.Headers.ContentLength;

            await using (var output = new FileStream(part, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write))
            await using (var input = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false))
            {
                var buffer = new byte[1 << 16];
                long received = offset;
                int read;
                progress?.Report(new MitBihDownloadProgress(record, file, received, total, index, options.Records.Count));
                while ((read = await input.ReadAsync(buffer, cancellation).ConfigureAwait(false)) > 0)
                {
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellation).ConfigureAwait(false);
                    received += read;
                    progress?.Report(new MitBihDownloadProgress(record, file, received, total, index, options.Records.Count));
                }
                if (total is long expected && received != expected)
                    throw new IOException($"{url}: the connection ended after {received} of {expected} bytes. Run the download again to resume.");
            }
            Accept(part, target, file, url);
        }
    }

    // A complete download becomes the cached file only when it is PhysioNet's file; anything else is deleted, so that the
    // next run fetches it afresh instead of resuming damaged bytes.
    private static void Accept(string part, string target, string file, Uri url)
    {
        string actual = MitBihChecksums.Of(part);
        string expected = MitBihChecksums.Sha256[file];
        if (actual != expected)
        {
            File.Delete(part);
            throw new WfdbFormatException(target,
                $"the file downloaded from {url} has SHA-256 {actual}, not PhysioNet's {expected} (damaged in transfer, or the server " +
                "serves another version)",
                "It was deleted; run the download again, or check that the base URL serves MIT-BIH mitdb 1.0.0");
        }
        File.Move(part, target, overwrite: true);
    }
}
