//! Deterministic synthetic petition corpus (信访件) for the search and dedup benchmarks
//! (`bench/search.sh`, `bench/dedup.sh`).
//!
//! ```sh
//! cargo run --release -p xuncha-search --example bench_corpus -- --charset > chars.txt
//! cargo run --release -p xuncha-search --example bench_corpus -- \
//!     --docs 200000 --out DIR [--s2t s2t.tsv] [--queries 1000] [--targets 500] [--seed 1] \
//!     [--dup-rate 0.05] [--title subject|name]
//! ```
//!
//! Writes into `DIR`:
//!
//! - `corpus.tsv`: `id  title  body  unit_path`, one petition a line. The body is ~300
//!   characters of complaint prose (低保, 扶贫资金, 征地补偿, 优亲厚友, 工程项目, …) with
//!   township and village names, personal names, amounts and dates. The title is a subject
//!   line as the petitions register records it (`反映石桥村低保评定问题`); with `--title name`
//!   it is the name of the person the petition is about instead (a title name gets every
//!   prefix combination of its pinyin; a name inside the body gets its full pinyin and
//!   initials, when the analyzer recognises it as a name).
//! - `truth.tsv`: `group  id  role  edits`: the planted near-duplicates. A share (`--dup-rate`,
//!   default 0.05) of petitions is re-sent 2–5 times in all; each copy is the original with
//!   one to three edits: `reorder` (two sentences swapped), `typo` (1–3 characters replaced,
//!   deleted or inserted), `trad` / `trad_all` (some or all sentences in traditional
//!   characters, from `--s2t`, a table made with OpenCC's s2t; skipped without it),
//!   `lookalike` (2–5 characters replaced by variant or look-alike forms from the table
//!   below), `punct` (punctuation or whitespace changed), `append` (a sentence added or the
//!   closing one dropped).
//! - `queries.tsv`: `qid  set  kind  target  text`. Set `latency`: kinds `name` (a 3-character
//!   name), `place` (township + village), `phrase` (6–12 characters copied from a body), `short`
//!   (each 2-character subject word once). Set `recall`: per target petition (an original, not
//!   a copy), `simplified` (`name subject-phrase`, as written), `lookalike` (the same with
//!   every character that has a variant or look-alike form replaced), `pinyin_initials` and
//!   `pinyin_full` of the name (from the hand-written readings below). The traditional spelling
//!   is added by the benchmark script (OpenCC s2t on the simplified query, phrase level).
//!
//! `--charset` prints every character the generator can write (for building the s2t table).
//! Same arguments, same files, byte for byte.

#![allow(clippy::unwrap_used, missing_docs)]

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

/// splitmix64: small, fast, and the same sequence everywhere.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

// ---------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------

/// Surnames with readings and a rough frequency weight.
const SURNAMES: &[(&str, &str, u32)] = &[
    ("王", "wang", 70),
    ("李", "li", 70),
    ("张", "zhang", 65),
    ("刘", "liu", 55),
    ("陈", "chen", 45),
    ("杨", "yang", 33),
    ("黄", "huang", 25),
    ("赵", "zhao", 24),
    ("吴", "wu", 21),
    ("周", "zhou", 21),
    ("徐", "xu", 15),
    ("孙", "sun", 14),
    ("马", "ma", 13),
    ("朱", "zhu", 12),
    ("胡", "hu", 12),
    ("郭", "guo", 11),
    ("何", "he", 10),
    ("高", "gao", 10),
    ("林", "lin", 10),
    ("罗", "luo", 9),
    ("郑", "zheng", 9),
    ("梁", "liang", 8),
    ("谢", "xie", 7),
    ("宋", "song", 7),
    ("唐", "tang", 7),
    ("许", "xu", 6),
    ("韩", "han", 6),
    ("冯", "feng", 6),
    ("邓", "deng", 6),
    ("曹", "cao", 6),
    ("彭", "peng", 5),
    ("曾", "zeng", 5),
    ("肖", "xiao", 5),
    ("田", "tian", 5),
    ("董", "dong", 5),
    ("袁", "yuan", 4),
    ("潘", "pan", 4),
    ("于", "yu", 4),
    ("蒋", "jiang", 4),
    ("蔡", "cai", 4),
    ("余", "yu", 4),
    ("杜", "du", 4),
    ("叶", "ye", 4),
    ("程", "cheng", 4),
    ("苏", "su", 4),
    ("魏", "wei", 4),
    ("吕", "lv", 3),
    ("丁", "ding", 3),
    ("任", "ren", 3),
    ("沈", "shen", 3),
    ("姚", "yao", 3),
    ("卢", "lu", 3),
    ("姜", "jiang", 3),
    ("崔", "cui", 3),
    ("钟", "zhong", 3),
    ("谭", "tan", 3),
    ("陆", "lu", 3),
    ("汪", "wang", 3),
    ("范", "fan", 3),
    ("金", "jin", 3),
    ("石", "shi", 3),
    ("廖", "liao", 3),
    ("贾", "jia", 3),
    ("夏", "xia", 3),
    ("韦", "wei", 2),
    ("付", "fu", 2),
    ("方", "fang", 2),
    ("白", "bai", 2),
    ("邹", "zou", 2),
    ("孟", "meng", 2),
    ("熊", "xiong", 2),
    ("秦", "qin", 2),
    ("邱", "qiu", 2),
    ("江", "jiang", 2),
    ("尹", "yin", 2),
    ("薛", "xue", 2),
    ("闫", "yan", 2),
    ("段", "duan", 2),
    ("雷", "lei", 2),
    ("侯", "hou", 2),
    ("龙", "long", 2),
    ("史", "shi", 2),
    ("陶", "tao", 2),
    ("黎", "li", 2),
    ("贺", "he", 2),
    ("顾", "gu", 2),
    ("毛", "mao", 2),
    ("郝", "hao", 2),
    ("龚", "gong", 2),
    ("邵", "shao", 2),
    ("万", "wan", 2),
    ("钱", "qian", 2),
    ("严", "yan", 2),
    ("覃", "qin", 1),
    ("武", "wu", 2),
    ("戴", "dai", 2),
    ("莫", "mo", 1),
    ("孔", "kong", 1),
    ("向", "xiang", 1),
    ("汤", "tang", 1),
];

