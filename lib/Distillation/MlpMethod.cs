using Distill.Losses;
namespace Distill.Distillation;

/// <summary>The paper a distillation method comes from.</summary>
/// <param name="Authors">Authors as cited ("Hinton, Vinyals &amp; Dean", "Romero et al.").</param>
/// <param name="Title">The paper's title.</param>
/// <param name="Venue">Conference, journal or preprint server ("ICLR", "arXiv").</param>
/// <param name="Year">Year of publication.</param>
public sealed record Citation(string Authors, string Title, string Venue, int Year)
{
    /// <summary>"Authors, Venue Year", e.g. "Tian, Krishnan &amp; Isola, ICLR 2020".</summary>
    public override string ToString() => $"{Authors}, {Venue} {Year}";
}

/// <summary>One entry of the registry of tabular distillation methods (<see cref="MlpDistillation.Methods"/>).</summary>
/// <param name="Method">The method's typed key.</param>
/// <param name="Name">Its name in specs (<see cref="MethodSpec"/>), lowercase, the name its loss reports (<c>kd</c>, <c>fitnet</c>, <c>crd</c>).</param>
/// <param name="Aliases">Other names a spec may use for it: the <see cref="DistillationMethod"/> name and RepDistiller's
/// <c>--distill</c> name where they differ (<c>hint</c>, <c>attention</c>, ...).</param>
/// <param name="Paper">The paper that introduced it.</param>
/// <param name="DefaultWeight">The weight of its term unless a spec says otherwise (RepDistiller's training scripts' <c>-b</c>).</param>
/// <param name="Build">Builds its loss for a student/teacher pair; throws <see cref="NotSupportedException"/> where the method
/// is not defined for the pair, saying why.</param>
public sealed record MlpMethod(DistillationMethod Method, string Name, IReadOnlyList<string> Aliases, Citation Paper, double DefaultWeight,
                               Func<MlpPair, DistillationLoss> Build);
