using Distill.Data.Tabular;
using Distill.Distillation;
using Distill.Experiments.Tabular;
using Distill.Training;

namespace Distill.Tests.Experiments;

/// <summary>Notebook 03's one-method students, each trained once.</summary>
public sealed class TrainedStudentsTests
{
    [Fact]
    public void AStudentAskedForAgainIsTrainedOnceAndIsTheOneTrainStudentGives()
    {
        var data = TeacherStudentData.BreastCancer(seed: 0);
        var options = new TrainingOptions(Epochs: 1);
        var (teacher, _) = TabularDistillation.TrainTeacher(data, [8], options, seed: 0);
        var students = new TrainedStudents(data, teacher, options);
        var kd = students.Get(DistillationMethod.Kd, [4], seed: 1);
        // The default weight written out is the same student.
        Assert.Same(kd, students.Get(DistillationMethod.Kd, [4], seed: 1, weight: MlpDistillation.DefaultWeight(DistillationMethod.Kd)));
        Assert.Equal(1, students.Trained);
        // Another seed, weight or width is another student.
        Assert.NotSame(kd, students.Get(DistillationMethod.Kd, [4], seed: 2));
        Assert.NotSame(kd, students.Get(DistillationMethod.Kd, [4], seed: 1, weight: 5));
        Assert.NotSame(kd, students.Get(DistillationMethod.Kd, [6], seed: 1));
        Assert.Equal(4, students.Trained);
        var direct = TabularDistillation.TrainStudent(data, teacher, DistillationMethod.Kd, [4], options, seed: 1);
        Assert.Equal(direct.Test.Metrics["auc"], kd.Test.Metrics["auc"]);
        Assert.Same(teacher, students.Teacher);
    }
}