/// Characters of given names, with readings (no polyphones).
const GIVEN: &[(&str, &str)] = &[
    ("建", "jian"),
    ("国", "guo"),
    ("军", "jun"),
    ("华", "hua"),
    ("明", "ming"),
    ("强", "qiang"),
    ("伟", "wei"),
    ("芳", "fang"),
    ("秀", "xiu"),
    ("英", "ying"),
    ("兰", "lan"),
    ("红", "hong"),
    ("平", "ping"),
    ("德", "de"),
    ("福", "fu"),
    ("贵", "gui"),
    ("富", "fu"),
    ("生", "sheng"),
    ("春", "chun"),
    ("秋", "qiu"),
    ("林", "lin"),
    ("海", "hai"),
    ("峰", "feng"),
    ("涛", "tao"),
    ("勇", "yong"),
    ("刚", "gang"),
    ("志", "zhi"),
    ("文", "wen"),
    ("武", "wu"),
    ("成", "cheng"),
    ("安", "an"),
    ("庆", "qing"),
    ("发", "fa"),
    ("荣", "rong"),
    ("玉", "yu"),
    ("凤", "feng"),
    ("梅", "mei"),
    ("桂", "gui"),
    ("香", "xiang"),
    ("云", "yun"),
    ("霞", "xia"),
    ("丽", "li"),
    ("娟", "juan"),
    ("敏", "min"),
    ("静", "jing"),
    ("燕", "yan"),
    ("萍", "ping"),
    ("琴", "qin"),
    ("珍", "zhen"),
    ("翠", "cui"),
    ("金", "jin"),
    ("银", "yin"),
    ("宝", "bao"),
    ("山", "shan"),
    ("水", "shui"),
    ("松", "song"),
    ("树", "shu"),
    ("根", "gen"),
    ("田", "tian"),
    ("开", "kai"),
    ("来", "lai"),
    ("喜", "xi"),
    ("全", "quan"),
    ("友", "you"),
    ("新", "xin"),
    ("东", "dong"),
    ("西", "xi"),
    ("南", "nan"),
    ("中", "zhong"),
    ("学", "xue"),
    ("兵", "bing"),
    ("利", "li"),
    ("民", "min"),
    ("权", "quan"),
    ("正", "zheng"),
    ("清", "qing"),
    ("良", "liang"),
    ("才", "cai"),
    ("江", "jiang"),
    ("河", "he"),
    ("波", "bo"),
    ("亮", "liang"),
    ("辉", "hui"),
    ("光", "guang"),
    ("耀", "yao"),
    ("祖", "zu"),
    ("宗", "zong"),
    ("家", "jia"),
    ("兴", "xing"),
    ("旺", "wang"),
    ("顺", "shun"),
    ("泉", "quan"),
    ("永", "yong"),
    ("忠", "zhong"),
    ("诚", "cheng"),
    ("义", "yi"),
    ("仁", "ren"),
    ("杰", "jie"),
    ("斌", "bin"),
    ("鹏", "peng"),
    ("飞", "fei"),
    ("超", "chao"),
    ("磊", "lei"),
    ("鑫", "xin"),
    ("浩", "hao"),
    ("宇", "yu"),
    ("洋", "yang"),
    ("帆", "fan"),
    ("丹", "dan"),
    ("婷", "ting"),
    ("雪", "xue"),
    ("慧", "hui"),
    ("玲", "ling"),
    ("艳", "yan"),
    ("莲", "lian"),
    ("菊", "ju"),
    ("花", "hua"),
    ("彩", "cai"),
    ("爱", "ai"),
    ("月", "yue"),
    ("晓", "xiao"),
    ("维", "wei"),
    ("振", "zhen"),
    ("继", "ji"),
    ("承", "cheng"),
    ("先", "xian"),
    ("锋", "feng"),
    ("进", "jin"),
    ("卫", "wei"),
    ("保", "bao"),
    ("双", "shuang"),
    ("桥", "qiao"),
    ("满", "man"),
    ("仓", "cang"),
    ("招", "zhao"),
];

const TOWNSHIPS: &[&str] = &[
    "城关镇",
    "青石镇",
    "河口乡",
    "白沙镇",
    "龙泉镇",
    "桃源乡",
    "新集镇",
    "马坪乡",
    "石门镇",
    "柳林镇",
    "三河镇",
    "杨家湾乡",
    "大坪镇",
    "双桥镇",
    "黄土岭乡",
    "清水镇",
    "高峰乡",
    "凤凰镇",
    "永安镇",
    "金山乡",
    "长岭镇",
    "花园乡",
    "李家集镇",
    "太平镇",
];

const VILLAGE_STEMS: &[&str] = &[
    "红旗", "新华", "东风", "胜利", "和平", "光明", "前进", "幸福", "团结", "建设", "向阳", "友谊",
    "联合", "民主", "先锋", "红星", "新民", "永丰", "丰收", "兴隆", "桃园", "杏花", "柳树", "石桥",
    "马家", "王庄", "张湾", "李庄", "刘家", "陈湾", "黄泥", "青山", "白果", "松林", "竹园", "枣林",
    "梨树", "槐树", "大王", "小河", "河西", "河东", "南岗", "北坡", "东岭", "西沟", "上湾", "下湾",
    "中心", "石门", "龙潭", "凤山", "金鸡", "银杏", "茶园", "稻香", "麦香", "瓦房", "土桥", "新庄",
    "高家", "周家", "赵庄", "孙湾", "吴家", "郑庄", "林场", "水库", "三合", "四方", "五里", "六合",
    "七星", "八里", "九龙", "十里", "双河", "双井", "长冲", "田坝", "花桥", "杨柳", "罗家", "谢湾",
    "唐庄", "韩家", "冯岗", "邓湾", "彭家", "曾家",
];

