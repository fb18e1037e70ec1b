using System.Reflection;
using Distill.Bench;

// Benchmarks print figures (speed, memory, metrics); they are not tests. Usage:
//   dotnet run -c Release --project bench/Distill.Bench -- [NAME ...] [-- benchmark args]
var benchmarks = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

if (args.Length == 0 || args[0] is "-h" or "--help" or "list")
{
    Console.WriteLine("Distill benchmarks. Run one with: dotnet run -c Release --project bench/Distill.Bench -- NAME [args]");
    foreach (var b in benchmarks) Console.WriteLine($"  {b.Name,-24} {b.Description}");
    return args.Length == 0 ? 1 : 0;
}

var chosen = benchmarks.FirstOrDefault(b => b.Name == args[0]);
if (chosen is null)
{
    Console.Error.WriteLine($"Unknown benchmark '{args[0]}'. Known: {string.Join(", ", benchmarks.Select(b => b.Name))}.");
    return 2;
}
Console.WriteLine($"== {chosen.Name}: {chosen.Description}");
chosen.Run(args[1..]);
return 0;
