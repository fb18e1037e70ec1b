using System.Diagnostics;
using System.Globalization;

namespace Distill.Bench;

/// <summary>Runs a PyTorch counterpart from tools/reference in the same benchmark invocation and reads its <c>RESULT</c> lines,
/// so a C#/PyTorch ratio comes from one run on one machine state.</summary>
public static class PyTorchReference
{
    /// <summary>The interpreter with PyTorch 1.13 (environment.md); DISTILL_PYTHON overrides it.</summary>
    public static string Python => Environment.GetEnvironmentVariable("DISTILL_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";

    /// <summary>Runs <c>tools/reference/<paramref name="script"/></c> with <paramref name="arguments"/>, echoes its output and returns its
    /// RESULT figures by name; null (with the reason printed) when the script or PyTorch is missing or it fails.</summary>
    public static Dictionary<string, double>? Run(string script, string arguments)
    {
        string path = Path.Combine(RepositoryRoot(), "tools", "reference", script);
        if (!File.Exists(path))
        {
            Console.WriteLine($"PyTorch reference {path} not found; no paired figure.");
            return null;
        }
        var start = new ProcessStartInfo(Python, $"\"{path}\" {arguments}") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["OMP_NUM_THREADS"] = Environment.GetEnvironmentVariable("OMP_NUM_THREADS") ?? "";
        try
        {
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries)) Console.WriteLine($"  [pytorch] {line}");
            if (process.ExitCode != 0)
            {
                Console.WriteLine($"PyTorch reference exited {process.ExitCode}: {error.Trim()}");
                return null;
            }
            var figures = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var line in output.Split('\n'))
            {
                var parts = line.Trim().Split(' ');
                if (parts.Length == 4 && parts[0] == "RESULT" && double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                    figures[parts[1]] = value;
            }
            return figures;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Console.WriteLine($"Cannot start {Python} ({e.Message}); no paired figure. Set DISTILL_PYTHON to an interpreter with PyTorch.");
            return null;
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Distill.slnx"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