const POSTS: &[&str] = &[
    "村党支部书记",
    "村委会主任",
    "村党支部书记兼村委会主任",
    "村会计",
    "村文书",
    "村监委会主任",
    "驻村第一书记",
    "村民小组长",
    "村妇联主席",
    "网格员",
    "镇民政办主任",
    "镇扶贫办工作人员",
    "镇国土所所长",
    "镇农经站站长",
    "镇财政所会计",
];

const RELATIVES: &[&str] = &[
    "弟弟",
    "儿媳",
    "妻子",
    "侄子",
    "小舅子",
    "女婿",
    "表哥",
    "姐夫",
    "亲家",
    "堂弟",
    "外甥",
    "连襟",
];

const PROJECTS: &[&str] = &[
    "通村公路硬化",
    "农村安全饮水",
    "高标准农田建设",
    "村部办公楼",
    "文化广场",
    "河道清淤",
    "光伏电站",
    "产业路",
    "小型水库除险加固",
    "村组道路拓宽",
    "路灯安装",
    "人居环境整治",
];

const COMPANY_PREFIX: &[&str] = &[
    "县宏达",
    "鑫源",
    "恒通",
    "顺发",
    "永盛",
    "华宇",
    "金鼎",
    "瑞丰",
    "天成",
    "联创",
];
const COMPANY_KIND: &[&str] = &[
    "建筑工程",
    "建材",
    "路桥工程",
    "水利工程",
    "劳务",
    "农业开发",
];

const DECADES: &[&str] = &["六十", "七十", "八十", "九十"];
const CN_NUM: &[&str] = &[
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二",
];

/// A subject: its key phrases (one is named in the opening) and its sentences.
struct Topic {
    phrases: &'static [&'static str],
    sentences: &'static [&'static str],
}

