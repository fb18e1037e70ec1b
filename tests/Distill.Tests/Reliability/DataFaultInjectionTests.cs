using System.Globalization;
using Distill.Data;
using Distill.Data.Ecg;
using Distill.Data.Npy;
using Distill.Data.Tabular;
using Distill.Interop;
using Distill.Tests.Data.Ecg;
using Xunit.Abstractions;

namespace Distill.Tests.Reliability;

/// <summary>Seeded mutations of every data file kind the project reads: each either loads to the original's result or is
/// refused with the project's <see cref="InvalidFileException"/> naming the file.</summary>
/// <remarks>WFDB signal and annotation files carry no checksum and the header's sums cover only the samples, so a
/// mutation can yield another, well-formed record (a flipped annotation code, a changed gain). For those kinds the suite
/// asserts instead that PhysioNet's SHA-256 sums (<see cref="MitBihChecksums"/>), which the downloader, <c>distill data
/// mitbih</c> and <c>reproduce beatgan --data mitbih</c> check, flag every such file: at the MIT-BIH level no mutation
/// reaches a result unnoticed. A lone record outside MIT-BIH has no such list; the reader catches what the format allows.</remarks>
public sealed class DataFaultInjectionTests(ITestOutputHelper output) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("distill-faults-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private Dictionary<(string, FaultOutcome), int> Run(string name, byte[] original, Func<string, string> load, bool differentAllowed,
                                                        Action<byte[]>? onDifferent = null, int seed = 13)
    {
        string path = Path.Combine(folder, name);
        string expected = FaultInjection.Try(path, original, load, "", "original") is FaultOutcome.Different ? load(path) : throw new InvalidOperationException("the original must load");
        var counts = new Dictionary<(string, FaultOutcome), int>();
        var rng = new Random(seed);
        foreach (string kind in FaultInjection.Kinds)
            for (int i = 0; i < FaultInjection.Count; i++)
            {
                byte[] mutated = FaultInjection.Mutate(original, kind, rng);
                var outcome = FaultInjection.Try(path, mutated, load, expected, $"{name} {kind} #{i}");
                if (outcome == FaultOutcome.Different)
                {
                    Assert.True(differentAllowed, $"{name} {kind} #{i}: loaded to another result without an error");
                    onDifferent?.Invoke(mutated);
                }
                counts[(kind, outcome)] = counts.GetValueOrDefault((kind, outcome)) + 1;
            }
        FaultInjection.Report(output, name, counts);
        return counts;
    }

    private static string Record(string folder)
    {
        var record = EcgRecord.ReadWfdb(folder, "100");
        return FaultInjection.Fingerprint([
            record.SamplingFrequency.ToString("R", CultureInfo.InvariantCulture), string.Join(",", record.Leads),
            .. record.Millivolts.Select(lead => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(lead.AsSpan())))),
            string.Join(";", record.Annotations.Select(a => $"{a.Sample}:{a.Code}:{a.SubType}:{a.Channel}:{a.Number}:{a.Aux}")),
        ]);
    }

    [Theory]
    [InlineData("100.hea")]
    [InlineData("100.dat")]
    [InlineData("100.atr")]
    public void WfdbFilesLoadTheSameOrAreRefusedOrFailPhysioNetsSha256(string file)
    {
        foreach (var (name, bytes) in PhysioNetRecord100.Files()) File.WriteAllBytes(Path.Combine(folder, name), bytes);
        byte[] original = File.ReadAllBytes(Path.Combine(folder, file));
        Run(file, original, path => Record(Path.GetDirectoryName(path)!), differentAllowed: true, onDifferent: _ =>
        {
            // The bytes differ from PhysioNet's, so the cache check flags the file: no silent wrong result at the MIT-BIH level.
            Assert.Equal(MitBihFileStatus.Altered, MitBihChecksums.Check(folder, file).Status);
        }, seed: file[^3..].Sum(c => c));
    }

    [Fact]
    public void NpyFilesLoadTheSameOrAreRefused()
    {
        // A smaller file of the demo's layout: its first two beats (header rewritten to shape (2, 2, 320)). NPY has no
        // checksum: a flipped data byte is another finite value, which loads; the reader's guarantees must still hold.
        string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2, 320), }";
        header = header.PadRight(128 - 10 - 1) + "\n";
        byte[] bytes = [0x93, .. "NUMPY"u8.ToArray(), 1, 0, (byte)header.Length, 0, .. System.Text.Encoding.Latin1.GetBytes(header),
                        .. File.ReadAllBytes(ProjectData.File("beatgan-demo", "normal_samples.npy")).AsSpan(128, 8 * 2 * 320 * 2).ToArray()];
        Run("beats.npy", bytes, path =>
        {
            var array = NpyReader.Read(path);
            Assert.All(array.Data, v => Assert.True(double.IsFinite(v)));
            Assert.Equal(array.Data.LongLength, array.Shape.Aggregate(1L, (a, d) => a * d));
            return FaultInjection.Fingerprint([string.Join(",", array.Shape), array.DType, string.Join(",", array.Data.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))]);
        }, differentAllowed: true, onDifferent: _ => { });
    }

    [Fact]
    public void CsvTablesLoadTheSameOrAreRefused()
    {
        // CSV has no checksum: a changed digit is another value, which loads; the reader's guarantees must still hold.
        byte[] original = File.ReadAllBytes(ProjectData.File("uci", "breast_cancer.csv"));
        Run("breast_cancer.csv", original, path =>
        {
            var table = UciTables.BreastCancer(path);
            Assert.All(table.Features, row => Assert.All(row, v => Assert.True(float.IsFinite(v))));
            Assert.All(table.Labels, l => Assert.InRange(l, 0, 1));
            Assert.All(table.ClassCounts(), c => Assert.True(c > 0));
            return FaultInjection.Fingerprint([.. table.Features.Select(r => string.Join(",", r.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))),
                                               string.Join(",", table.Labels), string.Join(",", table.ClassNames)]);
        }, differentAllowed: true);
    }

    [Fact]
    public void PyTorchFilesLoadTheSameOrAreRefused()
    {
        byte[] original = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Reference", "interop_views.pt"));
        var counts = Run("views.pt", original, path =>
        {
            var tensors = PyTorchStateDict.Read(path);
            try
            {
                return FaultInjection.Fingerprint(tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv =>
                    $"{kv.Key}:{kv.Value.dtype}:{string.Join(",", kv.Value.shape)}:{Convert.ToHexString(kv.Value.bytes.ToArray())}"));
            }
            finally
            {
                foreach (var t in tensors.Values) t.Dispose();
            }
        }, differentAllowed: false);
        Assert.True(counts.GetValueOrDefault(("flip", FaultOutcome.Refused)) > 0);
    }
}
