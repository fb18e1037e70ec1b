using System.Reflection;
using TorchSharp;

namespace Distill.Cli;

/// <summary>Where and with what code a run happened, recorded next to its results.</summary>
public static class RunEnvironment
{
    /// <summary>The git commit the CLI was built from (the part after '+' of its informational version), or "unknown".</summary>
    public static string Commit { get; } =
        typeof(RunEnvironment).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion is { } version
        && version.IndexOf('+') is int plus and >= 0 ? version[(plus + 1)..] : "unknown";

    /// <summary>"AMD EPYC, 2 cores, 1 torch thread, Linux 6.1".</summary>
    public static string Machine =>
        $"{CpuModel()}, {Environment.ProcessorCount} cores, {torch.get_num_threads()} torch thread(s), {Environment.OSVersion.VersionString}";

    private static string CpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (!File.Exists(cpuInfo)) return "unknown CPU";
        var line = File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line is null ? "unknown CPU" : line[(line.IndexOf(':') + 1)..].Trim();
    }
}
