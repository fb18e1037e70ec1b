using Distill.Distillation;
using Distill.Distillation.BeatGan;
using Distill.Models;
using Distill.Runtime;
using static TorchSharp.torch;

namespace Distill.Tests.Distillation;

/// <summary>The registry of tabular methods and the one spec grammar (<see cref="SpecGrammar"/>) that tabular specs and
/// BeatGAN recipes share.</summary>
public class MethodSpecTests
{
    [Fact]
    public void EveryMethodButNoneHasOneEntryWhoseNameIsTheNameItsLossReports()
    {
        Assert.Equal(Enum.GetValues<DistillationMethod>().Where(m => m != DistillationMethod.None), MlpDistillation.Methods.Select(m => m.Method));
        Assert.All(MlpDistillation.Methods, m => Assert.Matches("^[a-z][a-z0-9-]*$", m.Name));
        // Every name, alias and enum name reads back its own method, and no spelling names two methods.
        var spellings = MlpDistillation.Methods.SelectMany(m => m.Aliases.Append(m.Name).Append(m.Method.ToString())
                                                         .Select(n => (Name: n.ToLowerInvariant(), m.Method))).Distinct().ToArray();
        Assert.Equal(spellings.Length, spellings.Select(s => s.Name).Distinct().Count());
        Assert.All(spellings, s => Assert.Equal(s.Method, Assert.Single(MethodSpec.Parse(s.Name.ToUpperInvariant()).Terms).Method));
        Assert.Throws<ArgumentException>(() => MlpDistillation.Method(DistillationMethod.None));

        // Three classes: every loss's own (multiclass) name; equal last widths so that FSP is defined.
        Reproducibility.Seed(0);
        var pair = new MlpPair(new Mlp([6, 16, 16], 3, "student"), new Mlp([12, 24, 16, 16], 3, "teacher"), 3, randn(40, 12),
                               randint(0, 3, [40], dtype: ScalarType.Int64));
        foreach (var method in MlpDistillation.Methods.Where(m => m.Method != DistillationMethod.NeuronSelectivity))
            Assert.Equal(method.Name, method.Build(pair).Name);
        Assert.Throws<NotSupportedException>(() => MlpDistillation.Method(DistillationMethod.NeuronSelectivity).Build(pair));
    }

    [Fact]
    public void DefaultWeightsAreRepDistillersAndTheOldEntryPointsReadTheRegistry()
    {
        Assert.Equal(1, MlpDistillation.DefaultWeight(DistillationMethod.Kd));
        Assert.Equal(100, MlpDistillation.DefaultWeight(DistillationMethod.FitNet));
        Assert.Equal(1000, MlpDistillation.DefaultWeight(DistillationMethod.AttentionTransfer));
        Assert.Equal(0.8, MlpDistillation.DefaultWeight(DistillationMethod.Crd));
        Assert.Equal(0, MlpDistillation.DefaultWeight(DistillationMethod.None));
        Assert.All(MlpDistillation.Methods, m => Assert.Equal(m.DefaultWeight, MlpDistillation.DefaultWeight(m.Method)));
        Assert.Equal("Tian, Krishnan & Isola, ICLR 2020", MlpDistillation.Method(DistillationMethod.Crd).Paper.ToString());
    }

    [Theory]
    [InlineData("kd", "kd", "kd=1")]
    [InlineData("KD", "kd", "kd=1")]
    [InlineData(" kd + fitnet=100 ", "kd+fitnet", "kd=1+fitnet=100")]
    [InlineData("kd+fitnet=50", "kd+fitnet=50", "kd=1+fitnet=50")]
    [InlineData("crd+kd", "crd+kd", "crd=0.8+kd=1")]
    [InlineData("attentiontransfer+Hint=2.5", "at+fitnet=2.5", "at=1000+fitnet=2.5")]
    [InlineData("none", "none", "none")]
    [InlineData("None", "none", "none")]
    [InlineData("kd=1e-7", "kd=1E-07", "kd=1E-07")]
    [InlineData("kd=1e20", "kd=1E20", "kd=1E20")]
    [InlineData("kd=0.12345678", "kd=0.123457", "kd=0.12345678")]
    [InlineData("kd=0", "kd=0", "kd=0")]
    public void SpecsParseToTheirNameAndPrintBackExactly(string text, string name, string formatted)
    {
        var spec = MethodSpec.Parse(text);
        Assert.Equal(name, spec.Name);
        Assert.Equal(formatted, spec.ToString());
        Assert.Equal(spec.Terms, MethodSpec.Parse(spec.ToString()).Terms);
        Assert.Equal(spec.Terms.Select(t => t.Method), MethodSpec.Parse(spec.Name).Terms.Select(t => t.Method));
        Assert.Matches("^[a-z0-9+=.E-]+$", spec.Name); // a file name on every system
    }

    [Fact]
    public void OneMethodSpecsAreTheMethodsTermsAndNoneHasNone()
    {
        Assert.Equal([(DistillationMethod.FitNet, 100.0)], MethodSpec.Of(DistillationMethod.FitNet).Terms);
        Assert.Equal([(DistillationMethod.FitNet, 2.0)], MethodSpec.Of(DistillationMethod.FitNet, 2).Terms);
        Assert.Empty(MethodSpec.Of(DistillationMethod.None, 2).Terms);
        Assert.Empty(MethodSpec.None.Terms);
        Assert.Equal([(DistillationMethod.Kd, 2.0)], MethodSpec.Parse("kd", weight: 2).Terms);
        Assert.Empty(MethodSpec.Parse("none", weight: 2).Terms);
        Assert.Equal([(DistillationMethod.Crd, 0.8), (DistillationMethod.Kd, 1.0)], MethodSpec.Parse("crd+kd").Terms);
    }

