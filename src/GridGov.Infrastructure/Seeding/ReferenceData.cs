using GridGov.Domain.Categories;
using GridGov.Domain.Organisation;

namespace GridGov.Infrastructure.Seeding;

/// <summary>A department shipped with GridGov. Codes are the uppercase pinyin initials of the short name (城管中队 → CGZD).</summary>
public sealed record DepartmentSeed(string Code, string Name, DepartmentLevel Level, string? DutyPhone);

/// <summary>A major class (大类) of the default taxonomy with its minor classes.</summary>
public sealed record MajorSeed(string Code, string Name, CategoryKind Kind, IReadOnlyList<MinorSeed> Minors);

/// <summary>A minor class (小类): filing standard (立案标准), default department (定责) and time limits (限时办结).</summary>
public sealed record MinorSeed(string Code, string Name, string FilingStandard, string DepartmentCode, StageLimits Limits);

/// <summary>A day that departs from the ordinary week: a public holiday or an adjusted working day (调休上班).</summary>
public sealed record CalendarDaySeed(DateOnly Date, bool IsWorkingDay, string Name);

/// <summary>
/// GridGov's shipped default reference data: departments, the case taxonomy and the 2026 working
/// calendar. The seeder turns these into entities once; afterwards an administrator edits them in
/// the database. Department phone numbers are fictional.
/// </summary>
public static class ReferenceData
{
    // Department codes (uppercase pinyin initials of the short name).
    public const string Chengguan = "CGZD";       // 城管执法中队
    public const string Municipal = "SZS";        // 市政所
    public const string Landscaping = "YLS";      // 园林所
    public const string SafetySupervision = "AJB"; // 安监办
    public const string Comprehensive = "ZZZX";   // 综治中心
    public const string CivilAffairs = "MZK";     // 民政科
    public const string Housing = "ZJB";          // 住建办
    public const string MarketRegulation = "SCJGS"; // 市场监管所
    public const string PoliceStation = "PCS";    // 派出所
    public const string Community = "SQJWH";      // 社区居委会
    public const string Sanitation = "HWS";       // 环卫所
    public const string TrafficPolice = "JJZD";   // 交警中队
    public const string WaterSupply = "GSQX";     // 供水抢修中心
    public const string PowerSupply = "GDQX";     // 供电抢修中心
    public const string Gas = "RQQX";             // 燃气抢修中心
    public const string Petitions = "XFB";        // 信访办
    public const string FireRescue = "XFJYZ";     // 消防救援站
    public const string Justice = "SFS";          // 司法所
    public const string LabourSecurity = "LBS";   // 劳保所
    public const string GridCenter = "WGZX";      // 网格中心

    public static IReadOnlyList<DepartmentSeed> Departments { get; } =
    [
        new(Chengguan, "城管执法中队（综合行政执法）", DepartmentLevel.Street, "0512-65231101"),
        new(Municipal, "市政设施管理所", DepartmentLevel.District, "0512-65231102"),
        new(Landscaping, "园林绿化管理所", DepartmentLevel.District, "0512-65231103"),
        new(SafetySupervision, "应急管理和安监办公室", DepartmentLevel.Street, "0512-65231104"),
        new(Comprehensive, "综治中心（平安办）", DepartmentLevel.Street, "0512-65231105"),
        new(CivilAffairs, "民政和社会事务科", DepartmentLevel.Street, "0512-65231106"),
        new(Housing, "住建管理办公室（房屋安全与物业）", DepartmentLevel.Street, "0512-65231107"),
        new(MarketRegulation, "市场监管所", DepartmentLevel.District, "0512-65231108"),
        new(PoliceStation, "公安派出所", DepartmentLevel.District, "0512-65231110"),
        // A generic target for community-level handling; each community's own number is on the community.
        new(Community, "社区居委会", DepartmentLevel.Community, null),
        new(Sanitation, "环境卫生管理所", DepartmentLevel.District, "0512-65231112"),
        new(TrafficPolice, "交警中队（交通管理）", DepartmentLevel.District, "0512-65231113"),
        new(WaterSupply, "供水抢修中心", DepartmentLevel.District, "0512-65231114"),
        new(PowerSupply, "供电抢修中心", DepartmentLevel.District, "0512-65231115"),
        new(Gas, "燃气抢修中心", DepartmentLevel.District, "0512-65231116"),
        new(Petitions, "信访办公室", DepartmentLevel.Street, "0512-65231117"),
        new(FireRescue, "消防救援站", DepartmentLevel.District, "0512-65231118"),
        new(Justice, "司法所（人民调解）", DepartmentLevel.District, "0512-65231119"),
        new(LabourSecurity, "劳动保障事务所", DepartmentLevel.Street, "0512-65231120"),
        new(GridCenter, "网格化服务管理中心", DepartmentLevel.Street, "0512-65231100"),
    ];

