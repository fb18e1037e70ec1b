using Distill.Data.Tabular;
using static TorchSharp.torch;

namespace Distill.Training;

/// <summary>Which columns of a <see cref="TabularSplit"/> a network reads.</summary>
public enum InputView
{
    /// <summary>The teacher's (privileged) view.</summary>
    Teacher,

    /// <summary>The student's view.</summary>
    Student,
}

/// <summary>Selection of a split's input by <see cref="InputView"/>.</summary>
public static class InputViews
{
    /// <summary>The input tensor a network with this view reads.</summary>
    public static Tensor Of(this InputView view, TabularSplit split) => view switch
    {
        InputView.Teacher => split.TeacherInput,
        InputView.Student => split.StudentInput,
        _ => throw new ArgumentOutOfRangeException(nameof(view), view, "Unknown input view."),
    };
}
