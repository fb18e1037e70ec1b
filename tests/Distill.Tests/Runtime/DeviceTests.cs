using Distill.Models.BeatGan;
using Distill.Runtime;
using Distill.Training.BeatGan;
using TorchSharp;

namespace Distill.Tests.Runtime;

public class DeviceTests
{
    [Fact]
    public void CpuOverrideGivesCpu() => Assert.Equal(DeviceType.CPU, DistillDevice.Resolve("cpu").type);

    [Fact]
    public void UnknownOverrideIsRejectedWithTheFix()
    {
        var error = Assert.Throws<ArgumentException>(() => DistillDevice.Resolve("tpu"));
        Assert.Contains("'cpu', 'cuda'", error.Message);
    }

    [Fact]
    public void CudaOverrideWithoutGpuExplainsWhatToDo()
    {
        if (torch.cuda.is_available()) return; // this check is about machines without CUDA
        var error = Assert.Throws<InvalidOperationException>(() => DistillDevice.Resolve("cuda"));
        Assert.Contains("TorchSharp", error.Message);
    }
}

/// <summary>Models and losses take their device from a parameter or their inputs; only the application reads the default.</summary>
public class DevicePlacementTests
{
    // The meta device holds shapes without data: a device other than the CPU that every machine has.
    private static readonly torch.Device Meta = new(DeviceType.META);

    [Fact]
    public void OfGivesTheDeviceOfAModulesParametersAndTheCpuForAModuleWithout()
    {
        Assert.Equal(DeviceType.META, DistillDevice.Of(torch.nn.Linear(2, 3, device: Meta)).type);
        Assert.Equal(DeviceType.CPU, DistillDevice.Of(torch.nn.ReLU()).type);
    }

    [Fact]
    public void ModelsAndLossesAreBuiltOnTheDeviceTheyAreGiven()
    {
        Assert.All(new Distill.Models.Mlp([4, 3], 2, device: Meta).parameters(), p => Assert.Equal(DeviceType.META, p.device.type));
        Assert.All(new Distill.Models.BeatGan.BeatGanGenerator(new(GeneratorWidth: 4), Meta).parameters(), p => Assert.Equal(DeviceType.META, p.device.type));
        Assert.All(new Distill.Losses.Feature.FitNetLoss(Distill.Losses.LayerPair.Last, 3, 5, device: Meta).parameters(),
                   p => Assert.Equal(DeviceType.META, p.device.type));
        Assert.All(new Distill.Models.Mlp([4, 3], 2).parameters(), p => Assert.Equal(DeviceType.CPU, p.device.type));
    }

    [Fact]
    public void CrdBuildsItsEmbeddingsMemoryAndSamplerOnTheDeviceItIsGiven()
    {
        using var crd = new Distill.Losses.Crd.CrdLoss(3, 5, dataCount: 10, new(FeatureDim: 4, Negatives: 2), device: Meta);
        Assert.All(crd.parameters(), p => Assert.Equal(DeviceType.META, p.device.type));
        Assert.All(crd.buffers(), b => Assert.Equal(DeviceType.META, b.device.type));
        Assert.Equal(DeviceType.META, crd.Sampler.Device.type);
        using var alias = new Distill.Losses.Crd.AliasSampler([1.0, 2.0, 3.0], Meta);
        Assert.Equal(DeviceType.META, alias.Device.type);
        using var cpu = new Distill.Losses.Crd.CrdLoss(3, 5, dataCount: 10, new(FeatureDim: 4, Negatives: 2));
        Assert.Equal(DeviceType.CPU, cpu.Sampler.Device.type);
        Assert.All(cpu.buffers(), b => Assert.Equal(DeviceType.CPU, b.device.type));
    }

