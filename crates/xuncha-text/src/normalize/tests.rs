#![allow(clippy::unwrap_used)]

use super::*;

/// Table-driven: (input, expected) with the default options.
const CASES: &[(&str, &str)] = &[
    // Traditional → simplified (OpenCC).
    ("國家", "国家"),
    ("會議紀要", "会议纪要"),
    ("這裡", "这里"),
    ("書記", "书记"),
    ("巡察組反饋問題", "巡察组反馈问题"),
    ("臺灣", "台湾"),
    ("後來", "后来"),
    ("關於", "关于"),
    ("乾淨", "干净"),
    // Regional and Japanese forms.
    ("山峯", "山峰"),
    ("徳県", "德县"),
    // Variants and look-alike obfuscation.
    ("嘫后", "然后"),
    ("樶好", "最好"),
    ("芣要", "不要"),
    ("娚人", "男人"),
    ("媄女", "美女"),
    ("丄级", "上级"),
    ("伱好", "你好"),
    ("妳们", "你们"),
    ("囯家", "国家"),
    // Compatibility ideographs and radicals.
    ("\u{FA11}", "崎"),
    ("⾺⻆", "马角"),
    // Full-width ASCII.
    ("ＡＢＣ１２３", "ABC123"),
    ("（一）", "(一)"),
    // Enclosed numerals.
    ("㈤", "五"),
    ("①②③", "123"),
    ("⑴", "1"),
    ("⒈", "1"),
    ("⑩", "10"),
    ("㊀", "一"),
    ("❶➀➊", "111"),
    // Invisible characters.
    ("数\u{200B}据", "数据"),
    ("\u{FEFF}开头", "开头"),
    ("软\u{00AD}连字符", "软连字符"),
    ("葛\u{E0100}", "葛"),
    ("a\u{200D}b\u{2060}c", "abc"),
    // Odd spaces become ASCII spaces; runs collapse.
    ("张\u{3000}三", "张 三"),
    ("a\u{00A0}\u{00A0} b", "a b"),
    ("a  \u{3000}  b", "a b"),
    ("a\tb\n", "a\tb\n"),
    // Unchanged text.
    ("", ""),
    ("abc 123", "abc 123"),
    ("为人民服务", "为人民服务"),
    ("Hello, 世界!", "Hello, 世界!"),
];

#[test]
fn table_driven_cases() {
    for (input, expected) in CASES {
        assert_eq!(normalize(input), *expected, "input {input:?}");
    }
}

#[test]
fn spaces_can_be_kept() {
    let opts = NormalizeOptions {
        collapse_spaces: false,
    };
    assert_eq!(normalize_with("a \u{3000} b", opts), "a   b");
}

#[test]
fn table_has_no_malformed_lines() {
    assert!(
        table::malformed_lines().is_empty(),
        "{:?}",
        table::malformed_lines()
    );
    assert!(table_len() > 9000, "table has {} entries", table_len());
}

