using System.Text;

namespace Distill.Data.Ecg;

/// <summary>Reads WFDB annotation files in MIT format (<c>.atr</c>).</summary>
/// <remarks>
/// MIT format stores each annotation as a 16-bit little-endian word: the top 6 bits are the code A, the low 10 bits
/// the sample interval I since the previous annotation. Special codes modify this: SKIP (59) adds a 32-bit interval
/// stored in the next four bytes (high 16-bit word first, each word little-endian); NUM (60), SUB (61) and CHN (62)
/// set the preceding annotation's number, subtype and channel to I; AUX (63) attaches I bytes of text (padded to an
/// even length). A = 0 with I = 0 ends the file. As in the WFDB library, NUM and CHN carry over to later
/// annotations until changed, while SUB and AUX belong to one annotation only.
/// </remarks>
public static class MitAnnotationReader
{
    private const int Skip = 59, Num = 60, Sub = 61, Chn = 62, Aux = 63;

    /// <summary>
    /// Reads the annotations in <paramref name="path"/>. When <paramref name="signalLength"/> is given, an annotation
    /// at or past the end of the signal is an error.
    /// </summary>
    public static IReadOnlyList<MitAnnotation> Read(string path, long? signalLength = null)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Annotation file '{path}' does not exist. Download the record's .atr file.", path);
        return Parse(File.ReadAllBytes(path), path, signalLength);
    }

    /// <summary>Parses MIT-format annotation bytes; <paramref name="path"/> only names the source in error messages.</summary>
    public static IReadOnlyList<MitAnnotation> Parse(ReadOnlySpan<byte> bytes, string path, long? signalLength = null)
    {
        var result = new List<MitAnnotation>();
        long sample = 0, pendingSkip = 0;
        int channel = 0, number = 0;
        int pos = 0;
        while (true)
        {
            if (pos + 2 > bytes.Length)
                throw new WfdbFormatException(path, $"the file ends at byte {bytes.Length} without the end-of-file word (0x0000)",
                    "The annotation file is truncated; download it again");
            int word = bytes[pos] | bytes[pos + 1] << 8;
            pos += 2;
            int code = word >> 10, interval = word & 0x3FF;
            switch (code)
            {
                case 0 when interval == 0:
                    return result;
                case Skip:
                    if (pos + 4 > bytes.Length)
                        throw new WfdbFormatException(path, $"a SKIP word at byte {pos - 2} lacks its 4-byte interval",
                            "The annotation file is truncated; download it again");
                    pendingSkip += (int)((uint)(bytes[pos] | bytes[pos + 1] << 8) << 16 | (uint)(bytes[pos + 2] | bytes[pos + 3] << 8));
                    pos += 4;
                    break;
                case Num:
                    number = interval;
                    Modify(a => a with { Number = interval }, "NUM");
                    break;
                case Sub:
                    Modify(a => a with { SubType = interval }, "SUB");
                    break;
                case Chn:
                    channel = interval;
                    Modify(a => a with { Channel = interval }, "CHN");
                    break;
                case Aux:
                    if (pos + interval > bytes.Length)
                        throw new WfdbFormatException(path, $"an AUX field at byte {pos - 2} declares {interval} bytes past the end of the file",
                            "The annotation file is truncated; download it again");
                    string text = Encoding.Latin1.GetString(bytes.Slice(pos, interval)).TrimEnd('\0');
                    pos += interval + (interval & 1);
                    Modify(a => a with { Aux = text }, "AUX");
                    break;
                case > MitAnnotationCodes.MaxCode:
                    throw new WfdbFormatException(path, $"annotation code {code} at byte {pos - 2} is not defined",
                        "The file is not a MIT-format annotation file or it is corrupt");
                default:
                    if (!MitAnnotationCodes.IsDefined(code))
                        throw new WfdbFormatException(path, $"annotation code {code} at byte {pos - 2} is not defined by WFDB",
                            "The file is not a MIT-format annotation file or it is corrupt");
                    sample += pendingSkip + interval;
                    pendingSkip = 0;
                    if (sample < 0)
                        throw new WfdbFormatException(path, $"annotation at byte {pos - 2} falls before the record start (sample {sample})",
                            "The file is corrupt; download it again");
                    if (sample >= signalLength)
                        throw new WfdbFormatException(path,
                            $"annotation '{MitAnnotationCodes.Symbol(code)}' at sample {sample} is past the signal end ({signalLength} samples)",
                            "The annotation file belongs to another record or the signal file is truncated");
                    result.Add(new MitAnnotation(sample, code, MitAnnotationCodes.Symbol(code), 0, channel, number, ""));
                    break;
            }
        }

        void Modify(Func<MitAnnotation, MitAnnotation> change, string field)
        {
            if (result.Count == 0)
                throw new WfdbFormatException(path, $"a {field} field precedes the first annotation",
                    "The file is not a MIT-format annotation file or it is corrupt");
            result[^1] = change(result[^1]);
        }
    }
}