    [Fact]
    public void TheBeatGanTrainersFeedTheirNetworksOnTheNetworksDevice()
    {
        // Convolutions have no meta kernel, so a step on the meta device stops in the first one; the batch it was given
        // shows where the trainer put the beats it got on the CPU.
        var sizes = new BeatGanOptions(LatentSize: 4, GeneratorWidth: 2, DiscriminatorWidth: 2);
        var options = new BeatGanTrainingOptions(Epochs: 1, BatchSize: 4);
        var beats = torch.rand(4, 1, 320);

        var generator = new BeatGanGenerator(sizes, Meta);
        var teacherTrainer = new BeatGanTrainer(generator, new BeatGanDiscriminator(sizes, Meta), options);
        Assert.Equal(DeviceType.META, FirstConvolutionInput(generator, () => teacherTrainer.TrainStep(beats)));
        // Fit cuts its batches from the training beats where the networks live: index_select has no meta kernel either.
        var fit = Record.Exception(() => teacherTrainer.Fit(beats, beats, [0, 1, 0, 1], (_, _) => 0));
        Assert.Contains("index_select: attempted to run this operator with Meta tensors", fit?.Message);

        var student = new BeatGanGenerator(sizes, Meta);
        var studentTrainer = new BeatGanStudentTrainer(student, new BeatGanDiscriminator(sizes, Meta), new BeatGanGenerator(sizes, Meta),
            [new Distill.Distillation.DistillationTerm(new Distill.Losses.BeatGan.ReconstructionDistillationLoss(), 1.0)], new(options));
        Assert.Equal(DeviceType.META, FirstConvolutionInput(student, () => studentTrainer.TrainStep(beats)));
    }

    // The device of the batch the generator's first convolution received while running the step (which may then fail).
    private static DeviceType FirstConvolutionInput(BeatGanGenerator generator, Action step)
    {
        DeviceType? seen = null;
        var first = generator.modules().OfType<TorchSharp.Modules.Conv1d>().First();
        var hook = first.register_forward_pre_hook((_, input) => { seen ??= input.device.type; return input; });
        Exception? failure;
        try { failure = Record.Exception(step); }
        finally { hook.remove(); }
        return seen ?? throw new InvalidOperationException($"The step never reached the generator's first convolution: {failure?.Message}");
    }

    [Fact]
    public void DataLoadersPutTheirTensorsOnTheDeviceTheyAreGiven()
    {
        var data = Distill.Data.Tabular.TeacherStudentData.BreastCancer(seed: 0, device: Meta);
        Assert.All(new[] { data.Train.TeacherInput, data.Train.StudentInput, data.Train.Targets, data.Train.Indices, data.Test.StudentInput },
                   t => Assert.Equal(DeviceType.META, t.device.type));
        Assert.Equal(DeviceType.CPU, Distill.Data.Tabular.TeacherStudentData.BreastCancer(seed: 0).Train.StudentInput.device.type);
        var demo = Distill.Experiments.BeatGan.BeatGanKdData.Load(Meta);
        Assert.Equal(DeviceType.META, demo.Train.device.type);
        Assert.Equal(DeviceType.META, demo.Test.device.type);
        Assert.Equal(DeviceType.META, Distill.Data.Ecg.BeatGanDemo.Normal().ToTensor(Meta).device.type);
        Assert.All(Distill.Data.MiniBatches.Sequential(5, 2, Meta), rows => Assert.Equal(DeviceType.META, rows.device.type));
        var beats = new[] { new Distill.Data.Ecg.EcgBeat("t", 1, "V", Distill.Data.Ecg.AamiClass.V, [1, 2, 3, 4], 2, 2) };
        Assert.Equal(DeviceType.META, Distill.Data.Ecg.EcgBeatTensors.Signals(beats, device: Meta).device.type);
        Assert.Equal(DeviceType.META, Distill.Data.Ecg.EcgBeatTensors.AnomalyLabels(beats, Meta).device.type);
    }

    [Fact]
    public void OnlyTheApplicationsDefaultsReadDistillDeviceCurrent()
    {
        // The notebooks' setup reports the default the notebooks then pass (it is their application side, not a library part).
        string[] allowed = ["lib/Notebooks/NotebookEnvironment.cs"];
        string root = Distill.Tests.Notebooks.NotebookRunner.RepositoryRoot;
        var readers = Directory.GetFiles(Path.Combine(root, "lib"), "*.cs", SearchOption.AllDirectories)
            .Where(file => File.ReadLines(file).Any(line => !line.TrimStart().StartsWith("///") && line.Contains("DistillDevice.Current")))
            .Select(file => Path.GetRelativePath(root, file).Replace('\\', '/'))
            .Where(file => !allowed.Any(file.StartsWith))
            .Order()
            .ToArray();
        Assert.True(readers.Length == 0, "These library files read DistillDevice.Current; take the device from a parameter or the inputs "
                                         + $"(DistillDevice.Of(module)) instead:\n{string.Join("\n", readers)}");
    }
}
