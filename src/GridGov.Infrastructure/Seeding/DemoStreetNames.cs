using GridGov.Domain.Ledgers;

namespace GridGov.Infrastructure.Seeding;

/// <summary>
/// Word lists for the demo street: people's names by generation, place names in the style of
/// Suzhou's old city, shop and organisation names. All combinations are fictional.
/// </summary>
internal static class DemoStreetNames
{
    public const string StreetName = "云帆街道";
    public const string DivisionName = "苏州市姑苏区";
    public const string CountyCode = "320508";  // 姑苏区 (GB/T 2260)
    public const int StreetSequence = 21;      // → street code 320508021

    /// <summary>Common surnames with rough weights (per mille); the Jiangnan ones (陆, 顾, 沈, 钱…) a little heavier.</summary>
    private static readonly (string Surname, int Weight)[] Surnames =
    [
        ("王", 60), ("李", 55), ("张", 55), ("陈", 50), ("刘", 40), ("周", 35), ("徐", 35), ("吴", 35), ("朱", 30),
        ("杨", 28), ("沈", 26), ("陆", 25), ("顾", 24), ("钱", 20), ("黄", 20), ("赵", 20), ("孙", 20), ("胡", 16),
        ("蒋", 16), ("许", 15), ("金", 14), ("马", 13), ("高", 13), ("郭", 12), ("何", 12), ("林", 12), ("姚", 12),
        ("汤", 10), ("邹", 10), ("曹", 10), ("潘", 10), ("范", 10), ("袁", 10), ("唐", 10), ("韩", 9), ("冯", 9),
        ("程", 9), ("蔡", 9), ("戴", 9), ("严", 9), ("叶", 9), ("郑", 9), ("宋", 8), ("谢", 8), ("梁", 7), ("邵", 8),
        ("丁", 8), ("薛", 7), ("倪", 7), ("俞", 7), ("任", 6), ("施", 7), ("秦", 6), ("殷", 5), ("吕", 6), ("谈", 4),
        ("华", 5), ("浦", 4), ("缪", 4), ("葛", 5), ("夏", 6), ("卢", 5), ("魏", 5), ("彭", 5), ("曾", 4), ("萧", 4),
        ("田", 5), ("董", 6), ("杜", 5), ("方", 5), ("石", 5), ("邱", 5), ("贾", 4), ("江", 5), ("尹", 4), ("龚", 5),
        ("陶", 5), ("汪", 5), ("毛", 5), ("盛", 4), ("管", 4), ("费", 4), ("翁", 4), ("祁", 3), ("柏", 3), ("贝", 2),
    ];

    private static readonly int[] SurnameCumulativeWeights = Cumulative(Surnames.Select(s => s.Weight));