const TOPICS: &[Topic] = &[
    Topic {
        phrases: &["低保名额", "低保资格", "低保金", "低保评定"],
        sentences: &[
            "{R}利用职务便利，把{REL}{N2}一家违规纳入低保，{N2}家里开着小卖部，还有一辆小轿车。",
            "我家{DATE}遭遇车祸，丈夫瘫痪在床，多次申请低保，{R}都以名额已满为由不予受理。",
            "村里评低保从来不开群众评议会，名单都是{R}一个人说了算，公示栏上也看不到。",
            "{N2}家在县城有两套房子，每月却照样领取低保金{AMT3}，群众意见很大。",
            "据我们了解，{R}要求享受低保的农户每年给他{AMT2}的好处费，不给就取消资格。",
            "{DATE2}镇上核查低保时，{R}提前打招呼，让不符合条件的人家把车和家电藏起来。",
            "全村{NUM}户低保户中，至少有{NUM2}户是村干部的亲戚或者关系户。",
            "真正困难的{N3}老人无儿无女，住的还是土坯房，到现在也没有吃上低保。",
        ],
    },
    Topic {
        phrases: &["扶贫资金", "产业扶贫资金", "扶贫项目资金", "到户扶持资金"],
        sentences: &[
            "{DATE}上级下拨到村的产业扶贫资金{AMT}，{R}说用于发展养殖合作社，但合作社至今没有一头牛。",
            "贫困户每户应发的到户扶持资金{AMT2}，实际到手只有一半，其余的被{R}以管理费名义扣下。",
            "{R}让{REL}{N2}注册了一家合作社，套取扶贫项目资金，账目从来不公开。",
            "扶贫车间建好后只开工了{NUM2}个月就关门了，设备被拉到{N2}自家的厂里用。",
            "我们多次要求看扶贫资金的明细账，{R}说账本在镇上，推来推去不给看。",
            "光伏扶贫电站每年的发电收益{AMT}，村里群众从来没有分到过一分钱。",
            "{R}在脱贫户名单上弄虚作假，把已经外出务工多年的{N3}一家也报成了帮扶对象。",
        ],
    },
    Topic {
        phrases: &["征地补偿款", "青苗补偿费", "土地补偿费", "征地拆迁"],
        sentences: &[
            "{DATE}县里修建{PROJ}征用我们组{MU}土地，按标准每亩补偿{AMT2}，可村里只给我们每亩{AMT3}。",
            "征地补偿款打到村里账户后，{R}迟迟不发，说是要留一部分搞集体建设。",
            "被征地的地块上明明种着果树，{R}却按荒地上报，青苗补偿费被他和{N2}私分了。",
            "{R}的{REL}{N2}在征地范围内突击抢种抢建，多领了补偿款{AMT}。",
            "我们组的土地补偿费至今还有{AMT}没有分配，也没有召开村民代表大会讨论。",
            "{DATE2}征地丈量的时候，{R}把{N3}家的地少量了{MU2}，我们找他理论，他说有意见去告。",
            "征地拆迁过程中，{R}带人强行推平了{N3}家的房子，补偿协议至今没有签。",
        ],
    },
    Topic {
        phrases: &["优亲厚友", "村干部亲属", "照顾亲属"],
        sentences: &[
            "{R}当上{POST}以后，村里的公益性岗位全部安排给了自家亲戚，{REL}{N2}一天班没上也照拿工资。",
            "村里的危房改造、临时救助、残疾人补贴，只要是好事，首先轮到的都是{R}的亲属。",
            "{R}把村集体的{MU}鱼塘低价承包给{REL}{N2}，合同一签就是{NUM}年，每年租金只有{AMT3}。",
            "今年村里招聘网格员，{R}的{REL}连考试都没参加就上岗了。",
            "群众对{R}优亲厚友的做法意见很大，但都怕被打击报复，不敢公开说。",
            "{R}的{REL}{N2}在村里开了一家砂石厂，村里所有工程的材料都从他那里买，价格比市场高出三成。",
        ],
    },
    Topic {
        phrases: &["工程项目", "通村公路", "村级工程", "项目招投标"],
        sentences: &[
            "{DATE}村里实施{PROJ}项目，总投资{AMT}，{R}没有按规定招投标，直接交给了{CO}。",
            "{CO}的实际老板就是{R}的{REL}{N2}，工程质量很差，路面不到一年就开裂了。",
            "工程项目的验收是{R}一个人签的字，施工方多报了{NUM}米的工程量，多拿了{AMT2}。",
            "村级工程都是先干后报，账目上出现了大量白条，有的发票是从外地买来的。",
            "我们发现{PROJ}的设计厚度是{NUM2}十公分，实际铺的还不到一半，钢筋也少用了很多。",
            "{R}在项目招投标中收受了{CO}老板{AMT2}的好处费，这事{N3}亲眼看见过。",
        ],
    },
    Topic {
        phrases: &["危房改造", "危改补助", "改造补助资金"],
        sentences: &[
            "我家住的是{DECADE}年代的土坯房，墙体开裂，下雨漏水，申请危房改造{NUM2}次都没有批。",
            "{R}的{REL}{N2}家是新盖的两层小楼，却领了危房改造补助{AMT2}。",
            "危改补助资金到账后，{R}要求每户交{AMT3}的手续费，不交就不给办。",
            "{DATE}镇上来验收危房改造，{R}带着验收组去的都是别人家的房子，真正改造的没几户。",
            "危房改造名单从来没有张榜公示，群众根本不知道是怎么评出来的。",
            "{N3}家的房子去年冬天塌了一半，一家人借住在亲戚家，{R}说今年的指标已经用完了。",
        ],
    },
    Topic {
        phrases: &["集体资产", "集体土地", "村集体收入", "集体资金"],
        sentences: &[
            "村集体的{MU}山林被{R}私自转租给{CO}，租金{AMT}一直没有入账。",
            "村部的旧校舍被{R}以{AMT2}的价格卖给了{N2}，没有经过评估，也没有公开拍卖。",
            "村集体收入每年有{AMT}，但账目从来不公开，{R}说钱都用在了办公上。",
            "{R}用村集体资金给自己报销了{NUM2}次旅游费用，还在县城的饭店长期挂账吃喝。",
            "集体土地被{N2}占去建厂房，{R}收了好处，一直不管不问。",
            "村里的集体资产台账{DATE}以后就没有更新过，哪些房子租给了谁，群众都不清楚。",
        ],
    },
    Topic {
        phrases: &["惠农补贴", "耕地地力保护补贴", "种粮补贴", "农机购置补贴"],
        sentences: &[
            "我家承包地{MU}，可{DATE}的耕地地力保护补贴只发了{AMT3}，面积被少报了。",
            "{R}把外出户和已经去世的{N3}的种粮补贴冒领了，存折一直在他手里。",
            "农机购置补贴被{R}的{REL}{N2}套取，买的旋耕机从来没见下过地。",
            "惠农补贴一卡通的存折被村里统一收走，{R}说是代为保管，群众要用钱还得去求他。",
            "{NUM}户群众的补贴资金被{R}截留，累计金额在{AMT}以上。",
        ],
    },
    Topic {
        phrases: &["吃拿卡要", "办事难", "工作作风", "违规吃喝"],
        sentences: &[
            "群众到村里开个证明，{R}都要收{AMT3}的辛苦费，不给就一直拖着不办。",
            "{R}上班时间经常在{N2}开的麻将馆打牌，群众有事找不到人。",
            "{DATE}{R}给儿子办升学宴，全村每户都被通知去随礼，一次收了{AMT}多。",
            "{R}对群众态度蛮横，{N3}去反映问题，被他当众骂了出来。",
            "镇里来检查时，{R}用村里的钱在{T}的饭店大吃大喝，一顿饭花了{AMT2}。",
        ],
    },
    Topic {
        phrases: &["换届选举", "拉票贿选", "选举违规"],
        sentences: &[
            "{DATE}村两委换届选举前，{R}挨家挨户送烟送酒，每张选票给{AMT3}。",
            "选举当天，{R}安排{REL}{N2}代替外出务工人员投票，一个人投了{NUM}张票。",
            "换届选举的候选人名单没有按程序公示，{R}临时把{N3}的名字划掉了。",
            "有群众把拉票贿选的录音交给了镇里，到现在也没有下文。",
            "{R}还威胁说，谁不选他，以后村里的事情就别想办成。",
        ],
    },
    Topic {
        phrases: &["养老保险", "医保缴费", "高龄补贴", "残疾人补贴"],
        sentences: &[
            "{R}以统一办理为名，向村民收取医保缴费，每人多收了{AMT3}，也不给开收据。",
            "我父亲已经去世{NUM2}年了，高龄补贴却还在照常发放，钱被{R}领走了。",
            "{N3}是二级残疾，按政策每月应领残疾人补贴，{R}却说他不符合条件。",
            "村里{NUM}名老人的养老保险被{R}停缴了，说是上级的政策，实际上是钱被挪用了。",
            "{REL}{N2}身体健康，还在外面跑运输，却办了残疾证，每月领取补贴{AMT3}。",
        ],
    },
];

const OPENINGS: &[&str] = &[
    "尊敬的县委巡察组领导：我是{T}{V}{G}村民{P}，今年{AGE}岁，现向巡察组实名反映{V}{POST}{R}在{KP}方面的问题。",
    "县委第{K}巡察组：本人{P}，家住{T}{V}{G}，反映{V}{POST}{R}涉及{KP}的违纪违法问题。",
    "我们是{T}{V}的几户村民，联名反映{POST}{R}在{KP}中弄虚作假、侵害群众利益的问题。",
    "巡察组领导您好！我叫{P}，是{T}{V}村民，要反映的是{R}的{KP}问题。{R}现任{V}{POST}。",
    "关于{T}{V}{POST}{R}{KP}问题的举报。举报人{P}，{T}{V}{G}村民。",
];

const GENERIC: &[&str] = &[
    "这些情况村里{NUM}多户群众都清楚，可以找{N3}核实。",
    "{DATE2}我们曾向镇纪委反映过，至今没有任何答复。",
    "我们手里有相关的收据和照片，可以提供给巡察组。",
    "{R}扬言上面有人，谁告也没用，群众敢怒不敢言。",
    "此前我们也打过12345热线，转到镇里就没有下文了。",
    "这个问题已经拖了{NUM2}年，群众意见越来越大。",
    "{N3}也知道这件事，他说要是巡察组来调查，他愿意作证。",
];

