namespace Distill.Cli;

/// <summary>One training run as written to <c>runs.csv</c> and <c>runs.json</c>, to compare results across invocations.</summary>
/// <param name="Command">The subcommand that ran it (<c>train-teacher</c> or <c>distill</c>).</param>
/// <param name="Method">The distillation spec's name (<c>none</c>, <c>kd</c>, <c>crd+kd</c>, <c>kd=2</c>), or "teacher".</param>
/// <param name="Seed">Seed of initialisation and batch order.</param>
/// <param name="DataSeed">Seed of the train/validation/test split.</param>
/// <param name="Widths">The trained network's widths, input first.</param>
/// <param name="Epochs">Maximum epochs.</param>
/// <param name="EpochsRun">Epochs actually run (early stopping can end a run sooner).</param>
/// <param name="BestEpoch">Epoch whose weights were kept.</param>
/// <param name="BatchSize">Rows per batch.</param>
/// <param name="LearningRate">Initial learning rate.</param>
/// <param name="Weight">Weight of the distillation term of a one-method spec (null for the teacher, the baseline and specs
/// combining methods).</param>
/// <param name="Terms">Every method with its weight (<c>kd=1+fitnet=100</c>); empty for the teacher and the baseline.</param>
/// <param name="Test">Test-split metrics by name.</param>
/// <param name="WallSeconds">Wall time of the run.</param>
public sealed record RunRecord(string Command, string Method, int Seed, int DataSeed, IReadOnlyList<int> Widths, int Epochs, int EpochsRun,
                               int BestEpoch, int BatchSize, double LearningRate, double? Weight, string Terms,
                               IReadOnlyDictionary<string, double> Test, double WallSeconds);
