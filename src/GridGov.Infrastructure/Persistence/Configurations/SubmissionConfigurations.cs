using GridGov.Domain.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GridGov.Infrastructure.Persistence.Configurations;

internal sealed class SubmissionRecordConfiguration : IEntityTypeConfiguration<SubmissionRecord>
{
    public void Configure(EntityTypeBuilder<SubmissionRecord> builder)
    {
        builder.ToTable("submissions");
        builder.Property(s => s.Author).HasMaxLength(SubmissionRecord.AuthorMaxLength);
        builder.Property(s => s.Result).HasMaxLength(SubmissionRecord.ResultMaxLength);
        // A key is its author's, per purpose; the second index finds someone else's use of it.
        builder.HasIndex(s => new { s.Author, s.Purpose, s.SubmissionId }).IsUnique();
        builder.HasIndex(s => new { s.Purpose, s.SubmissionId });
    }
}
