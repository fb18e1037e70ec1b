using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Distill.Losses.Feature;

/// <summary>What follows the linear map in the FitNet regressor.</summary>
public enum HintRegressor
{
    /// <summary>The linear map alone: <c>r(v) = W v + b</c>.</summary>
    Linear,

    /// <summary>Linear map, batch normalisation and ReLU (RepDistiller's <c>ConvReg</c>): suits post-ReLU teacher hints.</summary>
    LinearBatchNormRelu,
}

/// <summary>Options of <see cref="FitNetLoss"/>.</summary>
/// <param name="Regressor">The regressor's form; RepDistiller's default is <see cref="HintRegressor.LinearBatchNormRelu"/>.</param>
public sealed record FitNetOptions(HintRegressor Regressor = HintRegressor.LinearBatchNormRelu);

/// <summary>FitNet hint loss: a learned regressor maps the student's guided layer to the teacher's hint layer, matched by mean squared error.</summary>
/// <remarks>
/// Romero, Ballas, Kahou, Chassang, Gatta and Bengio, "FitNets: Hints for Thin Deep Nets", ICLR 2015, Eq. 3:
/// <c>L_HT = 1/2 ||u_h(x) - r(v_g(x); W_r)||^2</c>. The regressor maps the student width to the teacher width: a
/// <c>Linear</c> for <c>[B, C]</c> features; for <c>[B, C, L]</c> the same weight is applied at every position,
/// which is exactly a <c>Conv1d</c> with kernel 1 (the paper's convolutional regressor with a 1 x 1 kernel).
/// The paper asks the regressor to end in the hint layer's non-linearity; following RepDistiller (<c>ConvReg</c> +
/// <c>HintLoss</c>) the default regressor is linear + BatchNorm + ReLU and the loss is the mean (not the halved sum)
/// of the squared error over all elements. RepDistiller trains FitNet with weight 100 next to the task loss.
/// The regressor is trained with the student: hand this module's parameters to the optimizer.
/// </remarks>
public sealed class FitNetLoss : DistillationLoss, ITeacherPassReader
{
    private const string Display = "FitNetLoss (fitnet)";
    private readonly LayerPair _pair;
    private readonly HintRegressor _form;
    private readonly Linear regressor;
    private readonly BatchNorm1d? norm;

    /// <summary>Builds the hint loss and its regressor from the student's guided width to the teacher's hint width.</summary>
    /// <param name="pair">Student guided layer and teacher hint layer (indices into <c>FeatureOutput.Features</c>).</param>
    /// <param name="studentChannels">Channels (units) of the student's guided layer.</param>
    /// <param name="teacherChannels">Channels (units) of the teacher's hint layer.</param>
    /// <param name="options">Regressor form; defaults as RepDistiller.</param>
    /// <param name="device">Where its parameters live; null keeps TorchSharp's default, the CPU. Builders pass the student's device.</param>
    public FitNetLoss(LayerPair pair, int studentChannels, int teacherChannels, FitNetOptions? options = null, Device? device = null) : base(nameof(FitNetLoss))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(studentChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(teacherChannels, 1);
        _pair = pair;
        _form = (options ?? new FitNetOptions()).Regressor;
        regressor = nn.Linear(studentChannels, teacherChannels, hasBias: true, device: device);
        norm = _form switch
        {
            HintRegressor.Linear => null,
            HintRegressor.LinearBatchNormRelu => nn.BatchNorm1d(teacherChannels, device: device),
            _ => throw new ArgumentOutOfRangeException(nameof(options), _form, "Unknown HintRegressor."),
        };
        RegisterComponents();
    }

    /// <inheritdoc />
    public override string Name => "fitnet";

    /// <inheritdoc />
    public TeacherPassParts TeacherParts => TeacherPassParts.FeaturesOf([_pair]);

    /// <summary>The mean squared error between the regressed student feature and the teacher's hint.</summary>
    public override Tensor Compute(DistillationContext context)
    {
        using var scope = NewDisposeScope();
        Tensor guided = _pair.SelectStudent(context.Student.Features);
        Tensor hint = _pair.SelectTeacher(context.Teacher.Features).detach();
        FeatureLossGuard.CheckPointwise(Display, _pair, guided, hint, regressor.in_features, regressor.out_features, "regressor");

        Tensor regressed = Regress(guided);                    // [B, Ct] or [B, Ct, L]
        return nn.functional.mse_loss(regressed, hint).MoveToOuterDisposeScope();
    }

    private Tensor Regress(Tensor guided)
    {
        Tensor mapped = PointwiseLinear.Apply(regressor, guided);              // [B, Ct] or [B, Ct, L]
        return _form switch
        {
            HintRegressor.Linear => mapped,
            HintRegressor.LinearBatchNormRelu => nn.functional.relu(norm!.forward(mapped)),
            _ => throw new InvalidOperationException($"Unknown HintRegressor {_form}."),
        };
    }
}
