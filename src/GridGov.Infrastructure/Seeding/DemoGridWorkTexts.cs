namespace GridGov.Infrastructure.Seeding;

/// <summary>What grid workers write after a visit or a patrol, by kind of household (三必访) and kind of round.</summary>
internal static class DemoGridWorkTexts
{
    /// <summary>Elderly living alone (monthly).</summary>
    public static readonly string[] MonthlyFindings =
    [
        "独居老人身体状况良好，生活能自理，已提醒注意用电用气安全。",
        "老人反映近期血压偏高，已联系社区家庭医生上门随访。",
        "老人独自在家，精神状态不错，冰箱里食物充足；留下网格员电话，叮嘱有事随时联系。",
        "检查了燃气灶和热水器，阀门正常；为老人更换了走廊感应灯。",
        "老人子女本周来探望过，家中整洁；已登记老人新的紧急联系人电话。",
        "老人腿脚不便，想申请居家养老助餐服务，已转社区养老服务站办理。",
        "天气转凉，提醒老人添衣保暖，检查了电热毯使用情况。",
        "老人咨询高龄津贴发放时间，已当面解答。",
    ];

    /// <summary>Hardship, disabled, subsistence allowance, unemployed, key assistance, temporary residents (quarterly).</summary>
    public static readonly string[] QuarterlyFindings =
    [
        "了解家庭收入变化情况，低保年审材料已备齐，提醒按时提交。",
        "残疾人证已年审，住户反映楼道缺少扶手，已记录并报社区。",
        "失业人员已参加社区组织的就业培训，正在投递简历，推送了两个岗位信息。",
        "困难家庭孩子开学在即，已告知教育救助申请流程。",
        "暂住人员居住登记信息核对无误，提醒居住证到期前续签。",
        "重点帮扶对象近期情绪稳定，家属配合良好，继续保持每季度走访。",
        "住户反映医疗费用负担重，已协助申请临时救助。",
        "核对家庭成员及收入情况，与台账一致。",
    ];

    /// <summary>Ordinary households (yearly).</summary>
    public static readonly string[] YearlyFindings =
    [
        "家庭成员信息核对无误，住户无特殊诉求。",
        "住户反映楼道堆放杂物，已提醒清理并告知物业。",
        "核实出租房屋租客信息，已更新台账。",
        "宣传反诈知识，指导住户安装国家反诈中心APP。",
        "住户反映小区夜间停车难，已记录并反馈社区。",
        "了解住户家庭情况，宣传垃圾分类和消防安全知识。",
        "住户新添一名婴儿，已提醒办理出生登记和医保参保。",
        "住户对社区服务满意，无其他诉求。",
        "检查电动自行车充电情况，提醒不要在楼道内充电。",
        "住户咨询老旧小区加装电梯政策，已告知办理流程。",
    ];

    public static readonly string[] PatrolNotes =
    [
        "沿街商铺门前整洁，未发现占道经营。",
        "小区消防通道畅通，楼道无堆物。",
        "发现一处共享单车乱停放，已现场整理。",
        "路灯、井盖等部件完好。",
        "垃圾分类投放点清运及时。",
        "发现流动摊贩一处，已现场劝离。",
        "建筑工地围挡完好，未发现渣土撒漏。",
        "河道沿岸巡查，未见漂浮物。",
        "提醒沿街店铺做好门前三包。",
        "雨后积水已消退，道路通行正常。",
    ];
}
