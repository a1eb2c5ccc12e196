#![allow(clippy::unwrap_used)]

use std::collections::{HashMap, HashSet};

use super::*;

/// Words of official prose; random sequences of them make unrelated documents on the same
/// subject (they share many within-word shingles, as real documents do).
const VOCAB: &[&str] = &[
    "巡察组",
    "反馈",
    "问题",
    "整改",
    "落实",
    "党委",
    "政府",
    "纪委监委",
    "民主测评",
    "谈话",
    "群众",
    "来信",
    "来访",
    "低保",
    "特困供养",
    "危房改造",
    "资金",
    "管理",
    "使用",
    "情况",
    "村两委",
    "第一书记",
    "驻村",
    "工作队",
    "乡镇",
    "街道",
    "社区",
    "县委",
    "县政府",
    "部门",
    "责任",
    "主体",
    "监督",
    "检查",
    "考核",
    "制度",
    "建设",
    "作风",
    "纪律",
    "规矩",
    "廉洁",
    "风险",
    "防控",
    "干部",
    "队伍",
    "教育",
    "培训",
    "学习",
    "宣传",
    "组织",
    "生活",
    "会议",
    "记录",
    "台账",
    "清单",
    "档案",
    "报告",
    "通知",
    "方案",
    "计划",
    "总结",
    "经验",
    "成效",
    "项目",
    "工程",
    "招标",
    "采购",
    "合同",
    "审计",
    "财务",
    "报销",
    "票据",
    "公款",
    "公车",
    "接待",
    "补贴",
    "发放",
    "核查",
    "比对",
    "数据",
    "系统",
    "平台",
    "信息",
    "公开",
    "公示",
    "耕地",
    "保护",
    "生态",
    "环境",
    "安全",
    "生产",
    "疫情",
    "防控",
    "医保",
    "养老",
    "就业",
    "教育",
    "医疗",
    "住房",
    "交通",
    "水利",
    "农业",
    "产业",
    "发展",
    "振兴",
    "脱贫",
    "攻坚",
    "巩固",
    "成果",
    "衔接",
    "监测",
    "对象",
    "帮扶",
    "措施",
    "政策",
    "文件",
    "精神",
    "要求",
    "部署",
    "推进",
    "加强",
    "完善",
    "健全",
    "规范",
    "提升",
    "强化",
    "深化",
    "持续",
    "全面",
    "认真",
    "及时",
    "严格",
    "依法",
    "依规",
    "按期",
    "完成",
    "上报",
    "反映",
    "存在",
    "不足",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn random_doc(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        s.push_str(VOCAB[rng.below(VOCAB.len())]);
        if i % 9 == 8 {
            s.push('，');
        }
    }
    s.push('。');
    s
}

/// A few edits: characters replaced, a phrase inserted, punctuation changed.
fn reword(rng: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..2 {
        let i = rng.below(chars.len());
        chars[i] = '某';
    }
    let at = rng.below(chars.len());
    chars.splice(at..at, "经研究".chars());
    chars
        .into_iter()
        .map(|c| if c == '，' { '；' } else { c })
        .collect()
}

/// Simplified → one traditional form, from the generated table's OpenCC rows.
fn traditional_map() -> HashMap<char, char> {
    let mut map = HashMap::new();
    for line in include_str!("../../data/fold.tsv").lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if line.starts_with('#') || f[2] != "opencc-TSCharacters" || f[1].contains(' ') {
            continue;
        }
        let from = char::from_u32(u32::from_str_radix(f[0], 16).unwrap()).unwrap();
        let to = char::from_u32(u32::from_str_radix(f[1], 16).unwrap()).unwrap();
        map.entry(to).or_insert(from);
    }
    map
}

fn to_traditional(map: &HashMap<char, char>, text: &str) -> String {
    text.chars().map(|c| *map.get(&c).unwrap_or(&c)).collect()
}

/// Look-alike and invisible-character obfuscation, with full-width punctuation swapped.
fn obfuscate(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        match c {
            '然' => out.push('嘫'),
            '最' => out.push('樶'),
            '不' => out.push('芣'),
            '上' => out.push('丄'),
            '国' => out.push('囯'),
            '，' => out.push(','),
            _ => out.push(c),
        }
        if i % 7 == 3 {
            out.push('\u{200B}');
        }
    }
    out
}