    /// <summary>
    /// The default taxonomy: 01–04 components (部件, the 2-digit codes match the component ledger's
    /// major classes, and 0101 is the water-supply manhole cover as in the component code), 05–09
    /// events (事件), 10–14 social-governance matters (社会治理事项).
    /// </summary>
    public static IReadOnlyList<MajorSeed> Taxonomy { get; } =
    [
        new("01", "公用设施", CategoryKind.Component,
        [
            new("0101", "上水井盖", "供水井盖丢失、破损、移位，或与路面高差超过2厘米；井盖已由权属单位修复的不予立案", WaterSupply, Safety(TimeLimit.Days(1), TimeLimit.Hours(2))),
            new("0102", "污水井盖", "污水井盖丢失、破损、移位，或与路面高差超过2厘米；井口冒溢污水的同时立案", Municipal, Safety(TimeLimit.Days(1), TimeLimit.Hours(2))),
            new("0103", "雨水井盖", "雨水井盖丢失、破损、移位，或与路面高差超过2厘米；井盖已由权属单位修复的不予立案", Municipal, Safety(TimeLimit.Days(1), TimeLimit.Hours(2))),
            new("0104", "雨水箅子", "雨水箅子丢失、破损、被堵塞或被覆盖，影响排水或与路面高差超过2厘米", Municipal, Normal(TimeLimit.Days(1), TimeLimit.Hours(4))),
            new("0105", "电力井盖", "电力井盖丢失、破损、移位，或与路面高差超过2厘米", PowerSupply, Safety(TimeLimit.Days(1), TimeLimit.Hours(2))),
            new("0106", "燃气井盖", "燃气井盖、阀门井盖丢失、破损、移位，或与路面高差超过2厘米；伴有燃气异味的按燃气泄漏立案", Gas, Safety(TimeLimit.Days(1), TimeLimit.Hours(2))),
            new("0107", "路灯", "路灯灯杆倾斜、破损、灯具缺失，或亮灯时段同一路段连续3盏及以上不亮；单盏不亮的记录后集中维修", Municipal, Normal(TimeLimit.Days(1), TimeLimit.Hours(4))),
            new("0108", "消防栓", "室外消防栓损坏、漏水、缺失部件，或被圈占、遮挡、埋压，影响正常取水", WaterSupply, Normal(TimeLimit.Days(1), TimeLimit.Hours(4))),
            new("0109", "配电箱", "户外配电箱、变电箱箱门敞开、锁具损坏或外壳破损，带电部件外露", PowerSupply, Safety(TimeLimit.Hours(4), TimeLimit.Hours(1))),
        ]),
        new("02", "道路交通", CategoryKind.Component,
        [
            new("0201", "交通信号灯", "交通信号灯不亮、灯色错乱、倒计时故障，或灯杆倾斜、灯头缺失", TrafficPolice, Safety(TimeLimit.Hours(4), TimeLimit.Hours(1))),
            new("0202", "交通标志牌", "交通标志牌缺失、倒伏、破损、被遮挡，或指示内容错误、难以辨认", TrafficPolice, Normal(TimeLimit.Days(2), TimeLimit.Hours(4))),
            new("0203", "护栏", "道路隔离护栏、人行道护栏倾倒、断裂、变形侵入通行区域，或连续缺失2米以上", Municipal, Normal(TimeLimit.Days(2), TimeLimit.Hours(4))),
            new("0204", "公交站亭", "公交站亭顶棚、座椅、灯箱破损，玻璃碎裂，或站牌缺失、信息错误", Municipal, Normal(TimeLimit.Days(3), TimeLimit.Days(1))),
            new("0205", "盲道", "盲道砖松动、缺失、破损，或盲道被设施阻断、走向错误", Municipal, Normal(TimeLimit.Days(3), TimeLimit.Days(1))),
        ]),
        new("03", "市容环境设施", CategoryKind.Component,
        [
            new("0301", "果皮箱", "果皮箱破损、缺失、倾倒、箱体明显污损，或箱内垃圾满溢", Sanitation, Normal(TimeLimit.Days(1), TimeLimit.Hours(4))),
            new("0302", "垃圾桶", "垃圾桶（箱）破损、缺失、未加盖，或垃圾满溢出桶外", Sanitation, Normal(TimeLimit.Hours(4), TimeLimit.Hours(2))),
            new("0303", "公共厕所", "公厕设施损坏无法正常使用，卫生脏乱、异味明显，或开放时间内无故关闭", Sanitation, Normal(TimeLimit.Days(1), TimeLimit.Hours(4))),
            new("0304", "广告牌匾", "广告牌、店招、灯箱破损、字体残缺、夜间灯光残缺，或松动有坠落风险（有坠落风险的按紧急处理）", Chengguan, Normal(TimeLimit.Days(3), TimeLimit.Hours(4))),
        ]),
        new("04", "园林绿化", CategoryKind.Component,
        [
            new("0401", "行道树", "行道树倒伏、断枝、枯死，树枝遮挡交通信号灯或标志，或树穴箅子缺失、破损", Landscaping, Normal(TimeLimit.Days(2), TimeLimit.Hours(4))),
            new("0402", "绿地", "公共绿地黄土裸露单处超过1平方米，被踩踏毁损、被占用或堆放杂物", Landscaping, Normal(TimeLimit.Days(3), TimeLimit.Days(1))),
            new("0403", "绿化护栏", "绿地护栏倾倒、断裂，或连续缺失1米以上", Landscaping, Normal(TimeLimit.Days(3), TimeLimit.Days(1))),
            new("0404", "花坛花箱", "花坛、花箱破损、缺失，或植物枯死、缺株面积超过30%", Landscaping, Normal(TimeLimit.Days(3), TimeLimit.Days(1))),
        ]),
        new("05", "市容环境", CategoryKind.Event,
        [
            new("0501", "暴露垃圾", "道路、广场等公共区域可见的散落垃圾面积超过1平方米或累计超过3处；垃圾已清运的不予立案", Sanitation, Normal(TimeLimit.Days(1), TimeLimit.Hours(4))),
            new("0502", "积存垃圾渣土", "公共区域积存生活垃圾、建筑垃圾或渣土，体积超过0.5立方米或堆放超过24小时；已清运的不予立案", Sanitation, Normal(TimeLimit.Days(2), TimeLimit.Hours(4))),
            new("0503", "道路不洁", "车行道、人行道有明显泥沙、油污、污渍或垃圾，连续面积超过5平方米", Sanitation, Normal(TimeLimit.Days(1), TimeLimit.Hours(4))),
            new("0504", "水域不洁", "河道、景观水体水面漂浮垃圾、油污面积超过1平方米，或岸边堆积垃圾", Municipal, Normal(TimeLimit.Days(1), TimeLimit.Hours(4))),
            new("0505", "违规焚烧", "露天焚烧垃圾、树叶、杂物等产生明显烟雾；火势危及周边的按火灾隐患立案", Chengguan, Safety(TimeLimit.Hours(2), TimeLimit.Hours(1))),
            new("0506", "动物尸体", "道路、绿地、水域等公共区域发现动物尸体", Sanitation, Normal(TimeLimit.Hours(4), TimeLimit.Hours(2))),
        ]),
        new("06", "宣传广告", CategoryKind.Event,
        [
            new("0601", "违规户外广告", "未经审批设置，或超出审批期限、范围设置的户外广告、招牌、横幅、标语；依法审批且在有效期内的不予立案", Chengguan, Normal(TimeLimit.Days(5), TimeLimit.Days(1))),
            new("0602", "非法小广告", "在建筑物、道路设施、树木等处张贴、涂写、刻画、喷涂小广告，同一处超过3张（处）", Chengguan, Normal(TimeLimit.Days(1), TimeLimit.Hours(4))),
            new("0603", "占道广告牌", "在道路、人行道上摆放立式广告牌、落地灯箱、充气拱门等，占用公共通行区域", Chengguan, Normal(TimeLimit.Days(1), TimeLimit.Hours(4))),
            new("0604", "破损横幅标语", "过期、破损、脱落的宣传横幅、标语、布标、道旗", Chengguan, Normal(TimeLimit.Days(2), TimeLimit.Days(1))),
        ]),
        new("07", "施工管理", CategoryKind.Event,
        [
            new("0701", "施工扰民", "居民区周边夜间（22时至次日6时）未经许可施工产生噪声，或日间施工噪声、振动明显影响居民正常生活", Chengguan, Normal(TimeLimit.Hours(4), TimeLimit.Hours(1))),
            new("0702", "道路破损", "车行道、人行道出现坑槽、沉陷、拱起、松动，面积超过0.5平方米或深度超过3厘米", Municipal, Normal(TimeLimit.Days(3), TimeLimit.Hours(4))),
            new("0703", "道路挖掘", "未经许可挖掘道路，超出许可范围、期限挖掘，或挖掘后未按要求恢复路面", Municipal, Normal(TimeLimit.Days(3), TimeLimit.Hours(4))),
            new("0704", "施工围挡", "施工工地围挡缺失、破损、倾斜，或在围挡外堆放材料、设备", Housing, Normal(TimeLimit.Days(2), TimeLimit.Hours(4))),
            new("0705", "工地扬尘", "施工工地未采取覆盖、洒水等防尘措施产生明显扬尘，或车辆带泥上路、渣土遗撒", Chengguan, Normal(TimeLimit.Hours(4), TimeLimit.Hours(2))),
        ]),
        new("08", "街面秩序", CategoryKind.Event,
        [
            new("0801", "占道经营", "在道路、广场、人行道等公共区域摆摊设点、占道经营；在批准的临时摊点区域和时段内经营的不予立案", Chengguan, Normal(TimeLimit.Hours(4), TimeLimit.Hours(1))),
            new("0802", "无照经营游商", "流动摊贩在道路、桥梁、公共场所无照兜售商品或提供服务", Chengguan, Normal(TimeLimit.Hours(4), TimeLimit.Hours(1))),
            new("0803", "店外经营", "沿街商铺超出门窗、外墙摆放商品、设施或从事加工、维修、经营活动，超出门窗1米以上", Chengguan, Normal(TimeLimit.Days(1), TimeLimit.Hours(4))),
            new("0804", "乱堆物堆料", "在道路、绿地、楼道等公共区域堆放物品、材料，占地超过1平方米或影响通行", Chengguan, Normal(TimeLimit.Days(1), TimeLimit.Hours(4))),
            new("0805", "机动车乱停放", "机动车在禁停路段、人行道、盲道、消防通道等处停放，或停放阻碍通行", TrafficPolice, Normal(TimeLimit.Hours(2), TimeLimit.Hours(1))),
            new("0806", "非机动车乱停放", "非机动车、共享单车在非停放区域停放，堵塞人行道、盲道或出入口，同一处超过5辆", Chengguan, Normal(TimeLimit.Hours(4), TimeLimit.Hours(2))),
            new("0807", "露天烧烤", "在公共区域露天烧烤食品，或在非指定区域设置烧烤摊点", Chengguan, Normal(TimeLimit.Hours(2), TimeLimit.Hours(1))),
        ]),
        new("09", "突发事件", CategoryKind.Event,
        [
            new("0901", "路面塌陷", "道路、人行道出现塌陷、空洞，或明显下沉危及车辆、行人安全；须立即设置警示并报告", Municipal, Emergency(TimeLimit.Hours(2), TimeLimit.Hours(1))),
            new("0902", "水管爆裂", "供水管道爆裂、漏水，致路面冒水、积水或周边停水", WaterSupply, Emergency(TimeLimit.Hours(2), TimeLimit.Hours(1))),
            new("0903", "火灾隐患", "公共区域发现冒烟、明火，电线私拉乱接打火，或易燃物堆放紧邻火源；已起火的同时拨打119", FireRescue, Emergency(TimeLimit.Hours(1), TimeLimit.Minutes(30))),
            new("0904", "燃气泄漏", "闻到明显燃气异味，或燃气管道、设施破损泄漏", Gas, Emergency(TimeLimit.Hours(1), TimeLimit.Minutes(30))),
            new("0905", "道路积水", "降雨后道路积水深度超过15厘米或积水面积超过50平方米，影响通行", Municipal, Emergency(TimeLimit.Hours(2), TimeLimit.Hours(1))),
            new("0906", "电线断落", "电线、电缆断落、垂落，或电力设施冒火花，危及人身安全", PowerSupply, Emergency(TimeLimit.Hours(1), TimeLimit.Minutes(30))),
        ]),
        new("10", "矛盾纠纷", CategoryKind.Governance,
        [
            new("1001", "邻里纠纷", "相邻居民因噪声、漏水、通行、采光、占用公共部位等引发争执，当事人求助或经网格员排查发现", Community, Governance(TimeLimit.Days(5), TimeLimit.Days(1))),
            new("1002", "家庭纠纷", "婚姻、赡养、抚养、继承等家庭矛盾，当事人求助或有激化苗头；涉及家庭暴力的同时报派出所", Community, Governance(TimeLimit.Days(5), TimeLimit.Hours(4))),
            new("1003", "物业纠纷", "业主与物业服务企业因收费、服务质量、公共设施维修等发生争议，涉及3户以上或由业主委员会提出", Housing, Governance(TimeLimit.Days(10), TimeLimit.Days(3))),
            new("1004", "劳资纠纷", "用人单位拖欠工资、未签劳动合同或违法解除劳动关系，劳动者求助；10人以上群体性欠薪按紧急处理", LabourSecurity, Governance(TimeLimit.Days(5), TimeLimit.Days(1))),
            new("1005", "租赁纠纷", "出租人与承租人因租金、押金、房屋使用等发生争执，当事人申请调解", Justice, Governance(TimeLimit.Days(5), TimeLimit.Days(2))),
            new("1006", "消费纠纷", "消费者与经营者因商品质量、价格、退换货、预付卡等发生争议", MarketRegulation, Governance(TimeLimit.Days(5), TimeLimit.Days(2))),
        ]),
        new("11", "安全隐患", CategoryKind.Governance,
        [
            new("1101", "消防通道堵塞", "小区、楼道消防通道、安全出口被车辆、杂物占用堵塞，或常闭式防火门损坏、被常开", FireRescue, Governance(TimeLimit.Days(1), TimeLimit.Hours(2))),
            new("1102", "燃气隐患", "燃气软管老化、私接燃气管道、餐饮场所未安装燃气报警装置，或在地下室、高层住宅违规使用瓶装液化气", Gas, Governance(TimeLimit.Days(1), TimeLimit.Hours(2))),
            new("1103", "电动车违规充电", "在楼道、门厅、安全出口等公共区域停放电动自行车或充电，或从住宅飞线充电", SafetySupervision, Governance(TimeLimit.Days(1), TimeLimit.Hours(2))),
            new("1104", "危房", "房屋墙体开裂、倾斜、地基沉降或承重构件损坏，存在倒塌风险；须先撤离人员并设置警示", Housing, Governance(TimeLimit.Days(3), TimeLimit.Hours(4))),
            new("1105", "生产经营安全隐患", "企业、门店及“九小”场所违规存放危险化学品、安全设施缺失、无证从事特种作业等", SafetySupervision, Governance(TimeLimit.Days(5), TimeLimit.Days(1))),
            new("1106", "食品安全隐患", "餐饮、食品经营者无证经营，销售过期变质食品，或加工场所卫生严重脏乱", MarketRegulation, Governance(TimeLimit.Days(3), TimeLimit.Days(1))),
            new("1107", "高空坠物隐患", "建筑外墙饰面脱落、窗户松动、空调外机支架锈蚀、阳台外侧堆放物品等有坠落风险", Housing, Governance(TimeLimit.Days(1), TimeLimit.Hours(2))),
        ]),
        new("12", "违章搭建", CategoryKind.Governance,
        [
            new("1201", "违法建设", "未取得规划许可或未按许可内容新建、扩建、改建的建筑物、构筑物；在建的须于4个工作时内制止施工", Chengguan, Governance(TimeLimit.Days(15), TimeLimit.Hours(4))),
            new("1202", "屋顶加层", "在楼房屋顶擅自搭建房屋、阁楼、棚架或加层；在建的须于4个工作时内制止施工", Chengguan, Governance(TimeLimit.Days(15), TimeLimit.Hours(4))),
            new("1203", "圈占公共用地", "擅自圈占绿地、道路、楼间空地等公共用地，设置围栏、地锁或开垦菜地", Chengguan, Governance(TimeLimit.Days(10), TimeLimit.Days(1))),
            new("1204", "擅改房屋结构", "擅自拆改承重墙、扩大门窗洞口、开挖地下室等，影响房屋结构安全", Housing, Governance(TimeLimit.Days(5), TimeLimit.Hours(4))),
        ]),
        new("13", "治安", CategoryKind.Governance,
        [
            new("1301", "可疑人员", "发现形迹可疑、疑似从事违法犯罪活动的人员，或不明身份人员长期滞留；正在发生的违法犯罪同时拨打110", PoliceStation, Emergency(TimeLimit.Hours(2), TimeLimit.Minutes(30), TimeLimit.Hours(2))),
            new("1302", "治安隐患", "公共区域监控、照明缺失形成治安盲区，门禁损坏，或出租房屋、娱乐场所存在治安隐患", PoliceStation, Governance(TimeLimit.Days(3), TimeLimit.Hours(4))),
            new("1303", "群租房", "出租房屋分割隔断出租、人均居住面积过小，或流动人口未登记", PoliceStation, Governance(TimeLimit.Days(5), TimeLimit.Days(1))),
            new("1304", "重点人员异常", "社区矫正、精神障碍等重点人员失联、行为异常或有肇事肇祸倾向", Comprehensive, Emergency(TimeLimit.Hours(4), TimeLimit.Hours(1), TimeLimit.Hours(2))),
            new("1305", "群体性事件苗头", "10人以上因同一诉求聚集，或扬言集体上访、聚集的苗头性信息", Petitions, Emergency(TimeLimit.Hours(2), TimeLimit.Hours(1), TimeLimit.Hours(2))),
        ]),
        new("14", "民生诉求", CategoryKind.Governance,
        [
            new("1401", "困难救助", "居民因病、因灾、失业等导致基本生活困难，申请低保、特困供养、临时救助或需要帮扶", CivilAffairs, Governance(TimeLimit.Days(5), TimeLimit.Days(1))),
            new("1402", "就业求助", "失业人员、就业困难人员、高校毕业生等提出就业登记、技能培训或岗位推荐需求", LabourSecurity, Governance(TimeLimit.Days(5), TimeLimit.Days(2))),
            new("1403", "养老服务", "独居、空巢、失能老人需要助餐、助洁、助医、上门探访等服务，或发现老人无人照料", CivilAffairs, Governance(TimeLimit.Days(3), TimeLimit.Hours(4))),
            new("1404", "政策咨询", "居民咨询社保、医保、户籍、住房、救助等政策及办事流程", GridCenter, Governance(TimeLimit.Days(2), TimeLimit.Days(1))),
            new("1405", "残疾人帮扶", "残疾人提出辅具适配、康复服务、补贴办理等需求", CivilAffairs, Governance(TimeLimit.Days(5), TimeLimit.Days(2))),
            new("1406", "意见建议", "居民对社区治理、公共服务提出意见建议，或反映不属于其他小类的诉求", Petitions, Governance(TimeLimit.Days(10), TimeLimit.Days(3))),
        ]),
    ];

