using static GridGov.Infrastructure.Seeding.ReferenceData;

namespace GridGov.Infrastructure.Seeding;

/// <summary>Where a kind of problem is found, which decides how its place and address are worded.</summary>
internal enum DemoPlace
{
    Street,     // on a road: 侍其巷123号附近人行道
    Shop,       // in front of a shop: 侍其巷123号孙记面馆门前
    Compound,   // in a residential compound: 敬文北村3幢楼下
    Stairwell,  // in a building's stairwell: 敬文北村3幢2单元楼道
    Home,       // a household: 敬文北村3幢402室
    Component,  // a city component of the ledger, at its own position
}

/// <summary>
/// One minor class as it shows up in the demo: how often (per mille of reports), where, what reporters write
/// ({at} is the place; {a} 2–5, {b} 5–15, {l} 3–6, {m} 10–60, {c} 20–40, {plate} a licence plate), what
/// handlers answer, and the special paths it takes.
/// </summary>
/// <param name="OnSpotResults">Set when a grid worker may settle it on the spot (一般性).</param>
/// <param name="Local">Handled by the grid itself (小事不出网格): the community assigns a grid leader or worker.</param>
/// <param name="WrongDepartment">A department it is plausibly mis-dispatched to, which returns it with <paramref name="WrongReason"/>.</param>
/// <param name="WhistleDepartments">Departments a community or grid summons for it (吹哨报到).</param>
/// <param name="EscalateTo">Where a local case goes when the grid cannot settle it.</param>
internal sealed record DemoCaseTemplate(
    string Code,
    int Weight,
    DemoPlace Place,
    string[] Descriptions,
    string[] Results,
    string[]? OnSpotResults = null,
    bool Local = false,
    string? WrongDepartment = null,
    string? WrongReason = null,
    string[]? WhistleDepartments = null,
    string? EscalateTo = null);

