namespace GridGov.Domain.Ledgers;

/// <summary>Group tags (特殊群体 / 重点人群), domain.md §3.</summary>
public enum ResidentGroup
{
    PartyMember,           // 党员
    SubsistenceAllowance,  // 低保户
    Hardship,              // 困难户
    Disabled,              // 残疾人
    Entitled,              // 优抚对象
    Retired,               // 退休职工
    ElderlyLivingAlone,    // 独居老人
    EmptyNestElderly,      // 空巢老人
    Unemployed,            // 失业人员
    KeyAssistance,         // 重点帮扶
    CommunityCorrection,   // 社区矫正
    ReleasedPrisonerSupport, // 安置帮教
    DrugRehabilitation,    // 吸毒人员
    MentalDisorder,        // 精神障碍
}

public static class ResidentGroups
{
    /// <summary>Tags only roles with the sensitive-data permission may see.</summary>
    public static readonly IReadOnlySet<ResidentGroup> Sensitive = new HashSet<ResidentGroup>
    {
        ResidentGroup.CommunityCorrection,
        ResidentGroup.ReleasedPrisonerSupport,
        ResidentGroup.DrugRehabilitation,
        ResidentGroup.MentalDisorder,
    };

    public static bool IsSensitive(this ResidentGroup group) => Sensitive.Contains(group);

    public static string ChineseName(this ResidentGroup group) => group switch
    {
        ResidentGroup.PartyMember => "党员",
        ResidentGroup.SubsistenceAllowance => "低保户",
        ResidentGroup.Hardship => "困难户",
        ResidentGroup.Disabled => "残疾人",
        ResidentGroup.Entitled => "优抚对象",
        ResidentGroup.Retired => "退休职工",
        ResidentGroup.ElderlyLivingAlone => "独居老人",
        ResidentGroup.EmptyNestElderly => "空巢老人",
        ResidentGroup.Unemployed => "失业人员",
        ResidentGroup.KeyAssistance => "重点帮扶",
        ResidentGroup.CommunityCorrection => "社区矫正",
        ResidentGroup.ReleasedPrisonerSupport => "安置帮教",
        ResidentGroup.DrugRehabilitation => "吸毒人员",
        ResidentGroup.MentalDisorder => "精神障碍",
        _ => throw new ArgumentOutOfRangeException(nameof(group)),
    };
}
