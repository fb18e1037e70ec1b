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