const CLOSINGS: &[&str] = &[
    "恳请巡察组认真调查，还群众一个公道。",
    "希望上级派人核查，依纪依法严肃处理。",
    "请求巡察组查清资金去向，给老百姓一个说法。",
    "盼望巡察组早日查清事实，对{R}严肃追责。",
    "以上反映情况属实，本人愿意承担相应责任。",
];

const PHONE_LINE: &str = "联系电话：{PHONE}。";

/// Subject lines, as a petitions register records them (the product's `title`).
const TITLES: &[&str] = &[
    "反映{V}{KP}问题",
    "关于{T}{V}{POST}{R}{KP}问题的举报",
    "反映{V}{POST}{R}违规问题",
    "{V}村民反映{KP}不公",
    "举报{T}{V}{POST}{R}侵害群众利益",
];
const APPENDED: &[&str] = &[
    "此前已多次反映，至今没有任何答复。",
    "再次恳请领导重视。",
    "补充一点：相关材料我们已经复印留存。",
];

/// Two-character subject words queried alone (FTS5 trigram cannot index them).
const SHORT_WORDS: &[&str] = &[
    "低保", "扶贫", "征地", "补偿", "危房", "工程", "补贴", "选举", "医保", "贿选", "截留", "公示",
];

/// Variant and look-alike forms a petitioner's text may carry: Japanese shinjitai typed on a
/// Japanese IME, popular variants (异体字), obfuscation by an added component, CJK
/// compatibility ideographs and Kangxi radicals that PDF copy-paste produces. Hand-written for
/// this benchmark (not taken from xuncha-text's tables).
const LOOKALIKES: &[(char, &[char])] = &[
    ('县', &['県']),
    ('团', &['団']),
    ('经', &['経']),
    ('济', &['済']),
    ('关', &['関']),
    ('变', &['変']),
    ('单', &['単']),
    ('价', &['価']),
    ('传', &['伝']),
    ('归', &['帰']),
    ('劳', &['労']),
    ('据', &['拠']),
    ('压', &['圧']),
    ('营', &['営']),
    ('钱', &['銭']),
    ('铁', &['鉄']),
    ('发', &['発']),
    ('气', &['気']),
    ('广', &['広']),
    ('实', &['実']),
    ('图', &['図']),
    ('应', &['応']),
    ('对', &['対']),
    ('总', &['総']),
    ('举', &['挙']),
    ('收', &['収']),
    ('查', &['査']),
    ('步', &['歩']),
    ('涉', &['渉']),
    ('真', &['眞']),
    ('黑', &['黒']),
    ('德', &['徳']),
    ('绿', &['緑']),
    ('国', &['囯']),
    ('群', &['羣']),
    ('众', &['衆']),
    ('线', &['綫']),
    ('为', &['爲']),
    ('峰', &['峯']),
    ('够', &['夠']),
    ('册', &['冊']),
    ('况', &['況']),
    ('决', &['決']),
    ('冲', &['沖']),
    ('净', &['淨']),
    ('村', &['邨']),
    ('却', &['卻']),
    ('户', &['戸', '戶']),
    ('没', &['沒']),
    ('强', &['強']),
    ('黄', &['黃']),
    ('青', &['靑']),
    ('说', &['説']),
    ('税', &['稅']),
    ('内', &['內']),
    ('别', &['別']),
    ('争', &['爭']),
    ('清', &['淸']),
    ('然', &['嘫']),
    ('最', &['樶']),
    ('不', &['芣', '\u{F967}']),
    ('金', &['\u{F90A}', '\u{2FA6}']),
    ('年', &['\u{F98E}']),
    ('利', &['\u{F9DD}']),
    ('理', &['\u{F9E4}']),
    ('力', &['\u{F98A}']),
    ('人', &['\u{2F08}']),
    ('工', &['\u{2F2F}']),
    ('土', &['\u{2F1F}']),
    ('大', &['\u{2F24}']),
    ('小', &['\u{2F29}']),
    ('山', &['\u{2F2D}']),
    ('日', &['\u{2F47}']),
    ('月', &['\u{2F49}']),
    ('水', &['\u{2F54}']),
    ('田', &['\u{2F65}']),
    ('石', &['\u{2F6F}']),
    ('门', &['\u{2ED4}']),
];

fn lookalike(c: char) -> Option<&'static [char]> {
    LOOKALIKES.iter().find(|(k, _)| *k == c).map(|(_, v)| *v)
}

// ---------------------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------------------

struct Person {
    name: String,
    pinyin: Vec<&'static str>,
}

fn person(rng: &mut Rng, surname_total: u32) -> Person {
    let mut w = (rng.next_u64() % u64::from(surname_total)) as u32;
    let mut surname = SURNAMES[0];
    for s in SURNAMES {
        if w < s.2 {
            surname = *s;
            break;
        }
        w -= s.2;
    }
    let mut name = surname.0.to_owned();
    let mut pinyin = vec![surname.1];
    let given = if rng.chance(0.15) { 1 } else { 2 };
    for _ in 0..given {
        let g = rng.pick(GIVEN);
        name.push_str(g.0);
        pinyin.push(g.1);
    }
    Person { name, pinyin }
}

fn amount_large(rng: &mut Rng) -> String {
    if rng.chance(0.6) {
        format!("{}.{}万元", rng.range(1, 98), rng.below(10))
    } else {
        format!("{}元", rng.range(1000, 99_999))
    }
}

fn amount_mid(rng: &mut Rng) -> String {
    if rng.chance(0.3) {
        format!("{}.{}万元", rng.range(1, 5), rng.below(10))
    } else {
        format!("{}元", rng.range(5, 300) * 100)
    }
}

fn amount_small(rng: &mut Rng) -> String {
    format!("{}元", rng.range(2, 200) * 10)
}

