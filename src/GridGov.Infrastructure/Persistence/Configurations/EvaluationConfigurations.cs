using System.Text.Json;
using GridGov.Domain.Evaluation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace GridGov.Infrastructure.Persistence.Configurations;

internal sealed class EvaluationSnapshotConfiguration : IEntityTypeConfiguration<EvaluationSnapshot>
{
    public void Configure(EntityTypeBuilder<EvaluationSnapshot> builder)
    {
        builder.ToTable("evaluation_snapshots");
        builder.Property(s => s.Reason).HasMaxLength(EvaluationSnapshot.ReasonMaxLength);
        builder.Property(s => s.DefinitionsVersion).HasMaxLength(20);
        builder.Property(s => s.ResultsJson).HasColumnName("results").HasColumnType("jsonb");
        builder.Property(s => s.Rules).HasColumnType("jsonb").HasConversion(ScoringRulesJson.Converter, ScoringRulesJson.Comparer);
        builder.Ignore(s => s.IsCurrent);
        // One current snapshot per month; superseded ones stay beside it.
        builder.HasIndex(s => s.Month).IsUnique().HasFilter("superseded_at IS NULL").HasDatabaseName("ix_evaluation_snapshots_month_current");
        builder.HasIndex(s => new { s.Month, s.Id });
    }
}

internal sealed class ScoringRulesVersionConfiguration : IEntityTypeConfiguration<ScoringRulesVersion>
{
    public void Configure(EntityTypeBuilder<ScoringRulesVersion> builder)
    {
        builder.ToTable("scoring_rules");
        builder.Property(v => v.Rules).HasColumnType("jsonb").HasConversion(ScoringRulesJson.Converter, ScoringRulesJson.Comparer);
        builder.HasIndex(v => new { v.EffectiveFrom, v.Id });
    }
}

/// <summary>Scoring rules stored as JSON (weights and grade bounds), compared by value.</summary>
internal static class ScoringRulesJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static ValueConverter<ScoringRules, string> Converter { get; } = new(
        rules => JsonSerializer.Serialize(rules, Options),
        json => JsonSerializer.Deserialize<ScoringRules>(json, Options)!);

    public static ValueComparer<ScoringRules> Comparer { get; } = new(
        (a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
        rules => JsonSerializer.Serialize(rules, Options).GetHashCode(StringComparison.Ordinal),
        rules => rules);
}
