//! Name tables: surnames with rough frequencies, given-name characters, the
//! fictional county's place names, and positions by kind of unit.
//!
//! Everything here is invented for the demo county 云岭县; the places do not
//! exist, and the region code prefix 5399 is not assigned to any prefecture.

use super::rng::Rng;

/// Region code of the fictional county (6 digits).
pub(super) const COUNTY_CODE: &str = "539921";

/// Region codes of neighbouring fictional counties, for persons born elsewhere.
pub(super) const OTHER_CODES: [&str; 4] = ["539922", "539923", "539902", "539924"];

/// Common surnames with weights roughly proportional to their frequency.
/// The tail holds the polyphonic 单 (Shàn), 解 (Xiè), 仇 (Qiú) and 曾 (Zēng),
/// and a few compound surnames, so name handling meets them.
pub(super) const SURNAMES: &[(&str, u32)] = &[
    ("王", 720),
    ("李", 720),
    ("张", 680),
    ("刘", 540),
    ("陈", 450),
    ("杨", 310),
    ("黄", 220),
    ("赵", 200),
    ("吴", 200),
    ("周", 190),
    ("徐", 130),
    ("孙", 120),
    ("马", 110),
    ("朱", 110),
    ("胡", 100),
    ("郭", 100),
    ("何", 90),
    ("高", 90),
    ("林", 90),
    ("罗", 80),
    ("郑", 80),
    ("梁", 70),
    ("谢", 60),
    ("宋", 60),
    ("唐", 60),
    ("许", 50),
    ("韩", 50),
    ("冯", 50),
    ("邓", 50),
    ("曹", 50),
    ("彭", 50),
    ("曾", 45),
    ("肖", 45),
    ("田", 45),
    ("董", 45),
    ("袁", 40),
    ("潘", 40),
    ("于", 40),
    ("蒋", 40),
    ("蔡", 40),
    ("余", 40),
    ("杜", 40),
    ("叶", 40),
    ("程", 40),
    ("苏", 35),
    ("魏", 35),
    ("吕", 35),
    ("丁", 35),
    ("任", 35),
    ("沈", 30),
    ("姚", 30),
    ("卢", 30),
    ("姜", 30),
    ("崔", 30),
    ("钟", 30),
    ("谭", 30),
    ("陆", 30),
    ("汪", 25),
    ("范", 25),
    ("金", 25),
    ("石", 25),
    ("廖", 25),
    ("贾", 25),
    ("夏", 25),
    ("韦", 25),
    ("付", 25),
    ("方", 25),
    ("白", 20),
    ("邹", 20),
    ("孟", 20),
    ("熊", 20),
    ("秦", 20),
    ("邱", 20),
    ("江", 20),
    ("尹", 20),
    ("薛", 20),
    ("闫", 20),
    ("段", 20),
    ("雷", 20),
    ("侯", 20),
    ("龙", 20),
    ("史", 20),
    ("陶", 15),
    ("黎", 15),
    ("贺", 15),
    ("顾", 15),
    ("毛", 15),
    ("郝", 15),
    ("龚", 15),
    ("邵", 15),
    ("万", 15),
    ("钱", 15),
    ("严", 15),
    ("覃", 15),
    ("武", 15),
    ("戴", 15),
    ("莫", 15),
    ("孔", 15),
    ("向", 15),
    ("汤", 15),
    ("单", 5),
    ("解", 4),
    ("仇", 4),
    ("欧阳", 3),
    ("诸葛", 1),
    ("上官", 1),
];

/// Second (or only) characters of men's given names.
const MALE_CHARS: &[&str] = &[
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞",
    "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆", "旭", "宁", "龙", "林", "阳", "峰", "东", "亮",
    "成", "新", "兵", "春", "卫", "德", "荣", "良", "贵", "福", "祥", "山", "松", "江", "晨", "昊",
    "博", "轩", "睿", "泽", "斌", "光", "文", "武",
];

/// Second (or only) characters of women's given names.
const FEMALE_CHARS: &[&str] = &[
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "婷", "雪", "慧", "倩", "琳", "颖",
    "洁", "梅", "红", "兰", "英", "萍", "秀", "珍", "桂", "凤", "琴", "丹", "莉", "晶", "佳", "悦",
    "欣", "怡", "琪", "萱", "蕾", "璐", "瑶", "月", "云", "露",
];

/// First characters of two-character men's names, older and younger styles.
const MALE_FIRST_OLD: &[&str] = &["建", "国", "志", "卫", "永", "德", "红", "金", "文", "立"];
const MALE_FIRST_NEW: &[&str] = &["子", "浩", "宇", "家", "俊", "振", "天", "思", "嘉", "一"];
/// First characters of two-character women's names, older and younger styles.
const FEMALE_FIRST_OLD: &[&str] = &["秀", "玉", "桂", "春", "丽", "红", "美", "淑", "金", "晓"];
const FEMALE_FIRST_NEW: &[&str] = &["雅", "欣", "思", "佳", "梓", "雨", "婉", "诗", "可", "晓"];

