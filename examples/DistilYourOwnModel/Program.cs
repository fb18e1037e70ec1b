using Distill.Data.Tabular;
using Distill.Distillation;
using Distill.Losses;
using Distill.Losses.Feature;
using Distill.Models;
using Distill.Runtime;
using Distill.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

// Breast-cancer table: the teacher reads all 30 columns, the student only the 10 means.
var data = TeacherStudentData.BreastCancer(seed: 0, device: DistillDevice.Current);
var task = ClassificationTask.For(data.ClassCount);            // two classes: one logit
var options = new TrainingOptions(Epochs: 20, BatchSize: 32, LearningRate: 1e-2);
Reproducibility.Seed(0);

// 1. Train your own teacher (any training loop will do; here Distill's).
var teacherNet = new TeacherNet(data.TeacherView.Columns.Count);
var teacherObjective = new ClassifierObjective(teacherNet, task, InputView.Teacher);
new SupervisedTrainer(options).Fit(teacherObjective, data.Train, data.Validation, seed: 0);
Console.WriteLine($"teacher: test AUC {teacherObjective.Evaluate(data.Test).Metrics["auc"]:F3}");

// 2. Name the submodules whose outputs are the features, as named_modules() spells them.
using var teacher = new HookedFeatureModel(teacherNet, ["body.1", "body.3"]);
using var student = new HookedFeatureModel(new StudentNet(data.StudentView.Columns.Count), ["act1", "act2"]);

// 3. The method: KD on the logits plus FitNet hints on the last features, widths probed from one forward pass.
var studentShapes = FeatureShapes.Of(student, data.Train.StudentInput);
var teacherShapes = FeatureShapes.Of(teacher, data.Train.TeacherInput);
var distiller = Distiller.Create(student, teacher, task.Loss,
    new DistillationTerm(new BinaryKnowledgeDistillationLoss(), 1.0),
    new DistillationTerm(new FitNetLoss(LayerPair.Last, studentShapes.Channels(-1), teacherShapes.Channels(-1)), 100));

// 4. Train the student (the teacher stays frozen in eval mode) and test it.
var objective = new DistillationObjective(student, distiller, task);
var run = new SupervisedTrainer(options).Fit(objective, data.Train, data.Validation, seed: 0);
var test = objective.Evaluate(data.Test);
Console.WriteLine($"student after {run.History.Count} epochs: test {test.PrimaryName} {test.Primary:F3}, AUC {test.Metrics["auc"]:F3}");

// Your teacher: a plain TorchSharp module, no Distill types.
sealed class TeacherNet : nn.Module<Tensor, Tensor>
{
    private readonly Sequential body;
    private readonly Linear head;

    public TeacherNet(int inputs) : base(nameof(TeacherNet))
    {
        body = nn.Sequential(nn.Linear(inputs, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU());
        head = nn.Linear(32, 1);
        RegisterComponents();
        this.to(DistillDevice.Current);
    }

    public override Tensor forward(Tensor x) => head.call(body.call(x));
}

// Your student: smaller, written differently. Run submodules with call(), not forward(): TorchSharp fires hooks from call().
sealed class StudentNet : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly ReLU act1;
    private readonly Linear fc2;
    private readonly ReLU act2;
    private readonly Linear head;

    public StudentNet(int inputs) : base(nameof(StudentNet))
    {
        fc1 = nn.Linear(inputs, 16);
        act1 = nn.ReLU();
        fc2 = nn.Linear(16, 8);
        act2 = nn.ReLU();
        head = nn.Linear(8, 1);
        RegisterComponents();
        this.to(DistillDevice.Current);
    }

    public override Tensor forward(Tensor x) => head.call(act2.call(fc2.call(act1.call(fc1.call(x)))));
}