    // Every message of the grammar, for both families of terms: the same words, each family's kind and choices.
    [Theory]
    [InlineData("kdd", "Unknown distillation method 'kdd' in 'kdd'; choose from none, kd, soft-ce, dkd, fitnet, at, ofd, sp, rkd, pkt, nst, cc, vid, ft, ab, fsp, crd.")]
    [InlineData("kd+", "'kd+' has an empty distillation method name; join names with a single '+', e.g. 'kd+soft-ce'.")]
    [InlineData("", "'' has an empty distillation method name; join names with a single '+', e.g. 'kd+soft-ce'.")]
    [InlineData("kd=-1", "The weight of 'kd' in 'kd=-1' must be a non-negative number, got '-1'.")]
    [InlineData("kd=abc", "The weight of 'kd' in 'kd=abc' must be a non-negative number, got 'abc'.")]
    [InlineData("kd=NaN", "The weight of 'kd' in 'kd=NaN' must be a non-negative number, got 'NaN'.")]
    [InlineData("kd=1e400", "The weight of 'kd' in 'kd=1e400' must be a non-negative number, got '1e400'.")]
    [InlineData("kd+KD=2", "'kd+KD=2' names kd twice; give each term once with its total weight.")]
    [InlineData("none+kd", "'none+kd' combines none with other terms; none means no distillation method at all: give it alone.")]
    [InlineData("kd+NCE=2", "The distillation method 'NCE' in 'kd+NCE=2' was renamed to 'soft-ce'; write 'soft-ce'.")]
    public void BadTabularSpecsNameTheProblem(string spec, string message)
        => Assert.Equal(message, Assert.Throws<FormatException>(() => MethodSpec.Parse(spec)).Message);

    [Theory]
    [InlineData("kd", "Unknown BeatGAN distillation term 'kd' in 'kd'; choose from rec-kd, score-kd, latent, at, d-at, crd, const-kd.")]
    [InlineData("none", "Unknown BeatGAN distillation term 'none' in 'none'; choose from rec-kd, score-kd, latent, at, d-at, crd, const-kd.")]
    [InlineData("rec-kd+", "'rec-kd+' has an empty BeatGAN distillation term name; join names with a single '+', e.g. 'rec-kd+score-kd'.")]
    [InlineData("rec-kd=-1", "The weight of 'rec-kd' in 'rec-kd=-1' must be a non-negative number, got '-1'.")]
    [InlineData("rec-kd+REC-KD", "'rec-kd+REC-KD' names rec-kd twice; give each term once with its total weight.")]
    public void BadBeatGanRecipesNameTheProblemInTheSameWords(string recipe, string message)
        => Assert.Equal(message, Assert.Throws<FormatException>(() => BeatGanKdStudent.Parse(recipe)).Message);

    [Theory]
    [InlineData("kd+fitnet", "'kd+fitnet' gives each method its weight in the spec; a separate weight applies to one method without '=weight' only: " +
                             "write the weights into the spec, e.g. 'kd=1+fitnet=100'.")]
    [InlineData("kd=3", "'kd=3' gives its own weight in the spec; a separate weight applies to one method without '=weight' only: " +
                        "write the weights into the spec, e.g. 'kd=3'.")]
    public void ASeparateWeightIsRefusedWhereTheSpecGivesWeights(string spec, string message)
        => Assert.Equal(message, Assert.Throws<FormatException>(() => MethodSpec.Parse(spec, weight: 2)).Message);

    [Fact]
    public void TermsBuiltInCodeAreCheckedLikeSpecs()
    {
        Assert.Contains("appears twice", Assert.Throws<ArgumentException>(() => new MethodSpec([(DistillationMethod.Kd, 1), (DistillationMethod.Kd, 2)])).Message);
        Assert.Contains("The weight of fitnet must be a finite, non-negative number, got -5.",
                        Assert.Throws<ArgumentOutOfRangeException>(() => new MethodSpec([(DistillationMethod.FitNet, -5)])).Message);
        Assert.Contains("None is no distillation method", Assert.Throws<ArgumentException>(() => new MethodSpec([(DistillationMethod.None, 1)])).Message);
        Assert.Contains("The weight of crd must be a finite, non-negative number, got NaN.",
                        Assert.Throws<ArgumentOutOfRangeException>(() => BeatGanKdStudent.Of((BeatGanKdTerm.LatentContrastive, double.NaN))).Message);
    }

    [Fact]
    public void ASpecBuildsItsTermsInOrderWithItsWeights()
    {
        Reproducibility.Seed(0);
        var pair = new MlpPair(new Mlp([6, 8], 1, "student"), new Mlp([12, 16], 1, "teacher"), 2, randn(40, 12), randint(0, 2, [40], dtype: ScalarType.Int64));
        var terms = MethodSpec.Parse("crd+kd=2").Build(pair);
        Assert.Equal(["crd", "bkd"], terms.Select(t => t.Loss.Name));
        Assert.Equal([0.8, 2.0], terms.Select(t => t.Weight));
        Assert.Empty(MethodSpec.None.Build(pair));
    }
}