    /// <summary>
    /// 2026 public holidays and adjusted working days (国务院办公厅通知, 2025-11-04): the holiday days that fall
    /// on a weekday and the weekend days worked, the only days that differ from the ordinary week (a
    /// <see cref="Domain.Calendar.CalendarDay"/> refuses a holiday on a weekend).
    /// </summary>
    public static IReadOnlyList<CalendarDaySeed> Calendar2026 { get; } =
    [
        .. Holiday(new DateOnly(2026, 1, 1), 3, "元旦"),
        Workday(new DateOnly(2026, 1, 4), "元旦调休上班"),
        Workday(new DateOnly(2026, 2, 14), "春节调休上班"),
        .. Holiday(new DateOnly(2026, 2, 15), 9, "春节"),
        Workday(new DateOnly(2026, 2, 28), "春节调休上班"),
        .. Holiday(new DateOnly(2026, 4, 4), 3, "清明节"),
        .. Holiday(new DateOnly(2026, 5, 1), 5, "劳动节"),
        Workday(new DateOnly(2026, 5, 9), "劳动节调休上班"),
        .. Holiday(new DateOnly(2026, 6, 19), 3, "端午节"),
        Workday(new DateOnly(2026, 9, 20), "国庆节调休上班"),
        .. Holiday(new DateOnly(2026, 9, 25), 3, "中秋节"),
        .. Holiday(new DateOnly(2026, 10, 1), 7, "国庆节"),
        Workday(new DateOnly(2026, 10, 10), "国庆节调休上班"),
    ];

