namespace Distill.Bench;

/// <summary>One runnable benchmark; Program finds every implementation by reflection.</summary>
public interface IBenchmark
{
    /// <summary>Name used on the command line (<c>dotnet run --project bench/Distill.Bench -- NAME</c>).</summary>
    string Name { get; }

    /// <summary>One line saying what is measured.</summary>
    string Description { get; }

    /// <summary>Runs the benchmark and prints its figures to the console.</summary>
    void Run(string[] args);
}
