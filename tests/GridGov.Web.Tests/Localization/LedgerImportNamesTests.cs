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
    public void The_unit_template_names_unit_kinds_as_the_ledger_pages_do_and_reads_them_back()
    {
        Assert.Equal(Enum.GetValues<UnitKind>().Length, ImportValues.UnitKindNames.Count);
        foreach (var (kind, name) in ImportValues.UnitKindNames)
        {
            Assert.Equal(Chinese[$"UnitKind_{kind}"], name);
            Assert.True(ImportValues.TryUnitKind(name, out var parsed));
            Assert.Equal(kind, parsed);
        }
        Assert.Equal(Enum.GetValues<UnitKind>().Select(k => Chinese[$"UnitKind_{k}"]), LedgerImportTemplates.Units.Column("kind").Options!);
    }

    [Fact]
    public void The_component_template_names_states_as_the_ledger_pages_do_and_reads_them_back()
    {
        Assert.Equal(Enum.GetValues<ComponentState>().Length, ImportValues.ComponentStateNames.Count);
        foreach (var (state, name) in ImportValues.ComponentStateNames)
        {
            Assert.Equal(Chinese[$"ComponentState_{state}"], name);
            Assert.True(ImportValues.TryComponentState(name, out var parsed));
            Assert.Equal(state, parsed);
        }
        Assert.Equal(Enum.GetValues<ComponentState>().Select(s => Chinese[$"ComponentState_{s}"]), LedgerImportTemplates.Components.Column("state").Options!);
    }

    [Fact]
    public void Every_importable_ledger_has_a_Chinese_and_an_English_name_on_the_page_and_a_template_whose_headers_are_unique()
    {
        var english = ResxFiles.Read(nameof(LedgerResource), "en");
        foreach (var kind in LedgerImportTemplates.Kinds)
        {
            Assert.True(ResxFiles.HasChinese(Chinese[$"LedgerImportKind_{kind}"]), kind.ToString());
            Assert.False(ResxFiles.HasChinese(english[$"LedgerImportKind_{kind}"]), kind.ToString());
            var template = LedgerImportTemplates.For(kind);
            var headers = template.Columns.SelectMany(c => c.Synonyms.Prepend(c.Header)).Select(ImportHeaders.Normalise).ToList();
            Assert.Equal(headers.Count, headers.Distinct().Count());
        }
    }

    [Fact]
    public void The_page_and_its_files_let_in_exactly_the_roles_the_import_service_accepts()
    {
        Assert.Equal(LedgerImportService.Roles.Select(r => r.ToString()).Order(), LedgerImportRoles.All.Order());
    }
}
