using System.Globalization;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace GridGov.Web.Infrastructure;

/// <summary>
/// MudBlazor's own texts (pager, grid, pickers, dialogs, inputs) in Chinese when the page is in Chinese; English
/// otherwise (MudBlazor's defaults). Keys are MudBlazor's resource names; a key not listed falls back to English.
/// </summary>
public sealed class ChineseMudLocalizer : MudLocalizer
{
    private static readonly Dictionary<string, string> Chinese = new(StringComparer.Ordinal)
    {
        ["MudDataGridPager_AllItems"] = "全部",
        ["MudDataGridPager_FirstPage"] = "第一页",
        ["MudDataGridPager_LastPage"] = "最后一页",
        ["MudDataGridPager_NextPage"] = "下一页",
        ["MudDataGridPager_PreviousPage"] = "上一页",
        ["MudDataGridPager_RowsPerPage"] = "每页行数：",
        ["MudDataGridPager_InfoFormat"] = "{0}-{1}，共 {2} 条",
        ["MudDataGrid_Loading"] = "正在加载……",
        ["MudDataGrid_RefreshData"] = "刷新",
        ["MudDataGrid_Sort"] = "排序",
        ["MudDataGrid_Unsort"] = "取消排序",
        ["MudDataGrid_Filter"] = "筛选",
        ["MudDataGrid_Clear"] = "清除",
        ["MudDataGrid_Apply"] = "应用",
        ["MudDataGrid_Cancel"] = "取消",
        ["MudDataGrid_Save"] = "保存",
        ["MudDataGrid_Columns"] = "列",
        ["MudDataGrid_Column"] = "列",
        ["MudDataGrid_Hide"] = "隐藏",
        ["MudDataGrid_ShowAll"] = "全部显示",
        ["MudDataGrid_HideAll"] = "全部隐藏",
        ["MudDataGrid_SelectAllRows"] = "全选",
        ["MudDataGrid_SelectRow"] = "选择此行",
        ["MudDataGrid_ExpandGroup"] = "展开",
        ["MudDataGrid_CollapseGroup"] = "收起",
        ["MudBaseDatePicker_NextMonth"] = "下个月",
        ["MudBaseDatePicker_PrevMonth"] = "上个月",
        ["MudBaseDatePicker_NextYear"] = "下一年",
        ["MudBaseDatePicker_PrevYear"] = "上一年",
        ["MudBaseDatePicker_Open"] = "打开日历",
        ["MudDateRangePicker_Start"] = "开始日期",
        ["MudDateRangePicker_End"] = "结束日期",
        ["MudTimePicker_Open"] = "选择时间",
        ["MudAlert_Close"] = "关闭",
        ["MudChip_Close"] = "移除",
        ["MudDialog_Close"] = "关闭",
        ["MudSnackbar_Close"] = "关闭",
        ["MudInput_Clear"] = "清除",
        ["MudInput_Increment"] = "增加",
        ["MudInput_Decrement"] = "减少",
        ["MudFormComponent_Required"] = "必填",
        ["MudSelect_SelectAll"] = "全选",
        ["MudNavGroup_ToggleExpand"] = "展开或收起",
        ["MudPagination_FirstPage"] = "第一页",
        ["MudPagination_LastPage"] = "最后一页",
        ["MudPagination_NextPage"] = "下一页",
        ["MudPagination_PreviousPage"] = "上一页",
        ["MudPagination_CurrentPage"] = "当前第 {0} 页",
        ["MudPagination_PageIndex"] = "第 {0} 页",
        ["MudFileUpload_Button"] = "选择文件",
        ["MudFileUpload_DragAndDrop"] = "把文件拖到这里",
    };

    private static bool InChinese => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "zh";

    public override LocalizedString this[string key] =>
        InChinese && Chinese.TryGetValue(key, out var text) ? new LocalizedString(key, text) : base[key];

    public override LocalizedString this[string key, params object[] arguments] =>
        InChinese && Chinese.TryGetValue(key, out var text)
            ? new LocalizedString(key, arguments.Length == 0 ? text : string.Format(CultureInfo.CurrentCulture, text, arguments))
            : base[key, arguments];
}