fn area(rng: &mut Rng) -> String {
    if rng.chance(0.5) {
        format!("{}亩", rng.range(1, 300))
    } else {
        format!("{}.{}亩", rng.range(0, 30), rng.range(1, 9))
    }
}

fn month_date(rng: &mut Rng) -> String {
    format!("{}年{}月", rng.range(2019, 2024), rng.range(1, 12))
}

fn day_date(rng: &mut Rng) -> String {
    match rng.below(3) {
        0 => format!("去年{}月", rng.range(1, 12)),
        _ => format!(
            "{}年{}月{}日",
            rng.range(2019, 2024),
            rng.range(1, 12),
            rng.range(1, 28)
        ),
    }
}

/// A generated petition, as sentences, with what queries need to know.
struct Petition {
    title: String,
    sentences: Vec<String>,
    reported: Person,
    petitioner: Person,
    township: &'static str,
    village: String,
    unit_path: String,
    phrase: &'static str,
}

struct Places {
    villages: Vec<Vec<&'static str>>,
}

impl Places {
    fn new(rng: &mut Rng) -> Self {
        let villages = TOWNSHIPS
            .iter()
            .map(|_| {
                let n = rng.range(10, 16);
                let mut v: Vec<&str> = Vec::new();
                while v.len() < n {
                    let s = *rng.pick(VILLAGE_STEMS);
                    if !v.contains(&s) {
                        v.push(s);
                    }
                }
                v
            })
            .collect();
        Places { villages }
    }
}

struct Slots<'a> {
    map: HashMap<&'static str, String>,
    rng: &'a mut Rng,
}

impl Slots<'_> {
    fn render_one(&mut self, list: &[&str]) -> String {
        let t = list[self.rng.below(list.len())];
        self.render(t)
    }

    fn render(&mut self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = open + rest[open..].find('}').unwrap();
            let key = &rest[open + 1..close];
            // Amounts, areas and dates are drawn afresh at each use; names stay fixed.
            let value = match key {
                "AMT" => amount_large(self.rng),
                "AMT2" => amount_mid(self.rng),
                "AMT3" => amount_small(self.rng),
                "MU" | "MU2" => area(self.rng),
                "DATE" => month_date(self.rng),
                "DATE2" => day_date(self.rng),
                "NUM" => self.rng.range(3, 60).to_string(),
                "NUM2" => CN_NUM[self.rng.range(1, 8)].to_owned(),
                "DECADE" => (*self.rng.pick(DECADES)).to_owned(),
                "CO" => format!(
                    "{}{}有限公司",
                    self.rng.pick(COMPANY_PREFIX),
                    self.rng.pick(COMPANY_KIND)
                ),
                "PROJ" => (*self.rng.pick(PROJECTS)).to_owned(),
                "PHONE" => format!(
                    "1{}{:09}",
                    self.rng.pick(&[3, 5, 7, 8, 9]),
                    self.rng.below(1_000_000_000)
                ),
                k => self.map.get(k).cloned().unwrap_or_default(),
            };
            out.push_str(&value);
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        out
    }
}

fn petition(rng: &mut Rng, places: &Places, surname_total: u32) -> Petition {
    let t = rng.below(TOWNSHIPS.len());
    let township = TOWNSHIPS[t];
    let vi = rng.below(places.villages[t].len());
    let village = format!("{}村", places.villages[t][vi]);
    let unit_path = format!("/1/{}/{}/", t + 2, 100 + t * 20 + vi);
    let topic = rng.pick(TOPICS);
    let phrase = *rng.pick(topic.phrases);
    let reported = person(rng, surname_total);
    let petitioner = person(rng, surname_total);
    let mut map = HashMap::new();
    map.insert("T", township.to_owned());
    map.insert("V", village.clone());
    map.insert("P", petitioner.name.clone());
    map.insert("R", reported.name.clone());
    map.insert("N2", person(rng, surname_total).name);
    map.insert("N3", person(rng, surname_total).name);
    map.insert("POST", (*rng.pick(POSTS)).to_owned());
    map.insert("REL", (*rng.pick(RELATIVES)).to_owned());
    map.insert("KP", phrase.to_owned());
    map.insert("AGE", rng.range(32, 84).to_string());
    map.insert("K", CN_NUM[rng.below(5)].to_owned());
    let group = rng.range(1, 12);
    map.insert(
        "G",
        if rng.chance(0.5) {
            format!("{group}组")
        } else {
            format!("第{}村民小组", CN_NUM[group - 1])
        },
    );
    let mut slots = Slots { map, rng };
    let mut sentences = vec![slots.render_one(OPENINGS)];
    // Topic sentences in random order until the body is about 300 characters.
    let mut order: Vec<usize> = (0..topic.sentences.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, slots.rng.below(i + 1));
    }
    let target = slots.rng.range(270, 330);
    let mut len: usize = sentences[0].chars().count();
    let closing = slots.render_one(CLOSINGS);
    let generic = slots.render_one(GENERIC);
    let tail = closing.chars().count() + generic.chars().count();
    for &i in &order {
        if len + tail >= target && sentences.len() >= 3 {
            break;
        }
        let s = slots.render(topic.sentences[i]);
        len += s.chars().count();
        sentences.push(s);
    }
    let at = slots.rng.range(2, sentences.len());
    sentences.insert(at, generic);
    sentences.push(closing);
    if slots.rng.chance(0.3) {
        sentences.push(slots.render(PHONE_LINE));
    }
    let title = slots.render_one(TITLES);
    Petition {
        title,
        sentences,
        reported,
        petitioner,
        township,
        village,
        unit_path,
        phrase,
    }
}

