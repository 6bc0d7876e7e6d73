using MudBlazor;

namespace GridGov.Web.Components.Layout;

/// <summary>The center's colours (the navy bar and blue accent of the dispatch room's screens) and a Chinese type stack.</summary>
public static class GridGovTheme
{
    private static readonly string[] Fonts =
        ["system-ui", "-apple-system", "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "sans-serif"];

    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f6feb",
            Secondary = "#c62828",
            AppbarBackground = "#0b2545",
            AppbarText = "#ffffff",
            Background = "#eef2f7",
            Surface = "#ffffff",
            DrawerBackground = "#ffffff",
            LinesDefault = "#d4dbe5",
            Success = "#2e7d32",
            Warning = "#ed6c02",
            Error = "#c62828",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = Fonts },
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "220px" },
    };
}
