namespace GridGov.Web.Components.Shared;

/// <summary>A grid <see cref="GridPicker"/> offers: its code, how it is named in the field and the list, and its community.</summary>
public sealed record GridPickerOption(string Code, string Label, int CommunityId);
