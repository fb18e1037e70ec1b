using Distill.Losses;
namespace Distill.Distillation;

/// <summary>One distillation loss and the weight it gets in the total: <c>total = task + Σ weight · loss</c>.</summary>
/// <param name="Loss">The loss; its <see cref="DistillationLoss.Name"/> names the term in every step's log.</param>
/// <param name="Weight">Its weight (finite, non-negative; RepDistiller's β for feature losses, 1 − α / α for KD mixes).</param>
public sealed record DistillationTerm(DistillationLoss Loss, double Weight);