/// Every GB 2312 hanzi (rows 16–87) maps to itself, except the reviewed exceptions.
#[test]
fn gb2312_hanzi_are_never_changed() {
    let exceptions: Vec<char> = include_str!("../../data/protected_exceptions.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.chars().next())
        .collect();
    let mut seen = 0;
    let mut changed = Vec::new();
    for lead in 0xB0u8..=0xF7 {
        for trail in 0xA1u8..=0xFE {
            let bytes = [lead, trail];
            let (decoded, had_errors) = encoding_rs::GBK.decode_without_bom_handling(&bytes);
            let c = decoded.chars().next().unwrap();
            // GBK fills the five holes of row 55 with private-use characters; skip them.
            if had_errors || !('\u{4E00}'..='\u{9FFF}').contains(&c) {
                continue;
            }
            seen += 1;
            if fold_char(c).is_some() && !exceptions.contains(&c) {
                changed.push(c);
            }
        }
    }
    assert_eq!(seen, 6763, "GB 2312 has 6763 hanzi");
    assert!(changed.is_empty(), "changed: {changed:?}");
    // The exception list stays short and every entry really is in use.
    assert!(exceptions.len() <= 25);
}

/// The generated table agrees with OpenCC's own t2s conversion, character by character, for
/// every traditional character OpenCC knows (except where our reviewed data differs on
/// purpose). Fails when the ferrous-opencc version changes: regenerate the table then.
#[test]
fn agrees_with_opencc_t2s() {
    let opencc =
        ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::T2s).unwrap();
    let mut disagreements = Vec::new();
    let mut checked = 0;
    for line in include_str!("../../data/fold.tsv").lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        if line.starts_with('#') || fields.get(2) != Some(&"opencc-TSCharacters") {
            continue;
        }
        let c = char::from_u32(u32::from_str_radix(fields[0], 16).unwrap()).unwrap();
        let ours = normalize(&c.to_string());
        // OpenCC's output may itself still be a variant our table folds further (峯 → 峰).
        let theirs = normalize(&opencc.convert(&c.to_string()));
        checked += 1;
        if ours != theirs {
            disagreements.push(format!("{c}: ours {ours}, OpenCC {theirs}"));
        }
    }
    assert!(checked > 3500, "only {checked} OpenCC entries");
    // OpenCC's phrase table can turn a lone character into another (a one-character
    // "phrase"); allow a handful, but not a drift.
    assert!(disagreements.len() <= 10, "{disagreements:#?}");
}

#[test]
fn offsets_point_at_the_original_characters() {
    let text = "巡察組\u{3000}\u{3000}發現①號問題\u{200B}：ＡＢ⑩";
    let (out, offsets) = normalize_with_offsets(text);
    assert_eq!(out, "巡察组 发现1号问题:AB10");
    assert_eq!(out.chars().count(), offsets.len());
    for (c, &at) in out.chars().zip(&offsets) {
        let original = text[at..].chars().next().unwrap();
        let folded = normalize_with(
            &original.to_string(),
            NormalizeOptions {
                collapse_spaces: false,
            },
        );
        assert!(folded.contains(c), "{c} came from {original}");
    }
    // Highlight 发现 in the output; it lands on 發現 in the original.
    let start = out.chars().position(|c| c == '发').unwrap();
    let span = original_span(text, &offsets, start..start + 2);
    assert_eq!(&text[span], "發現");
    // Both characters of ⑩'s expansion point at ⑩.
    let n = out.chars().count();
    assert_eq!(&text[original_span(text, &offsets, n - 2..n)], "⑩");
    assert_eq!(original_span(text, &offsets, 3..3), offsets[3]..offsets[3]);
}

/// The slow path with offsets and the fast path agree on a mixed corpus.
#[test]
fn offsets_variant_matches_fast_path() {
    let samples = [
        "關於開展2024年度巡察工作的通知 \u{3000} 第①條",
        "  leading and trailing  ",
        "嘫后\u{FEFF}\u{200B}樶好 ＡＢＣ ㈤ ⑴ ⒈",
        "\u{3000}\u{3000}",
        "a\u{00A0} \u{2003}b",
        "𠀀𪚥 astral 𡈽",
    ];
    for s in samples {
        for collapse_spaces in [true, false] {
            let n = Normalizer::new(NormalizeOptions { collapse_spaces });
            let (slow, offsets) = n.normalize_with_offsets(s);
            assert_eq!(slow, n.normalize(s), "{s:?}");
            assert_eq!(slow.chars().count(), offsets.len());
            assert!(offsets.windows(2).all(|w| w[0] <= w[1]));
        }
    }
}

#[test]
fn normalising_twice_changes_nothing() {
    for (input, _) in CASES {
        let once = normalize(input);
        assert_eq!(normalize(&once), once, "{input:?}");
    }
    // And no table target is itself a key.
    for line in include_str!("../../data/fold.tsv").lines() {
        if line.starts_with('#') {
            continue;
        }
        let target = line.split('\t').nth(1).unwrap();
        if target == "-" {
            continue;
        }
        for hex in target.split(' ') {
            let c = char::from_u32(u32::from_str_radix(hex, 16).unwrap()).unwrap();
            assert!(c == ' ' || fold_char(c).is_none(), "{line}");
        }
    }
}