    // Given names follow the fashion of each generation; several single-character names, as is common.
    private static readonly string[] MaleElderNames =
    [
        "建国", "建华", "国华", "国强", "国庆", "德明", "德华", "志明", "志强", "振华", "振国", "福生", "根生", "金荣", "金龙",
        "荣根", "永康", "永明", "长林", "雪根", "培元", "伯平", "仁杰", "树德", "卫东", "文彬", "海林", "兴华", "敏德", "秀峰",
        "耀祖", "阿荣", "炳荣", "福林", "泉生",
    ];
    private static readonly string[] FemaleElderNames =
    [
        "秀英", "桂英", "玉兰", "凤英", "秀珍", "淑珍", "美华", "月娥", "菊芬", "雪珍", "彩英", "金妹", "林娣", "素琴", "惠英",
        "丽娟", "爱华", "秀兰", "玉珍", "桂芳", "巧英", "杏娣", "宝娣", "根娣", "慧珍", "美娟", "佩芬", "雅琴", "阿珍", "凤珍",
    ];
    private static readonly string[] MaleMiddleNames =
    [
        "伟", "军", "勇", "强", "磊", "斌", "涛", "杰", "明", "刚", "平", "健", "峰", "辉", "建军", "建平", "海涛", "晓东", "卫国",
        "志刚", "文杰", "红军", "永刚", "俊", "宏", "亮", "鹏", "华", "立新", "新华", "建明", "国平", "晓峰", "雪峰", "春华",
    ];
    private static readonly string[] FemaleMiddleNames =
    [
        "敏", "静", "丽", "燕", "芳", "红", "娟", "霞", "萍", "琴", "英", "玲", "洁", "慧", "艳", "红梅", "丽华", "晓燕", "雪梅",
        "海燕", "春燕", "美玲", "秀梅", "晓红", "丽萍", "建英", "文娟", "亚萍", "卫红", "晓梅", "雅芬", "丽芳", "金凤",
    ];
    private static readonly string[] MaleYoungNames =
    [
        "浩", "宇", "晨", "俊杰", "浩然", "子豪", "家豪", "天宇", "文博", "宇航", "思远", "志豪", "一鸣", "嘉伟", "晨阳", "俊豪",
        "博文", "明轩", "子健", "昊天", "凯", "鹏飞", "振宇", "旭东", "伟杰", "俊宇", "嘉诚", "泽宇", "逸凡", "皓", "超",
    ];
    private static readonly string[] FemaleYoungNames =
    [
        "婷", "倩", "颖", "雪", "琳", "佳怡", "欣怡", "思雨", "诗琪", "雨婷", "晓雯", "梦瑶", "佳琪", "雨欣", "婧", "静怡", "雅婷",
        "文静", "心怡", "可欣", "嘉怡", "晓琳", "梦婷", "婉婷", "思琪", "佳慧", "丹妮", "怡然", "露", "璐", "蕾",
    ];
    private static readonly string[] MaleChildNames =
    [
        "子轩", "浩宇", "宇轩", "梓睿", "一诺", "皓轩", "沐宸", "俊熙", "睿泽", "子墨", "奕辰", "铭泽", "宇辰", "煜祺", "梓豪",
        "思源", "辰逸", "明哲", "承泽", "锦程", "彦博", "逸飞", "博涵", "天佑", "泽楷", "宥辰", "景行", "文轩", "嘉树", "亦凡",
    ];
    private static readonly string[] FemaleChildNames =
    [
        "梓涵", "欣妍", "一诺", "雨桐", "可馨", "诗涵", "子涵", "若汐", "语桐", "芷若", "梓萱", "思彤", "欣悦", "一涵", "安琪",
        "佳宁", "沐晴", "诗雨", "语嫣", "依诺", "梓琪", "梦琪", "婉清", "雨萱", "紫萱", "晨曦", "心妍", "馨予", "若曦", "悦彤",
    ];

    /// <summary>Place-name stems for communities, compounds and roads, in the manner of Suzhou's lanes and bridges.</summary>
    private static readonly string[] PlaceStems =
    [
        "桂花苑", "南园", "胥江", "盘溪", "双桥", "三元", "新沧", "吉庆", "锦帆", "沧浪亭", "桐泾", "彩香", "三香", "留园", "枫桥",
        "白莲", "西园", "石路", "平江", "娄门", "葑门", "道前", "学士", "采莲", "梅巷", "杨枝", "虹桥", "朱家园", "叶家弄", "鹤园",
        "瑞光", "水香", "馨泓", "竹辉", "新市", "西津", "阊门", "山塘", "北寺", "万年", "菱塘", "莲香", "芙蓉", "玉涵", "翠园",
        "书香", "文庙", "府前", "怡园", "织造", "醋库", "侍其", "狮林", "宝林", "桃坞", "潘儒", "柳巷", "南环", "友联", "新庄",
        "杏秀", "百花洲", "青旸", "清塘", "觅渡", "江枫", "泰让", "敬文", "钟楼", "景德", "木杏", "里河", "沙河", "金门", "丁香",
        "十梓", "望星", "凤凰", "帝赐", "乌鹊", "带城", "滚绣", "饮马", "孝义", "大儒", "颜家", "东北", "西美", "仓街", "钮家",
    ];

    // Later rounds of community names reuse the stems with a direction or "new", as real ones do (南园东社区).
    private static readonly string[] CommunityQualifiers = ["", "东", "西", "南", "北", "新", "中", "上", "下", "东城", "西城", "新村"];

