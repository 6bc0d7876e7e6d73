namespace GridGov.Web.Resources;

/// <summary>Marker for the monthly evaluation's strings and figure definitions: EvaluationResource.resx (Chinese) and EvaluationResource.en.resx (English).</summary>
public sealed class EvaluationResource;