/// A surname, by frequency.
pub(super) fn surname(rng: &mut Rng) -> &'static str {
    rng.weighted(SURNAMES)
}

/// A surname other than `not`.
pub(super) fn surname_other_than(rng: &mut Rng, not: &str) -> &'static str {
    loop {
        let s = surname(rng);
        if s != not {
            return s;
        }
    }
}

/// A given name of one or two characters in the style of the birth year.
pub(super) fn given_name(rng: &mut Rng, male: bool, year: i32) -> String {
    let last = if male {
        rng.pick(MALE_CHARS)
    } else {
        rng.pick(FEMALE_CHARS)
    };
    if rng.chance(25) {
        return (*last).to_owned();
    }
    let firsts = match (male, year < 1982) {
        (true, true) => MALE_FIRST_OLD,
        (true, false) => MALE_FIRST_NEW,
        (false, true) => FEMALE_FIRST_OLD,
        (false, false) => FEMALE_FIRST_NEW,
    };
    format!("{}{}", rng.pick(firsts), last)
}

/// The townships (name, region-code suffix, its villages and communities).
/// A name ending in 社区 is a community, any other a village. Every name is
/// unique across the county, so units can be matched by name.
pub(super) const TOWNSHIPS: &[(&str, &str, &[&str])] = &[
    (
        "城关镇",
        "101",
        &["东门社区", "西街社区", "南关社区", "北山村"],
    ),
    ("青石镇", "102", &["青石村", "石桥村", "柳湾村", "枫林村"]),
    ("白云镇", "103", &["白云村", "云台村", "岔河村", "杨柳社区"]),
    ("清水镇", "104", &["清水村", "梨园村", "河口村"]),
    ("龙泉乡", "201", &["龙泉村", "龙井村", "竹园村"]),
    ("松林乡", "202", &["松林村", "马鞍村", "茶山村", "新寨村"]),
];

/// Positions of ordinary staff (not in the leadership team), by kind of unit.
pub(super) const STAFF_PARTY: &[&str] = &[
    "一级科员",
    "二级科员",
    "四级主任科员",
    "三级主任科员",
    "二级主任科员",
    "科长",
    "副科长",
    "办公室主任",
    "科员",
    "综合股股长",
];
pub(super) const STAFF_GOV: &[&str] = &[
    "一级科员",
    "二级科员",
    "四级主任科员",
    "三级主任科员",
    "股长",
    "副股长",
    "科员",
    "办公室主任",
    "财务股股长",
    "会计",
    "出纳",
    "执法队员",
];
pub(super) const STAFF_TOWNSHIP: &[&str] = &[
    "科员",
    "一级科员",
    "四级主任科员",
    "党政办主任",
    "财政所所长",
    "农业服务中心主任",
    "民政办干事",
    "综治中心干事",
    "会计",
    "社会事务办干事",
    "自然资源所所长",
    "驻村工作队员",
];
pub(super) const STAFF_VILLAGE: &[&str] = &[
    "村务监督委员会主任",
    "文书",
    "报账员",
    "网格员",
    "村民小组长",
    "妇联主席",
];
pub(super) const STAFF_COMMUNITY: &[&str] = &[
    "社区网格员",
    "社区专职工作者",
    "社区文书",
    "报账员",
    "居民小组长",
];
pub(super) const STAFF_SCHOOL: &[&str] = &[
    "教师",
    "教师",
    "教师",
    "一级教师",
    "高级教师",
    "二级教师",
    "班主任",
    "教务主任",
    "德育主任",
    "总务主任",
    "会计",
    "出纳",
    "校医",
];
pub(super) const STAFF_ENTERPRISE: &[&str] = &[
    "职员",
    "部门经理",
    "副经理",
    "会计",
    "出纳",
    "工程师",
    "助理工程师",
    "项目经理",
    "采购专员",
    "财务部经理",
    "办公室主任",
];
pub(super) const STAFF_HOSPITAL: &[&str] = &[
    "医师",
    "主治医师",
    "副主任医师",
    "护士",
    "护师",
    "主管护师",
    "药剂师",
    "检验师",
    "财务科科长",
    "会计",
    "医保办主任",
];

/// Extra village people added to reach the target head count.
pub(super) const VILLAGE_EXTRA: &[&str] = &["村民小组长", "村民代表", "网格员", "护林员"];

/// Occupations of relatives who work in no registry unit.
pub(super) const OUTSIDE_JOBS: &[&str] = &[
    "务农",
    "个体工商户",
    "外出务工",
    "企业职工",
    "自由职业",
    "退休",
    "私营企业主",
    "货车司机",
];

/// A made-up 11-digit mobile number (`13x0yyyyyyy`); it only has to look
/// right, no one is meant to be reachable at it.
pub(super) fn phone(rng: &mut Rng) -> String {
    format!(
        "13{}0{}{:06}",
        rng.below(10),
        rng.below(10),
        rng.below(1_000_000)
    )
}
