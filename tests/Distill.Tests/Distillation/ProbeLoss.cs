using Distill.Distillation;
using Distill.Losses;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Distill.Tests.Distillation;

/// <summary>Test-only loss that owns parameters: a FitNet-like regressor from the student's feature to the teacher's.</summary>
internal sealed class ProbeLoss : DistillationLoss
{
    private readonly Linear regressor;
    private readonly nn.Module? shared;

    /// <param name="studentWidth">Width of the student's feature.</param>
    /// <param name="teacherWidth">Width of the teacher's feature.</param>
    /// <param name="shared">A module owned elsewhere (student or teacher) registered here too, to test deduplication.</param>
    /// <param name="name">The term's name.</param>
    public ProbeLoss(long studentWidth, long teacherWidth, nn.Module? shared = null, string name = "probe") : base(nameof(ProbeLoss))
    {
        Name = name;
        regressor = nn.Linear(studentWidth, teacherWidth);
        this.shared = shared;
        RegisterComponents();
        regressor.to(Distill.Runtime.DistillDevice.Current);
    }

    public Linear Regressor => regressor;

    public override string Name { get; }

    public override Tensor Compute(DistillationContext context)
        => nn.functional.mse_loss(regressor.forward(context.Student.Features[0]), context.Teacher.Features[0].detach());
}

/// <summary>Test-only wrapper giving any loss another name, so that name clashes can be provoked.</summary>
internal sealed class RenamedLoss(DistillationLoss inner, string termName) : DistillationLoss(nameof(RenamedLoss))
{
    public override string Name => termName;

    public override Tensor Compute(DistillationContext context) => inner.Compute(context);
}
