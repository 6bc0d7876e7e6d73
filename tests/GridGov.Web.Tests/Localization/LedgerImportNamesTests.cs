using GridGov.Application.Ledgers.Import;
using GridGov.Domain.Ledgers;
using GridGov.Web.Components.Pages.Ledgers;
using GridGov.Web.Resources;

namespace GridGov.Web.Tests.Localization;

/// <summary>
/// The import templates offer the coded values under the names the ledger pages show, and the page and its endpoints
/// let in exactly the roles the import service accepts.
/// </summary>
public sealed class LedgerImportNamesTests
{
    private static readonly IReadOnlyDictionary<string, string> Chinese = ResxFiles.Read(nameof(LedgerResource));

    [Fact]
    public void The_templates_name_household_kinds_population_kinds_and_tags_as_the_ledger_pages_do()
    {
        foreach (var (kind, name) in ImportValues.HouseholdKindNames)
        {
            Assert.Equal(Chinese[$"HouseholdKind_{kind}"], name);
        }
        foreach (var (kind, name) in ImportValues.PopulationKindNames)
        {
            Assert.Equal(Chinese[$"PopulationKind_{kind}"], name);
        }
        Assert.Equal(Enum.GetValues<HouseholdKind>().Length, ImportValues.HouseholdKindNames.Count);
        Assert.Equal(Enum.GetValues<PopulationKind>().Length, ImportValues.PopulationKindNames.Count);
        var tags = LedgerImportTemplates.Residents.Column("groups").Options!;
        Assert.Equal(Enum.GetValues<ResidentGroup>().Select(g => Chinese[$"ResidentGroup_{g}"]), tags);
        foreach (var group in Enum.GetValues<ResidentGroup>())
        {
            Assert.Equal([group], ImportValues.ParseGroups(Chinese[$"ResidentGroup_{group}"], out var unknown));
            Assert.Empty(unknown);
        }
    }

    [Fact]
    public void The_page_and_its_files_let_in_exactly_the_roles_the_import_service_accepts()
    {
        Assert.Equal(LedgerImportService.Roles.Select(r => r.ToString()).Order(), LedgerImportRoles.All.Order());
    }
}