/// One edited re-send of `p`; returns the sentences and the edit tags.
fn resend(
    rng: &mut Rng,
    p: &Petition,
    s2t: &HashMap<char, char>,
) -> (Vec<String>, Vec<&'static str>) {
    let mut s = p.sentences.clone();
    let mut kinds: Vec<&'static str> = Vec::new();
    while kinds.is_empty() {
        for (kind, prob) in [
            ("reorder", 0.4),
            ("typo", 0.45),
            ("trad", 0.25),
            ("lookalike", 0.25),
            ("punct", 0.4),
            ("append", 0.15),
        ] {
            if (kind != "trad" || !s2t.is_empty()) && rng.chance(prob) {
                kinds.push(kind);
            }
        }
        if kinds.len() > 3 {
            kinds.truncate(3);
        }
    }
    let mut tags = Vec::new();
    for kind in kinds {
        match kind {
            "reorder" if s.len() >= 3 => {
                let i = rng.range(1, s.len() - 1);
                let mut j = rng.range(1, s.len() - 1);
                if i == j {
                    j = if j + 1 < s.len() { j + 1 } else { 1 };
                }
                s.swap(i, j);
                tags.push("reorder");
            }
            "typo" => {
                for _ in 0..rng.range(1, 3) {
                    let k = rng.below(s.len());
                    let mut chars: Vec<char> = s[k].chars().collect();
                    let pos = rng.below(chars.len());
                    let c = rng.pick(GIVEN).0.chars().next().unwrap();
                    match rng.below(3) {
                        0 => chars[pos] = c,
                        1 if chars.len() > 2 => {
                            chars.remove(pos);
                        }
                        _ => chars.insert(pos, c),
                    }
                    s[k] = chars.into_iter().collect();
                }
                tags.push("typo");
            }
            "trad" => {
                let all = rng.chance(0.5);
                let picked: Vec<usize> = if all {
                    (0..s.len()).collect()
                } else {
                    (0..rng.range(1, 2)).map(|_| rng.below(s.len())).collect()
                };
                for k in picked {
                    s[k] = s[k].chars().map(|c| *s2t.get(&c).unwrap_or(&c)).collect();
                }
                tags.push(if all { "trad_all" } else { "trad" });
            }
            "lookalike" => {
                let mut spots: Vec<(usize, usize)> = Vec::new();
                for (k, sentence) in s.iter().enumerate() {
                    for (i, c) in sentence.chars().enumerate() {
                        if lookalike(c).is_some() {
                            spots.push((k, i));
                        }
                    }
                }
                let n = rng.range(2, 5).min(spots.len());
                for _ in 0..n {
                    let (k, i) = spots.swap_remove(rng.below(spots.len()));
                    let mut chars: Vec<char> = s[k].chars().collect();
                    chars[i] = *rng.pick(lookalike(chars[i]).unwrap());
                    s[k] = chars.into_iter().collect();
                }
                tags.push("lookalike");
            }
            "punct" => {
                match rng.below(4) {
                    0 => {
                        for x in &mut s {
                            *x = x.replace('，', ",").replace('。', ".").replace('：', ":");
                        }
                    }
                    1 => {
                        for x in &mut s {
                            *x = x.replace('，', "， ");
                            x.push(' ');
                        }
                    }
                    2 => {
                        for x in &mut s {
                            *x = x.replace('，', "");
                        }
                    }
                    _ => {
                        for _ in 0..rng.range(2, 4) {
                            let k = rng.below(s.len());
                            let mut chars: Vec<char> = s[k].chars().collect();
                            let pos = rng.below(chars.len() + 1);
                            chars.insert(pos, *rng.pick(&['\u{200B}', '\u{3000}', ' ']));
                            s[k] = chars.into_iter().collect();
                        }
                    }
                }
                tags.push("punct");
            }
            "append" => {
                if rng.chance(0.5) && s.len() > 4 {
                    s.pop();
                } else {
                    s.push((*rng.pick(APPENDED)).to_owned());
                }
                tags.push("append");
            }
            _ => {}
        }
    }
    if tags.is_empty() {
        tags.push("none");
    }
    (s, tags)
}

fn charset() -> BTreeSet<char> {
    let mut all = String::new();
    let lists: [&[&str]; 14] = [
        TOWNSHIPS,
        VILLAGE_STEMS,
        POSTS,
        RELATIVES,
        PROJECTS,
        COMPANY_PREFIX,
        COMPANY_KIND,
        DECADES,
        CN_NUM,
        OPENINGS,
        TITLES,
        GENERIC,
        CLOSINGS,
        APPENDED,
    ];
    for l in lists {
        for s in l {
            all.push_str(s);
        }
    }
    for t in TOPICS {
        for s in t.phrases.iter().chain(t.sentences) {
            all.push_str(s);
        }
    }
    for s in SURNAMES {
        all.push_str(s.0);
    }
    for g in GIVEN {
        all.push_str(g.0);
    }
    all.push_str(PHONE_LINE);
    all.push_str("村组元万亩年月日去第有限公司");
    all.chars()
        .filter(|c| !c.is_ascii() && !"{}".contains(*c))
        .collect()
}

fn read_s2t(path: &std::path::Path) -> HashMap<char, char> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .filter_map(|l| {
            let mut it = l.split('\t');
            let s = it.next()?.chars().next()?;
            let t = it.next()?;
            (t.chars().count() == 1).then(|| (s, t.chars().next().unwrap()))
        })
        .collect()
}

struct Args {
    docs: usize,
    out: PathBuf,
    s2t: Option<PathBuf>,
    queries: usize,
    targets: usize,
    seed: u64,
    dup_rate: f64,
    name_titles: bool,
}

fn parse_args() -> Option<Args> {
    let mut a = Args {
        docs: 200_000,
        out: PathBuf::from("target/bench/corpus"),
        s2t: None,
        queries: 1000,
        targets: 500,
        seed: 1,
        dup_rate: 0.05,
        name_titles: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        if k == "--charset" {
            let s: String = charset().into_iter().collect();
            println!("{s}");
            return None;
        }
        let v = it.next().unwrap_or_else(|| panic!("{k} needs a value"));
        match k.as_str() {
            "--docs" => a.docs = v.parse().unwrap(),
            "--out" => a.out = v.into(),
            "--s2t" => a.s2t = Some(v.into()),
            "--queries" => a.queries = v.parse().unwrap(),
            "--targets" => a.targets = v.parse().unwrap(),
            "--seed" => a.seed = v.parse().unwrap(),
            "--dup-rate" => a.dup_rate = v.parse().unwrap(),
            "--title" => a.name_titles = v == "name",
            _ => panic!("unknown argument {k}"),
        }
    }
    Some(a)
}

