using Distill.Runtime;
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
    public void OnlyTheApplicationsDefaultsReadDistillDeviceCurrent()
    {
        // Data loaders place their tensors on the application's default; the BeatGAN trainers still read it
        // (issue 17: to take it from their models like the other trainers).
        string[] allowed =
        [
            "lib/Data/", "lib/Notebooks/NotebookEnvironment.cs", "lib/Training/BeatGan/BeatGanTrainer.cs",
            "lib/Training/BeatGan/BeatGanStudentTrainer.cs",
        ];
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
