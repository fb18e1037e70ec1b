using static TorchSharp.torch;

namespace Distill.Losses;

/// <summary>Which student feature is matched to which teacher feature (indices into <c>FeatureOutput.Features</c>).</summary>
/// <remarks>Negative indices count from the end, as in Python: <c>-1</c> is the last block.</remarks>
/// <param name="Student">Index of the student's feature.</param>
/// <param name="Teacher">Index of the teacher's feature.</param>
public readonly record struct LayerPair(int Student, int Teacher)
{
    /// <summary>The last block of both networks (the penultimate representation).</summary>
    public static LayerPair Last => new(-1, -1);

    /// <summary>Picks the student's feature of this pair; a clear error when the index is out of range.</summary>
    public Tensor SelectStudent(IReadOnlyList<Tensor> features) => Select(features, Student, "student");

    /// <summary>Picks the teacher's feature of this pair; a clear error when the index is out of range.</summary>
    public Tensor SelectTeacher(IReadOnlyList<Tensor> features) => Select(features, Teacher, "teacher");

    /// <summary>The shape of the student's feature of this pair among probed shapes (<see cref="Models.FeatureShapes.Features"/>).</summary>
    public long[] SelectStudent(IReadOnlyList<long[]> shapes) => Select(shapes, Student, "student");

    private static T Select<T>(IReadOnlyList<T> features, int index, string side)
    {
        int resolved = index < 0 ? features.Count + index : index;
        if (resolved < 0 || resolved >= features.Count)
            throw new ArgumentOutOfRangeException(nameof(index),
                $"Layer index {index} does not exist: the {side} has {features.Count} features (valid: 0..{features.Count - 1} or -1..-{features.Count}).");
        return features[resolved];
    }
}