    /// <summary>Ordinary matters: register and dispatch within 30 minutes, verify within 1 working hour.</summary>
    private static StageLimits Normal(TimeLimit handle, TimeLimit urgentHandle) =>
        new(TimeLimit.Minutes(30), TimeLimit.Minutes(30), handle, TimeLimit.Hours(1), urgentHandle);

    /// <summary>Hazards to passers-by (missing covers, exposed live parts): dispatched within 10 minutes.</summary>
    private static StageLimits Safety(TimeLimit handle, TimeLimit urgentHandle) =>
        new(TimeLimit.Minutes(30), TimeLimit.Minutes(10), handle, TimeLimit.Hours(1), urgentHandle);

    /// <summary>Emergencies (突发性): register and dispatch within 10 minutes each, handled within hours.</summary>
    private static StageLimits Emergency(TimeLimit handle, TimeLimit urgentHandle, TimeLimit? verify = null) =>
        new(TimeLimit.Minutes(10), TimeLimit.Minutes(10), handle, verify ?? TimeLimit.Hours(1), urgentHandle);

    /// <summary>Social-governance matters: verification needs a visit or a call to the parties, so 2 working hours.</summary>
    private static StageLimits Governance(TimeLimit handle, TimeLimit urgentHandle) =>
        new(TimeLimit.Minutes(30), TimeLimit.Minutes(30), handle, TimeLimit.Hours(2), urgentHandle);

    private static CalendarDaySeed Workday(DateOnly date, string name) => new(date, true, name);

    /// <summary>The holiday's days from Monday to Friday.</summary>
    private static IEnumerable<CalendarDaySeed> Holiday(DateOnly first, int days, string name) =>
        Enumerable.Range(0, days).Select(first.AddDays)
            .Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            .Select(d => new CalendarDaySeed(d, false, name));
}
