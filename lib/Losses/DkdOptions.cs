namespace Distill.Losses;

/// <summary>Weights and temperature of Decoupled Knowledge Distillation, with the paper's defaults.</summary>
/// <remarks>Zhao, Cui, Song, Qiu, Liang, "Decoupled Knowledge Distillation", CVPR 2022, Eq. 7 and Section 4 (CIFAR-100: α = 1, β = 8, T = 4).</remarks>
/// <param name="Alpha">Weight α of the target-class term TCKD.</param>
/// <param name="Beta">Weight β of the non-target-class term NCKD.</param>
/// <param name="Temperature">Softmax temperature <c>T</c>.</param>
public sealed record DkdOptions(double Alpha = 1.0, double Beta = 8.0, double Temperature = 4.0);