    private static readonly string[] CompoundWords =
    [
        "金色", "阳光", "翠竹", "锦绣", "春江", "水岸", "名都", "世纪", "滨河", "东方", "紫荆", "嘉和", "华庭", "丽景", "盛世",
        "怡和", "清风", "明月", "兰亭", "玉兰", "梧桐", "枫林", "香樟", "银杏", "芳洲", "荷塘", "碧波", "星海", "晨曦", "泰和",
        "康乐", "福星", "天成", "润园", "御窑", "沁园", "苏韵", "吴韵", "姑苏", "运河",
    ];
    private static readonly string[] CompoundSuffixes = ["新村", "花园", "小区", "公寓", "家园", "苑", "新苑", "雅苑", "佳园", "北村", "南村", "里"];
    private static readonly string[] RoadSuffixes = ["路", "街", "巷", "弄", "路", "街"];

    private static readonly string[] ShopTrades =
    [
        "便利店", "面馆", "小吃店", "理发店", "水果店", "大药房", "五金店", "洗衣店", "烟酒店", "超市", "早餐店", "奶茶店", "茶叶店",
        "快递驿站", "生鲜店", "熟食店", "花店", "眼镜店", "书店", "文具店", "手机维修店", "棋牌室", "足浴店", "美甲店", "宠物店",
        "面包房", "酒家", "火锅店", "烧烤店", "服装店", "母婴店", "干洗店", "电动车行", "锁具店", "苏式糕团店", "汤包馆",
    ];
    private static readonly string[] Industries =
    [
        "物业管理", "科技", "贸易", "餐饮管理", "建筑装饰", "文化传媒", "信息技术", "电子商务", "酒店管理", "房地产经纪", "丝绸",
        "旅游服务", "家政服务", "教育咨询", "广告", "医疗器械", "园林工程", "印刷", "物流", "刺绣工艺品",
    ];
    private static readonly string[] Institutions =
    [
        "实验小学", "中心小学", "幼儿园", "初级中学", "社区卫生服务站", "图书馆分馆", "文化馆分馆", "养老服务中心", "青少年活动中心", "档案服务中心",
    ];
    private static readonly string[] GovernmentBodies =
    [
        "派出所", "市场监管分局", "税务所", "司法所", "城管执法中队", "退役军人服务站", "便民服务中心", "房管所",
    ];
    private static readonly string[] SocialOrganisations =
    [
        "志愿者协会", "老年协会", "文化艺术团", "社会工作服务社", "邻里互助会", "慈善工作站", "评弹票友会", "书画社", "健身舞蹈队", "调解工作室",
    ];

    private static readonly string[] ChineseDigits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

    public static string Surname(Random random) => Surnames[Pick(SurnameCumulativeWeights, random)].Surname;

    /// <summary>A given name in the fashion of the person's birth year.</summary>
    public static string GivenName(Sex sex, int birthYear, Random random)
    {
        var names = (birthYear, sex) switch
        {
            ( < 1960, Sex.Male) => MaleElderNames,
            ( < 1960, _) => FemaleElderNames,
            ( < 1985, Sex.Male) => MaleMiddleNames,
            ( < 1985, _) => FemaleMiddleNames,
            ( < 2005, Sex.Male) => MaleYoungNames,
            ( < 2005, _) => FemaleYoungNames,
            (_, Sex.Male) => MaleChildNames,
            _ => FemaleChildNames,
        };
        return names[random.Next(names.Length)];
    }

    public static string FullName(Sex sex, int birthYear, Random random) => Surname(random) + GivenName(sex, birthYear, random);

    /// <summary>A mobile number 1[3-9]x xxxx xxxx with the prefixes of the three carriers.</summary>
    public static string MobilePhone(Random random)
    {
        ReadOnlySpan<int> prefixes = [130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155, 156, 157, 158, 159, 173, 177, 180, 181, 182, 183, 185, 186, 187, 188, 189, 191, 199];
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{prefixes[random.Next(prefixes.Length)]}{random.Next(100_000_000):D8}");
    }