fn main() {
    let Some(args) = parse_args() else { return };
    let started = std::time::Instant::now();
    let s2t = args.s2t.as_deref().map(read_s2t).unwrap_or_default();
    let mut rng = Rng(args.seed);
    let places = Places::new(&mut rng);
    let surname_total: u32 = SURNAMES.iter().map(|s| s.2).sum();

    // Originals and their re-sends, then shuffled so that copies are not neighbours.
    struct Entry {
        base: usize,
        group: usize,
        copy: Option<(Vec<String>, Vec<&'static str>)>,
    }
    let mut bases: Vec<Petition> = Vec::new();
    let mut entries: Vec<Entry> = Vec::with_capacity(args.docs);
    let mut groups = 0;
    while entries.len() < args.docs {
        let p = petition(&mut rng, &places, surname_total);
        let base = bases.len();
        let copies = if rng.chance(args.dup_rate) {
            rng.range(1, 4).min(args.docs - entries.len() - 1)
        } else {
            0
        };
        let group = if copies > 0 {
            groups += 1;
            groups
        } else {
            0
        };
        entries.push(Entry {
            base,
            group,
            copy: None,
        });
        for _ in 0..copies {
            entries.push(Entry {
                base,
                group,
                copy: Some(resend(&mut rng, &p, &s2t)),
            });
        }
        bases.push(p);
    }
    for i in (1..entries.len()).rev() {
        entries.swap(i, rng.below(i + 1));
    }

    std::fs::create_dir_all(&args.out).unwrap();
    let file = |name: &str| BufWriter::new(std::fs::File::create(args.out.join(name)).unwrap());
    let mut corpus = file("corpus.tsv");
    let mut truth = file("truth.tsv");
    let mut originals: Vec<(u64, usize)> = Vec::new(); // (id, base)
    let mut chars = 0usize;
    for (i, e) in entries.iter().enumerate() {
        let id = i as u64 + 1;
        let p = &bases[e.base];
        let body: String = match &e.copy {
            Some((s, _)) => s.concat(),
            None => p.sentences.concat(),
        };
        chars += body.chars().count();
        let title = if args.name_titles {
            &p.reported.name
        } else {
            &p.title
        };
        writeln!(corpus, "{id}\t{title}\t{body}\t{}", p.unit_path).unwrap();
        match &e.copy {
            Some((_, tags)) => writeln!(truth, "{}\t{id}\tcopy\t{}", e.group, tags.join(",")),
            None if e.group > 0 => writeln!(truth, "{}\t{id}\torig\t-", e.group),
            None => Ok(()),
        }
        .unwrap();
        if e.copy.is_none() {
            originals.push((id, e.base));
        }
    }
    corpus.flush().unwrap();
    truth.flush().unwrap();

    // Queries.
    let mut q = file("queries.tsv");
    let mut qid = 0;
    let mut line =
        |q: &mut BufWriter<std::fs::File>, set: &str, kind: &str, target: u64, text: &str| {
            qid += 1;
            writeln!(q, "{qid}\t{set}\t{kind}\t{target}\t{text}").unwrap();
        };
    let mut qrng = Rng(args.seed ^ 0x5155_4552_5953);
    for i in 0..args.queries {
        let (_, b) = *qrng.pick(&originals);
        let mut p = &bases[b];
        match i % 3 {
            0 => {
                // A 3-character name (2-character ones are the `short` kind's business).
                let name = loop {
                    let three = [&p.reported, &p.petitioner]
                        .into_iter()
                        .map(|x| &x.name)
                        .find(|n| n.chars().count() == 3);
                    if let Some(n) = three {
                        break n;
                    }
                    p = &bases[qrng.pick(&originals).1];
                };
                line(&mut q, "latency", "name", 0, name);
            }
            1 => line(
                &mut q,
                "latency",
                "place",
                0,
                &format!("{}{}", p.township, p.village),
            ),
            _ => {
                let body: Vec<char> = p.sentences.concat().chars().collect();
                let n = qrng.range(6, 12);
                let start = qrng.below(body.len() - n);
                let s: String = body[start..start + n].iter().collect();
                let s = s.trim_matches(|c: char| !c.is_alphanumeric());
                line(&mut q, "latency", "phrase", 0, s);
            }
        }
    }
    for w in SHORT_WORDS {
        line(&mut q, "latency", "short", 0, w);
    }
    let mut used = BTreeSet::new();
    let mut made = 0;
    let mut tries = 0;
    while made < args.targets && tries < args.targets * 100 {
        tries += 1;
        let (id, b) = *qrng.pick(&originals);
        let p = &bases[b];
        let text = format!("{} {}", p.reported.name, p.phrase);
        let look: String = text
            .chars()
            .map(|c| lookalike(c).map_or(c, |v| v[0]))
            .collect();
        if p.reported.name.chars().count() != 3 || look == text || !used.insert(id) {
            continue;
        }
        made += 1;
        let initials: String = p.reported.pinyin.iter().map(|s| &s[..1]).collect();
        line(&mut q, "recall", "simplified", id, &text);
        line(&mut q, "recall", "lookalike", id, &look);
        line(&mut q, "recall", "pinyin_initials", id, &initials);
        line(
            &mut q,
            "recall",
            "pinyin_full",
            id,
            &p.reported.pinyin.concat(),
        );
    }
    q.flush().unwrap();

    let mut summary = String::new();
    write!(
        summary,
        "corpus: {} petitions ({} originals, {} planted groups, {} copies), {:.0} characters a \
         body on average, {} s2t entries; {} latency queries, {} recall targets; {:.1} s",
        entries.len(),
        bases.len(),
        groups,
        entries.len() - bases.len(),
        chars as f64 / entries.len() as f64,
        s2t.len(),
        args.queries + SHORT_WORDS.len(),
        made,
        started.elapsed().as_secs_f64()
    )
    .unwrap();
    eprintln!("{summary}");
}