fn exact_jaccard(a: &str, b: &str) -> f64 {
    let shingles = |t: &str| {
        let mut set = HashSet::new();
        MinHash::default().for_each_shingle(t, |h| {
            set.insert(h);
        });
        set
    };
    let (sa, sb) = (shingles(a), shingles(b));
    sa.intersection(&sb).count() as f64 / sa.union(&sb).count() as f64
}

#[test]
fn signature_estimates_jaccard() {
    let mut rng = Rng(11);
    let mh = MinHash::default();
    for _ in 0..20 {
        let a = random_doc(&mut rng, 80);
        let b = reword(&mut rng, &a);
        let c = random_doc(&mut rng, 80);
        for (x, y) in [(&a, &b), (&a, &c)] {
            let est = mh.signature(x).jaccard(&mh.signature(y));
            let exact = exact_jaccard(x, y);
            assert!((est - exact).abs() < 0.15, "estimate {est}, exact {exact}");
        }
    }
}

#[test]
fn signatures_are_stable_and_normalised() {
    let mh = MinHash::default();
    let a = mh.signature("巡察组反馈问题，要求整改落实。");
    // Traditional, look-alike, full-width and invisible forms give the same signature.
    assert_eq!(a, mh.signature("巡察組反饋問題\u{200B}要求整改落實！！"));
    assert_eq!(a.jaccard(&a), 1.0);
    assert_eq!(Signature::from_values(*a.values()), a);
    // Values are fixed forever: a stored signature must stay comparable.
    assert_eq!(
        mh.signature("abc").values()[0],
        mh.signature("ＡＢＣ").values()[0]
    );
    let empty = mh.signature(" ，。");
    assert!(empty.is_empty());
    assert_eq!(empty.jaccard(&empty), 0.0);
    // Short texts are one shingle; shingle size is clamped.
    assert!(!mh.signature("张").is_empty());
    assert_eq!(MinHash::new(0), MinHash::new(1));
    assert_eq!(MinHash::new(9), MinHash::new(3));
}

#[test]
fn empty_bins_borrow_alike_in_every_text() {
    // A short text leaves most bins empty; they are filled, and two texts with the same
    // shingles get the same signature whatever the order of the shingles.
    let mh = MinHash::default();
    let a = mh.signature("巡察组反馈");
    assert!(a.values().iter().all(|&v| v != u64::MAX));
    assert_eq!(a, mh.signature("巡察组反馈"));
    for i in 0..NUM_PERM {
        assert!(probe(i, 0) < NUM_PERM);
    }
}

#[test]
fn groups_planted_duplicates() {
    let mut rng = Rng(2024);
    let trad = traditional_map();
    let mut docs: Vec<(u64, String)> = Vec::new();
    let mut expected: Vec<Vec<u64>> = Vec::new();
    for family in 0..30u64 {
        let words = 100 + rng.below(60);
        let base = random_doc(&mut rng, words);
        let id = family * 10;
        docs.push((id, base.clone()));
        docs.push((id + 1, reword(&mut rng, &base)));
        docs.push((id + 2, to_traditional(&trad, &base)));
        docs.push((id + 3, obfuscate(&to_traditional(&trad, &base))));
        expected.push(vec![id, id + 1, id + 2, id + 3]);
    }
    // Unrelated documents on the same subject, including short ones.
    for i in 0..300u64 {
        let words = 5 + rng.below(100);
        docs.push((10_000 + i, random_doc(&mut rng, words)));
    }
    docs.push((20_000, "，，，".to_owned()));
    docs.push((20_001, String::new()));
    let refs: Vec<(u64, &str)> = docs.iter().map(|(id, t)| (*id, t.as_str())).collect();
    let groups = group_near_duplicates(&refs, 0.8);
    assert_eq!(groups, expected);
}

#[test]
fn lsh_recall_on_planted_pairs() {
    let mut rng = Rng(7);
    let mh = MinHash::default();
    let mut idx = LshIndex::for_threshold(0.8);
    let mut pairs = Vec::new();
    for i in 0..200u64 {
        let a = random_doc(&mut rng, 100);
        idx.insert(i, &mh.signature(&a));
        pairs.push((i, reword(&mut rng, &a)));
    }
    let found = pairs
        .iter()
        .filter(|(i, b)| idx.candidates(&mh.signature(b)).contains(i))
        .count();
    assert!(found >= 196, "recall {found}/200");
}