    /// <summary>A Suzhou landline (area code 0512) for offices.</summary>
    public static string Landline(Random random) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"0512-6{random.Next(10_000_000):D7}");

    /// <summary>The i-th community name (0-based), unique for up to stems × qualifiers (1,080) communities.</summary>
    public static string CommunityName(int index, IReadOnlyList<string> stemOrder)
    {
        var qualifier = index / stemOrder.Count;
        if (qualifier >= CommunityQualifiers.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), "Not enough community names for this scale.");
        }
        return CommunityStem(index, stemOrder) + CommunityQualifiers[qualifier] + "社区";
    }

    /// <summary>The place name the i-th community is named after; its compounds often share it.</summary>
    public static string CommunityStem(int index, IReadOnlyList<string> stemOrder) => stemOrder[index % stemOrder.Count];

    /// <summary>The place stems in a seed-dependent order, so each seed has its own set of community names.</summary>
    public static string[] ShuffledStems(Random random)
    {
        var stems = PlaceStems.ToArray();
        random.Shuffle(stems);
        return stems;
    }

    public static string CompoundBaseName(string communityStem, Random random) =>
        (random.Next(2) == 0 ? communityStem : CompoundWords[random.Next(CompoundWords.Length)])
        + CompoundSuffixes[random.Next(CompoundSuffixes.Length)];

    public static string RoadName(Random random) => PlaceStems[random.Next(PlaceStems.Length)] + RoadSuffixes[random.Next(RoadSuffixes.Length)];

    /// <summary>The trades among <see cref="ShopTrades"/> that make a shop a "五小" shop (small eateries, parlours, entertainment).</summary>
    private static readonly string[] SmallVenueTrades = ["面馆", "小吃店", "理发店", "早餐店", "棋牌室", "足浴店", "美甲店", "酒家", "火锅店", "烧烤店", "汤包馆"];

    /// <summary>Whether a shop of this name (<see cref="ShopName"/>) is a "五小" shop (五小门店).</summary>
    public static bool IsSmallVenue(string shopName) => SmallVenueTrades.Any(trade => shopName.EndsWith(trade, StringComparison.Ordinal));

    public static string ShopName(string communityStem, Random random)
    {
        var trade = ShopTrades[random.Next(ShopTrades.Length)];
        return random.Next(10) switch
        {
            < 3 => Surname(random) + "记" + trade,
            < 8 => CompoundWords[random.Next(CompoundWords.Length)] + trade,
            _ => communityStem + trade,
        };
    }

    public static string EnterpriseName(Random random) =>
        "苏州" + CompoundWords[random.Next(CompoundWords.Length)] + Industries[random.Next(Industries.Length)] + "有限公司";

    public static string InstitutionName(string communityStem, Random random) =>
        "姑苏区" + communityStem + Institutions[random.Next(Institutions.Length)];

    public static string GovernmentBodyName(string communityStem, Random random) =>
        "姑苏区" + communityStem + GovernmentBodies[random.Next(GovernmentBodies.Length)];

    public static string SocialOrganisationName(string communityStem, Random random) =>
        StreetName + communityStem + SocialOrganisations[random.Next(SocialOrganisations.Length)];

    /// <summary>1–99 in Chinese numerals (二, 十二, 二十三), for "二区" and the like.</summary>
    public static string ChineseNumber(int value) => value switch
    {
        < 1 or > 99 => throw new ArgumentOutOfRangeException(nameof(value)),
        < 10 => ChineseDigits[value],
        < 20 => "十" + (value == 10 ? "" : ChineseDigits[value % 10]),
        _ => ChineseDigits[value / 10] + "十" + (value % 10 == 0 ? "" : ChineseDigits[value % 10]),
    };

    /// <summary>Index of a weighted choice, given the running totals of the weights.</summary>
    public static int Pick(int[] cumulativeWeights, Random random)
    {
        var target = random.Next(cumulativeWeights[^1]);
        var index = Array.BinarySearch(cumulativeWeights, target + 1);
        return index >= 0 ? index : ~index;
    }

    public static int[] Cumulative(IEnumerable<int> weights)
    {
        var total = 0;
        return weights.Select(w => total += w).ToArray();
    }
}
