using System.Xml.Linq;
using GridGov.Web.Tests.Infrastructure;

namespace GridGov.Web.Tests.Localization;

/// <summary>A resource's entries read straight from its .resx (no fallback from English to Chinese hides a gap).</summary>
internal static class ResxFiles
{
    public static IReadOnlyDictionary<string, string> Read(string resource, string? culture = null)
    {
        var path = Path.Combine(RepositoryPaths.WebProject, "Resources", culture is null ? $"{resource}.resx" : $"{resource}.{culture}.resx");
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var data in XDocument.Load(path).Root!.Elements("data"))
        {
            var name = (string)data.Attribute("name")!;
            Assert.True(entries.TryAdd(name, (string?)data.Element("value") ?? ""), $"{Path.GetFileName(path)}: {name} appears twice");
        }
        return entries;
    }

    public static bool HasChinese(string text) => text.Any(c => c is >= '\u4e00' and <= '\u9fff');
}
