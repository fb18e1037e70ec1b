using static TorchSharp.torch;

namespace Distill.Data.Tabular;

/// <summary>A table split three ways, each split offering the teacher's and the student's view of the same rows.</summary>
/// <param name="Table">The source table.</param>
/// <param name="TeacherView">Columns the teacher reads.</param>
/// <param name="StudentView">Columns the student reads.</param>
/// <param name="Train">Training rows.</param>
/// <param name="Validation">Validation rows (model selection and learning-rate schedule).</param>
/// <param name="Test">Held-out test rows.</param>
public sealed record TeacherStudentData(TabularTable Table, FeatureView TeacherView, FeatureView StudentView,
                                        TabularSplit Train, TabularSplit Validation, TabularSplit Test)
{
    /// <summary>Number of classes of the task.</summary>
    public int ClassCount => Table.ClassNames.Count;

    /// <summary>Splits the table (stratified, seeded), fits standardisation on the training rows only and builds tensors.</summary>
    /// <param name="table">The source table.</param>
    /// <param name="teacherView">Columns the teacher reads.</param>
    /// <param name="studentView">Columns the student reads.</param>
    /// <param name="fractions">Train, validation and test shares.</param>
    /// <param name="seed">Seed of the stratified split.</param>
    /// <param name="device">Where the tensors live; null keeps TorchSharp's default, the CPU. The application chooses
    /// (<see cref="Distill.Runtime.DistillDevice"/>).</param>
    public static TeacherStudentData Create(TabularTable table, FeatureView teacherView, FeatureView studentView,
                                            SplitFractions fractions, int seed, Device? device = null)
    {
        teacherView.Validate(table);
        studentView.Validate(table);
        var split = StratifiedSplit.Create(table.Labels, fractions, seed);
        var standardizer = Standardizer.Fit(table.Features, split.Train);
        TabularSplit Build(int[] rows) => new(
            tensor(standardizer.Transform(table.Features, rows, teacherView.Columns), [rows.Length, teacherView.Columns.Count], device: device),
            tensor(standardizer.Transform(table.Features, rows, studentView.Columns), [rows.Length, studentView.Columns.Count], device: device),
            tensor(rows.Select(r => (long)table.Labels[r]).ToArray(), device: device),
            arange(rows.Length, dtype: ScalarType.Int64, device: device));
        return new TeacherStudentData(table, teacherView, studentView, Build(split.Train), Build(split.Validation), Build(split.Test));
    }

    /// <summary>The seed's privileged-feature setting on breast cancer: the teacher reads all 30 features, the student the 10 means.</summary>
    /// <param name="seed">Seed of the stratified split.</param>
    /// <param name="fractions">Train, validation and test shares; null: the defaults.</param>
    /// <param name="device">Where the tensors live; null keeps TorchSharp's default, the CPU.</param>
    public static TeacherStudentData BreastCancer(int seed, SplitFractions? fractions = null, Device? device = null)
    {
        var table = UciTables.BreastCancer();
        return Create(table, FeatureView.All(table), new FeatureView("10 means", UciTables.BreastCancerMeanColumns),
                      fractions ?? new SplitFractions(), seed, device);
    }
}
