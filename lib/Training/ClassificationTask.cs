using Distill.Metrics;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Distill.Training;

/// <summary>The supervised part of training: the task loss on logits and how predictions are scored.</summary>
public abstract class ClassificationTask
{
    /// <summary>The task for a label set of <paramref name="classCount"/> classes: one logit for two classes, one per class otherwise.</summary>
    public static ClassificationTask For(int classCount) => classCount switch
    {
        < 2 => throw new ArgumentOutOfRangeException(nameof(classCount), $"A classification task needs at least 2 classes, got {classCount}."),
        2 => new BinaryClassification(),
        _ => new MulticlassClassification(classCount),
    };

    /// <summary>Number of logits the model must output.</summary>
    public abstract int OutputCount { get; }

    /// <summary>Mean task loss of a batch (logits [B, OutputCount], int64 targets [B]).</summary>
    public abstract Tensor Loss(Tensor logits, Tensor targets);

    /// <summary>Scores a whole split from its logits and targets.</summary>
    public abstract ClassifierEvaluation Evaluate(Tensor logits, Tensor targets);

    /// <summary>Checks logits against the task before a loss is computed.</summary>
    protected void CheckLogits(Tensor logits, Tensor targets)
    {
        if (logits.dim() != 2 || logits.shape[1] != OutputCount || logits.shape[0] != targets.shape[0])
            throw new ArgumentException(
                $"Logits [{string.Join(", ", logits.shape)}] do not fit {GetType().Name}: expected [{targets.shape[0]}, {OutputCount}] " +
                "(batch size of the targets, one logit per output). Build the model with outputs = task.OutputCount.");
    }
}

/// <summary>Two classes, one logit: binary cross-entropy on logits; positive class = label 1.</summary>
/// <remarks>Model selection uses F1 at probability 0.5, as the seed selected students by validation F1.</remarks>
public sealed class BinaryClassification : ClassificationTask
{
    /// <inheritdoc />
    public override int OutputCount => 1;

    /// <inheritdoc />
    public override Tensor Loss(Tensor logits, Tensor targets)
    {
        CheckLogits(logits, targets);
        return F.binary_cross_entropy_with_logits(logits.squeeze(1), targets.to(ScalarType.Float32));
    }

    /// <inheritdoc />
    public override ClassifierEvaluation Evaluate(Tensor logits, Tensor targets)
    {
        using var scope = NewDisposeScope();
        double loss = Loss(logits, targets).item<float>();
        double[] scores = sigmoid(logits.squeeze(1)).cpu().to(ScalarType.Float64).data<double>().ToArray();
        int[] labels = targets.cpu().data<long>().Select(l => (int)l).ToArray();
        var confusion = BinaryMetrics.ConfusionAt(scores, labels, 0.5);
        double f1 = confusion.TruePositives == 0 ? 0 : 2.0 * confusion.TruePositives /
                    (2.0 * confusion.TruePositives + confusion.FalsePositives + confusion.FalseNegatives);
        var evaluation = BinaryEvaluation.Of(scores, labels);
        var metrics = new Dictionary<string, double>
        {
            ["f1"] = f1,
            ["accuracy"] = (double)(confusion.TruePositives + confusion.TrueNegatives) / labels.Length,
            ["auc"] = evaluation.RocAuc,
            ["ap"] = evaluation.AveragePrecision,
            ["best_f1"] = evaluation.BestF1,
            ["best_f1_threshold"] = evaluation.BestF1Threshold,
        };
        return new ClassifierEvaluation(loss, "f1", f1, metrics, scores, labels);
    }
}

/// <summary>Several classes: cross-entropy on logits; model selection by accuracy.</summary>
/// <param name="classCount">Number of classes.</param>
public sealed class MulticlassClassification(int classCount) : ClassificationTask
{
    /// <inheritdoc />
    public override int OutputCount => classCount;

    /// <inheritdoc />
    public override Tensor Loss(Tensor logits, Tensor targets)
    {
        CheckLogits(logits, targets);
        return F.cross_entropy(logits, targets);
    }

    /// <inheritdoc />
    public override ClassifierEvaluation Evaluate(Tensor logits, Tensor targets)
    {
        using var scope = NewDisposeScope();
        double loss = Loss(logits, targets).item<float>();
        int[] predicted = logits.argmax(1).cpu().data<long>().Select(l => (int)l).ToArray();
        int[] labels = targets.cpu().data<long>().Select(l => (int)l).ToArray();
        double accuracy = MulticlassMetrics.Accuracy(predicted, labels);
        var metrics = new Dictionary<string, double> { ["accuracy"] = accuracy };
        return new ClassifierEvaluation(loss, "accuracy", accuracy, metrics, predicted.Select(p => (double)p).ToArray(), labels);
    }
}
