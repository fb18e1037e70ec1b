using System.Text.RegularExpressions;

namespace Distill.Tests.Notebooks;

/// <summary>One cell of a <c>.dib</c> notebook: its kernel (<c>csharp</c>, <c>markdown</c>) and its lines.</summary>
/// <param name="Index">1-based position among the notebook's cells (the <c>#!meta</c> block excluded).</param>
/// <param name="Kernel">The name after <c>#!</c>.</param>
/// <param name="Lines">The cell's lines.</param>
/// <param name="FirstLine">1-based line in the file of the cell's first line.</param>
public sealed record DibCell(int Index, string Kernel, IReadOnlyList<string> Lines, int FirstLine)
{
    /// <summary>Whether the cell holds C#.</summary>
    public bool IsCode => Kernel == "csharp";
}

/// <summary>A <c>.dib</c> notebook as text: cells split at the <c>#!kernel</c> lines, so tests can read what a reader reads.</summary>
public static partial class DibNotebook
{
    /// <summary>The cells of a notebook's text, in order.</summary>
    public static IReadOnlyList<DibCell> Parse(string text)
    {
        var cells = new List<DibCell>();
        string? kernel = null;
        var lines = new List<string>();
        int first = 0;
        string[] all = text.Replace("\r\n", "\n").Split('\n');
        void Close()
        {
            if (kernel is null || kernel == "meta") return;
            int start = 0, end = lines.Count;
            while (start < end && lines[start].Trim().Length == 0) start++;
            while (end > start && lines[end - 1].Trim().Length == 0) end--;
            cells.Add(new DibCell(cells.Count + 1, kernel, lines.GetRange(start, end - start), first + start));
        }
        for (int i = 0; i < all.Length; i++)
        {
            var marker = KernelLine().Match(all[i]);
            if (!marker.Success) { lines.Add(all[i]); continue; }
            Close();
            (kernel, lines, first) = (marker.Groups[1].Value, [], i + 2);
        }
        Close();
        return cells;
    }

    /// <summary>The cells of a notebook file.</summary>
    public static IReadOnlyList<DibCell> Read(string path) => Parse(File.ReadAllText(path));

    /// <summary>Names declared at the top level of C# cells (variables, deconstructed variables, local functions), each
    /// with the cell and line declaring it. A top-level statement starts in column 0; a line indented or continuing
    /// an expression is inside something else.</summary>
    public static IReadOnlyList<(string Name, DibCell Cell, int Line)> TopLevelDeclarations(IEnumerable<DibCell> cells)
    {
        var found = new List<(string, DibCell, int)>();
        foreach (var cell in cells.Where(c => c.IsCode))
            for (int i = 0; i < cell.Lines.Count; i++)
                foreach (string name in DeclaredNames(cell.Lines[i]))
                    found.Add((name, cell, cell.FirstLine + i));
        return found;
    }

    /// <summary>The names one column-0 line of C# declares; none for other statements.</summary>
    public static IEnumerable<string> DeclaredNames(string line)
    {
        if (line.Length == 0 || char.IsWhiteSpace(line[0]) || line.StartsWith("//", StringComparison.Ordinal)) yield break;
        var deconstruction = Deconstruction().Match(line);
        if (deconstruction.Success)
        {
            foreach (string part in deconstruction.Groups[1].Value.Split(','))
                if (part.Trim() is { Length: > 0 } name && Identifier().IsMatch(name)) yield return name;
            yield break;
        }
        var declaration = Declaration().Match(line);
        if (!declaration.Success || Keywords.Contains(declaration.Groups["type"].Value)) yield break;
        yield return declaration.Groups["name"].Value;
        if (declaration.Groups["after"].Value == "(") yield break; // a local function: its parameters are not top level
        // Further declarators of the same statement: ", name =" outside brackets.
        int depth = 0;
        for (int i = declaration.Length; i < line.Length; i++)
        {
            char c = line[i];
            // Brackets only: '<' and '>' are also operators ("=>", "a < b"), and a generic's commas never precede "name =".
            if (c is '(' or '[' or '{') depth++;
            else if (c is ')' or ']' or '}') depth--;
            else if (c == '"') i = SkipString(line, i);
            else if (c == ',' && depth == 0 && NextDeclarator().Match(line, i + 1) is { Success: true } next && next.Index == i + 1)
                yield return next.Groups[1].Value;
        }
    }

    private static readonly HashSet<string> Keywords =
        ["return", "using", "await", "new", "throw", "else", "case", "goto", "yield", "if", "while", "for", "foreach", "switch", "lock",
         "checked", "unchecked", "fixed", "unsafe", "do", "try", "catch", "finally", "is", "as", "in", "out", "ref", "const"];

    private static int SkipString(string line, int start)
    {
        for (int i = start + 1; i < line.Length; i++)
            if (line[i] == '\\') i++;
            else if (line[i] == '"') return i;
        return line.Length;
    }

    [GeneratedRegex(@"^#!([A-Za-z][\w-]*)\s*$")]
    private static partial Regex KernelLine();

    [GeneratedRegex(@"^var\s*\(([^)]*)\)\s*=")]
    private static partial Regex Deconstruction();

    // "Type name =", "Type name;", "Type name," or a local function "Type Name(": a type (dotted, generic, array,
    // nullable) then a name. An assignment "name = ..." or a call "name(...)" has no type in front.
    [GeneratedRegex(@"^(?<type>(?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*(?:<[^;=()]*?>)?\??(?:\[\])*\??)\s+(?<name>[A-Za-z_]\w*)\s*(?<after>=(?!=)|;|\(|,)")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"\s*([A-Za-z_]\w*)\s*=(?!=)")]
    private static partial Regex NextDeclarator();

    [GeneratedRegex(@"^[A-Za-z_]\w*$")]
    private static partial Regex Identifier();
}