internal static class DemoCasesTexts
{
    public static IReadOnlyList<DemoCaseTemplate> Templates { get; } =
    [
        // 市容环境
        new("0501", 90, DemoPlace.Street,
            ["{at}有散落的生活垃圾和塑料袋，面积约{a}平方米，无人清扫，影响市容。",
             "{at}绿化带内丢满外卖餐盒、饮料瓶等垃圾，天热已有异味。",
             "{at}垃圾投放点周边地面散落垃圾，垃圾袋破损，污水流到人行道上。"],
            ["已通知环卫作业班组清扫，散落垃圾已全部清运，地面冲洗干净。",
             "环卫工人已到场清理垃圾约{a}袋，并加密该路段保洁频次。"],
            OnSpotResults: ["网格员现场捡拾散落垃圾，已装袋投放至附近垃圾桶。"]),
        new("0502", 30, DemoPlace.Compound,
            ["{at}堆积建筑垃圾和渣土约{a}立方米，已超过两天未清运。",
             "{at}装修垃圾袋堆成一堆，占用公共通道，扬尘很大。"],
            ["已安排渣土车清运建筑垃圾{a}车次，地面已清扫干净。",
             "已联系装修户和物业，装修垃圾已统一清运至临时堆放点。"],
            WhistleDepartments: [Housing]),
        new("0503", 25, DemoPlace.Street,
            ["{at}路面有大片油污和泥浆，连续约{m}米，行人容易滑倒。",
             "{at}人行道上有大量泥沙和碎石，像是运输车辆遗撒的。"],
            ["环卫所已安排洗扫车对路面进行冲洗，油污泥浆已清除。"]),
        new("0504", 5, DemoPlace.Street,
            ["{at}沿河水面漂浮大量垃圾和落叶，岸边也有堆积。"],
            ["已安排保洁船打捞水面漂浮物，岸边垃圾已清理。"]),
        new("0506", 4, DemoPlace.Street,
            ["{at}人行道上有一只死猫，已发出异味。",
             "{at}绿化带里有一只死狗，无人处理。"],
            ["环卫工人已将动物尸体清运，并对现场消毒。"]),
        // 宣传广告
        new("0601", 8, DemoPlace.Street,
            ["{at}楼顶新设了大型广告牌，未见审批公示，居民担心安全。"],
            ["经核查该广告未经审批，已责令设置单位限期自行拆除，现已拆除完毕。"]),
        new("0602", 45, DemoPlace.Street,
            ["{at}电线杆和墙面上张贴了大量疏通管道、办证小广告，约{b}张。",
             "{at}人行道地面被喷涂小广告电话号码，共{a}处。"],
            ["已组织人员铲除小广告并对墙面进行覆盖粉刷，涉及号码已提请停机。"],
            OnSpotResults: ["网格员现场铲除小广告{b}张，墙面已清理干净。"]),
        new("0603", 12, DemoPlace.Shop,
            ["{at}商户在人行道上摆放立式广告牌和充气拱门，占用通行空间。"],
            ["已责令商户撤除占道广告牌和充气拱门，人行道恢复通行。"],
            OnSpotResults: ["网格员现场劝导，商户已将广告牌收回店内。"]),
        // 施工管理
        new("0701", 15, DemoPlace.Compound,
            ["{at}附近工地夜间施工噪声很大，晚上十点以后还在作业，影响居民休息。",
             "{at}有住户装修，每天早上七点前就开始电钻作业，邻居意见很大。"],
            ["执法队员已到现场责令停止夜间施工，并告知施工单位须办理夜间施工许可。",
             "已约谈装修户和装修公司，承诺严格按规定时段施工。"],
            WhistleDepartments: [Housing]),
        new("0702", 20, DemoPlace.Street,
            ["{at}人行道地砖松动破损，面积约{a}平方米，雨天踩上去溅水。",
             "{at}车行道出现坑槽，深约{a}厘米，电动车经过很危险。"],
            ["市政所已对破损路面进行修补，地砖已重新铺设平整。",
             "已对坑槽进行沥青冷补，路面恢复平整。"]),
        new("0705", 10, DemoPlace.Street,
            ["{at}工地渣土没有覆盖，一刮风扬尘就很严重。",
             "{at}工地运输车辆带泥上路，路面全是泥浆。"],
            ["已责令施工单位覆盖裸土、洒水降尘，并在出入口冲洗车辆。"],
            WhistleDepartments: [Housing]),
        // 街面秩序
        new("0801", 70, DemoPlace.Shop,
            ["{at}有流动摊贩摆摊卖水果，占用人行道约{a}米，行人只能走到车行道上。",
             "{at}早餐摊点占道经营，桌椅摆到了人行道上，地面油污较多。",
             "每天傍晚{at}都有几个小吃摊占道经营，影响通行，居民多次反映。"],
            ["城管队员到场劝离占道摊贩，人行道已恢复通行，并纳入早晚重点巡查点位。",
             "已对经营者进行教育并责令改正，摊点已撤离，现场恢复整洁。"],
            OnSpotResults: ["网格员现场劝导，摊主已将摊位撤回店内。"],
            WhistleDepartments: [MarketRegulation]),
        new("0802", 10, DemoPlace.Street,
            ["{at}有流动三轮车兜售水果，在路口停留叫卖，造成拥堵。"],
            ["已劝离流动摊贩，并加强该路段的巡查。"]),
        new("0803", 40, DemoPlace.Shop,
            ["{at}商户把商品摆到门外人行道上，超出门窗约{a}米。",
             "{at}店家在门口人行道上修车、洗车，污水横流。"],
            ["执法队员到场责令商户将商品收回店内，并重新签订门前三包责任书。"],
            OnSpotResults: ["网格员现场劝导店主，商品已收回店内。"],
            WhistleDepartments: [MarketRegulation]),
        new("0804", 55, DemoPlace.Compound,
            ["{at}公共区域堆放旧家具和装修废料，占地约{a}平方米，影响通行。",
             "{at}有人堆放大量纸板和泡沫箱，存在消防隐患。"],
            ["已联系物业和堆放人清理，杂物已全部清运。",
             "城管中队督促堆放人自行清理完毕，现场已恢复通行。"],
            OnSpotResults: ["网格员现场联系堆放人，杂物已当场清走。"],
            WrongDepartment: Housing, WrongReason: "该处位于小区物业管理区域外的公共道路，属城管执法中队职责，请改派"),
        new("0805", 45, DemoPlace.Street,
            ["{at}有私家车长时间停在人行道上，车牌{plate}，行人无法通行。",
             "{at}路口转角处车辆违停，挡住了过往车辆的视线。"],
            ["交警中队已到场贴单处罚，并通知车主将车辆挪走。",
             "已联系车主移车，现场已恢复畅通，并建议增设禁停标志。"],
            WrongDepartment: Chengguan, WrongReason: "机动车违停属于交警中队职责，请改派交警中队"),
        new("0806", 40, DemoPlace.Street,
            ["{at}共享单车和电动车乱停放，约{b}辆，堵住了盲道。",
             "{at}地铁口周边非机动车停放杂乱，影响行人进出。"],
            ["已通知共享单车运维人员调度清运车辆{b}辆，并规范摆放其余车辆。"],
            OnSpotResults: ["网格员现场将单车摆放整齐，盲道已恢复畅通。"]),
        new("0807", 8, DemoPlace.Street,
            ["{at}夜间有人露天烧烤，油烟很大，周边居民不敢开窗。"],
            ["执法队员夜间到场劝离烧烤摊点，并暂扣烧烤工具。"]),
        // 公用设施、道路交通、市容环境设施、园林绿化（部件）
        new("0101", 6, DemoPlace.Component,
            ["{at}供水井盖破损，边缘翘起，行人容易绊倒。"],
            ["供水抢修中心已更换井盖，井盖与路面平齐。"],
            WrongDepartment: Municipal, WrongReason: "该井盖为供水管网井盖，属供水抢修中心管养，请改派"),
        new("0102", 10, DemoPlace.Component,
            ["{at}污水井盖松动移位，井口有污水冒溢，臭味很大。"],
            ["市政所已疏通管道并复位加固井盖，冒溢已停止。"],
            WrongDepartment: WaterSupply, WrongReason: "污水井盖不属于供水管网设施，请改派市政设施管理所"),
        new("0103", 12, DemoPlace.Component,
            ["{at}雨水井盖破损下陷，与路面高差约{a}厘米，车辆经过有异响。",
             "{at}雨水井盖缺失，井口敞开，夜里很危险。"],
            ["已设置警示围挡并更换新井盖，井盖与路面已平整。"]),
        new("0104", 10, DemoPlace.Component,
            ["{at}雨水箅子被落叶和垃圾堵住，下雨后路面积水。"],
            ["已清掏雨水箅子并疏通连接管，排水恢复正常。"]),
        new("0107", 25, DemoPlace.Component,
            ["{at}这一段连续{l}盏路灯晚上不亮，路上漆黑，居民夜间出行不便。",
             "{at}路灯灯杆被车撞歪，灯罩缺失。"],
            ["市政所已派维修班组更换灯具和线路，路灯恢复正常照明。",
             "已扶正并加固灯杆，更换了灯罩。"],
            WrongDepartment: PowerSupply, WrongReason: "路灯属市政设施管理所管养，不在供电抢修范围，请改派"),
        new("0108", 3, DemoPlace.Component,
            ["{at}室外消防栓漏水，周围还被杂物遮挡。"],
            ["供水抢修中心已维修消防栓，并清理周边杂物。"]),
        new("0109", 3, DemoPlace.Component,
            ["{at}户外配电箱箱门敞开，里面电线外露，旁边就是小孩玩耍的地方。"],
            ["供电抢修中心已修复箱门锁具，并做好防护。"]),
        new("0202", 4, DemoPlace.Component,
            ["{at}交通标志牌被树枝挡住，过往车辆看不清限速标志。"],
            ["交警中队已联系园林修剪遮挡树枝，并清洗了标志牌。"]),
        new("0203", 6, DemoPlace.Component,
            ["{at}道路隔离护栏被撞倒，约{a}米护栏倒向车行道。"],
            ["市政所已扶正并更换损坏的护栏。"]),
        new("0205", 5, DemoPlace.Component,
            ["{at}盲道砖松动缺失，盲道还被电线杆挡住。"],
            ["市政所已重新铺设盲道砖，并调整盲道走向。"]),
        new("0301", 10, DemoPlace.Component,
            ["{at}果皮箱箱体破损倾倒，垃圾散落一地。"],
            ["已更换新果皮箱，并清理周边垃圾。"]),
        new("0302", 25, DemoPlace.Component,
            ["{at}垃圾桶满溢，垃圾散落在桶外，周边有异味。",
             "{at}垃圾桶桶盖缺失、桶身破损，需要更换。"],
            ["环卫所已清运满溢垃圾，并更换了新垃圾桶。"]),
        new("0304", 8, DemoPlace.Component,
            ["{at}店招灯箱破损，部分字体脱落，有坠落风险。"],
            ["已督促商户对店招进行加固维修，破损字体已更换。"]),
        new("0401", 15, DemoPlace.Component,
            ["{at}行道树上有枯死的大树枝挂着，随时可能掉下来。",
             "{at}行道树树枝遮挡了交通信号灯。"],
            ["园林所已修剪断枝、清运枝叶，消除了安全隐患。"],
            WrongDepartment: Municipal, WrongReason: "行道树属园林绿化管理所管养，请改派"),
        new("0402", 10, DemoPlace.Street,
            ["{at}公共绿地被踩出一条小路，黄土裸露约{a}平方米。",
             "{at}绿地里被人开垦种菜，破坏了绿化。"],
            ["园林所已补植草坪，并设置了爱护绿地提示牌。"]),
        // 突发事件
        new("0901", 1, DemoPlace.Street,
            ["{at}路面出现塌陷坑洞，直径约1米，已有车辆险些陷入。"],
            ["已设置围挡警示，市政所完成塌陷回填并修复路面。"]),
        new("0902", 3, DemoPlace.Street,
            ["{at}地下供水管爆裂，路面冒水，周边居民停水。"],
            ["供水抢修中心已关阀抢修，更换破损管段，已恢复供水。"]),
        new("0903", 2, DemoPlace.Shop,
            ["{at}门口电线私拉乱接，插座冒烟有焦味。"],
            ["消防救援站到场处置，已断电并拆除私拉电线，未造成损失。"]),
        new("0905", 4, DemoPlace.Street,
            ["{at}暴雨后道路积水约{c}厘米深，有车辆熄火。"],
            ["市政所已启用移动泵车排水，积水已排除，并疏通了堵塞的雨水管道。"]),
        new("0906", 2, DemoPlace.Street,
            ["{at}一根电线断落垂到人行道上，还有火花。"],
            ["供电抢修中心已断电抢修，断落电线已重新架设。"]),
        // 矛盾纠纷
        new("1001", 25, DemoPlace.Home,
            ["{at}住户反映楼上邻居经常深夜走动、拖动家具，噪声大，多次沟通无果，双方发生争执。",
             "{at}两户居民因楼道堆物问题发生口角，请求社区调解。",
             "{at}楼上卫生间漏水到楼下，双方对维修费用分担有争议。"],
            ["网格员联合社区调解员上门调解，双方达成一致意见并签订调解协议。",
             "已组织双方当面沟通，楼上住户同意夜间注意减少噪声，当事人表示认可。"],
            Local: true, EscalateTo: Justice),
        new("1002", 6, DemoPlace.Home,
            ["{at}老人反映子女不履行赡养义务，要求社区协调。",
             "{at}夫妻经常争吵，邻居担心发生冲突。"],
            ["社区调解员上门调解，子女同意按月支付赡养费并轮流照顾老人。",
             "网格员和社区妇联主席上门劝解，双方情绪已平复，将持续关注。"],
            Local: true, EscalateTo: Justice),
        new("1003", 15, DemoPlace.Compound,
            ["{at}业主反映物业长期不清理楼道垃圾，电梯多次报修未修。",
             "{at}多户业主对物业费上涨有意见，要求物业公开收支情况。"],
            ["住建办约谈物业公司负责人，电梯已修复，物业承诺整改服务质量。",
             "已组织业主代表与物业公司座谈，物业将按季度公示收支情况。"],
            WhistleDepartments: [Justice]),
        new("1004", 5, DemoPlace.Shop,
            ["{at}{a}名员工反映被拖欠两个月工资，老板拒不支付。"],
            ["劳动保障事务所约谈用人单位，已督促足额支付拖欠工资。"],
            WhistleDepartments: [Justice]),
        new("1005", 5, DemoPlace.Home,
            ["{at}租户反映房东无故扣押押金，双方协商不成。"],
            ["司法所人民调解员组织调解，房东同意退还押金。"]),
        // 安全隐患
        new("1101", 18, DemoPlace.Compound,
            ["{at}消防通道被私家车长期占用，消防车无法通行。",
             "{at}楼道安全出口堆放杂物，防火门被常开。"],
            ["已联系车主挪车，并施划消防通道禁停标线，物业加强日常管理。",
             "已督促物业清理安全出口杂物，防火门恢复常闭。"],
            OnSpotResults: ["网格员现场联系车主挪车，消防通道已畅通。"],
            WhistleDepartments: [TrafficPolice]),
        new("1102", 6, DemoPlace.Shop,
            ["{at}餐饮店使用的燃气软管老化开裂，还没有安装燃气报警器。"],
            ["燃气抢修中心已上门更换燃气软管，并督促商户加装报警器。"],
            WhistleDepartments: [SafetySupervision, MarketRegulation]),
        new("1103", 22, DemoPlace.Stairwell,
            ["{at}有居民从楼上飞线给电动车充电。",
             "{at}停放多辆电动车并私拉电线充电，存在火灾隐患。"],
            ["已督促住户拆除飞线，电动车已移至小区集中充电点。"],
            OnSpotResults: ["网格员现场劝导住户拔除充电线，电动车已推出楼道。"]),
        new("1105", 6, DemoPlace.Shop,
            ["{at}店内违规存放多桶油漆、稀料等易燃物品。"],
            ["安监办检查后责令商户清理易燃物品，复查已整改到位。"],
            WhistleDepartments: [FireRescue]),
        new("1106", 5, DemoPlace.Shop,
            ["{at}后厨卫生脏乱，食材随意堆放在地上。"],
            ["市场监管所执法检查，责令停业整改，复查已合格。"]),
        new("1107", 8, DemoPlace.Compound,
            ["{at}外墙瓷砖有松动脱落迹象，下方是人行通道。",
             "{at}有住户在阳台外侧摆放花盆，有坠落风险。"],
            ["住建办联系维修单位拆除松动外墙砖，并设置临时防护。",
             "已上门劝导住户将花盆移回阳台内侧。"]),
        // 违章搭建
        new("1201", 10, DemoPlace.Compound,
            ["{at}一楼住户在院内私自搭建约{b}平方米的彩钢板房。",
             "{at}有住户正在楼顶搭建阳光房，已在施工。"],
            ["执法中队已下达责令停止违法行为通知书，当事人已自行拆除违建。"],
            WhistleDepartments: [Housing, PoliceStation]),
        new("1203", 6, DemoPlace.Compound,
            ["{at}有居民用栅栏圈占楼间空地种菜。",
             "{at}公共车位被人私自安装地锁。"],
            ["已督促当事人拆除栅栏和地锁，公共用地已恢复。"]),
        // 治安
        new("1302", 4, DemoPlace.Compound,
            ["{at}小区监控探头损坏多日，夜间照明也不足。"],
            ["派出所督促物业修复监控，并增设了照明。"]),
        new("1303", 6, DemoPlace.Home,
            ["{at}出租屋被隔成{l}间出租，住了十几个人，进出人员复杂。"],
            ["派出所联合社区核查，房东已拆除隔断，租住人员均已登记。"],
            WhistleDepartments: [Housing, FireRescue]),
        // 民生诉求
        new("1401", 6, DemoPlace.Home,
            ["{at}居民因病致贫，家庭生活困难，申请临时救助。"],
            ["民政科已上门核实情况，临时救助金已发放到位。"]),
        new("1403", 8, DemoPlace.Home,
            ["{at}独居老人行动不便，希望社区提供助餐服务。",
             "{at}高龄独居老人多日未出门，邻居担心其安全。"],
            ["民政科联系居家养老服务中心为老人开通助餐服务，并安排志愿者定期探访。",
             "社区工作人员已上门探望，老人身体无碍，已纳入每日电话问候名单。"]),
        new("1404", 8, DemoPlace.Home,
            ["{at}居民咨询城乡居民医保缴费和报销政策。",
             "{at}居民咨询新生儿落户需要准备哪些材料。"],
            ["已电话回复居民相关政策和办理流程，居民表示清楚。"],
            Local: true),
        new("1406", 6, DemoPlace.Compound,
            ["居民建议在{at}增设休闲座椅和健身器材。"],
            ["信访办已将建议转交相关部门研究，并已向居民答复。"]),
    ];

