namespace Distill.Data.Ecg;

/// <summary>One annotation of a WFDB annotation file: its sample, code and the optional fields that modify it.</summary>
/// <param name="Sample">Sample index (from the record's start) the annotation marks; for beats, the R peak.</param>
/// <param name="Code">MIT annotation code (1 = normal beat, 5 = PVC, 28 = rhythm change, ...).</param>
/// <param name="Symbol">The code's one-character mnemonic as PhysioNet prints it (<c>N</c>, <c>V</c>, <c>+</c>, ...).</param>
/// <param name="SubType">Annotation subtype (SUB field; 0 when absent).</param>
/// <param name="Channel">Signal the annotation refers to (CHN field; carried over from the previous annotation when absent).</param>
/// <param name="Number">Annotator's number (NUM field; carried over from the previous annotation when absent).</param>
/// <param name="Aux">Auxiliary text (AUX field), e.g. the rhythm <c>(N</c> after a '+'; empty when absent.</param>
public sealed record MitAnnotation(long Sample, int Code, string Symbol, int SubType, int Channel, int Number, string Aux);
