namespace Distill.Losses.Crd;

/// <summary>Which memory row is the positive of a batch row (RepDistiller's <c>mode</c>).</summary>
/// <remarks>Tian, Krishnan &amp; Isola, ICLR 2020, Sec. 4 and RepDistiller's <c>CIFAR100InstanceSample</c>.</remarks>
public enum PositiveSampling
{
    /// <summary>The positive is the row itself (the paper's instance-level contrast; reference "exact").</summary>
    Exact,

    /// <summary>The positive is a random row of the same class, possibly the row itself (reference "relax"); needs labels.</summary>
    Relax,
}
