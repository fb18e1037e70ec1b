namespace Distill.Data.Ecg;

/// <summary>The MIT annotation codes and their mnemonics (WFDB <c>ecgcodes.h</c>).</summary>
public static class MitAnnotationCodes
{
    /// <summary>Largest code that denotes an annotation type; 59..63 are the format's SKIP, NUM, SUB, CHN and AUX words.</summary>
    public const int MaxCode = 49;

    // Index = code. Codes WFDB leaves undefined have no mnemonic.
    private static readonly string[] Symbols =
    [
        " ", "N", "L", "R", "a", "V", "F", "J", "A", "S",
        "E", "j", "/", "Q", "~", "", "|", "", "s", "T",
        "*", "D", "\"", "=", "p", "B", "^", "t", "+", "u",
        "?", "!", "[", "]", "e", "n", "@", "x", "f", "(",
        ")", "r", "", "", "", "", "", "", "", "",
    ];

    /// <summary>The mnemonic of <paramref name="code"/>; throws for codes outside 0..49 or undefined by WFDB.</summary>
    public static string Symbol(int code) =>
        code is >= 0 and <= MaxCode && Symbols[code].Length > 0
            ? Symbols[code]
            : throw new ArgumentOutOfRangeException(nameof(code), code, $"MIT annotation code {code} is not defined by WFDB (ecgcodes.h).");

    /// <summary>The code of <paramref name="symbol"/> (e.g. <c>"V"</c> gives 5); throws for unknown mnemonics.</summary>
    public static int Code(string symbol)
    {
        int code = Array.IndexOf(Symbols, symbol);
        return symbol.Length > 0 && code >= 0
            ? code
            : throw new ArgumentException($"'{symbol}' is not a MIT annotation mnemonic.", nameof(symbol));
    }

    /// <summary>Whether <paramref name="code"/> is defined by WFDB.</summary>
    public static bool IsDefined(int code) => code is >= 0 and <= MaxCode && Symbols[code].Length > 0;
}