    public static readonly string[] RejectReasons =
    [
        "经现场核实，问题已由权属单位自行处理完毕，不予立案",
        "上报位置不在本街道管辖范围内，已告知上报人向属地反映",
        "问题描述不清，且多次联系上报人未果，无法核实",
        "属于私人财产民事纠纷，已告知上报人通过法律途径解决",
        "经核实不符合该类别立案标准，已向上报人解释说明",
    ];

    public static readonly string[] VoidReasons =
    [
        "上报人主动撤回诉求",
        "同一事项被重复录入，作废本条",
        "经核实为误报，现场无此问题",
    ];

    public static readonly string[] ReworkReasons =
    [
        "现场复核仍有部分问题未处理到位，请彻底整改",
        "复查时发现问题反弹，请加强处置并巩固效果",
        "反馈照片与现场情况不符，请重新处置并上传照片",
        "只做了临时处置，未彻底整改，请重新处理",
    ];

    /// <summary>未能按期说明 of a late feedback.</summary>
    public static readonly string[] LateExplanations =
    [
        "需协调产权单位到场，等待对方安排时间",
        "处置需要的材料和车辆调配延误",
        "连续降雨无法施工，天晴后立即完成",
        "当事人多次联系不上，入户核实耗时较长",
    ];

    public static readonly string[] DissatisfiedComments =
    [
        "处理速度太慢",
        "问题没有彻底解决，第二天又出现了",
        "处理完没有人跟我联系说明情况",
    ];

    public static readonly string[] SatisfiedComments =
    [
        "处理很及时，谢谢",
        "网格员态度很好",
        "问题解决了，满意",
    ];

    public static readonly string[] SupervisionNotes =
    [
        "该案件已超期，请承办部门于今日内处置完毕并反馈结果",
        "群众反映强烈，请加快处置进度，明日上午前反馈",
        "请部门主要负责人亲自过问，限期办结",
    ];

    public static readonly string[] WhistleResponses =
    [
        "已派员到场，会同网格开展联合处置",
        "已安排执法人员现场核查，配合做好后续工作",
        "已到场报到，将按职责落实整改措施",
    ];

    public static readonly string[] VerifyNotes =
    [
        "现场核查，问题已解决",
        "电话回访上报人，确认已处理到位",
        "复查现场，已整改到位",
    ];

    public static readonly string[] EscalateReasons =
    [
        "当事人分歧较大，网格调解未果，需专业调解力量介入",
        "涉及多户居民，网格层面无法处置，提请上级协调",
    ];
}
