//! The Word package is complete and well formed.

use std::io::{Cursor, Read};

use xuncha_office::docx::{write_docx, Block, Document};

fn sample() -> Document {
    Document {
        title: "关于县财政局巡察情况的报告\n（征求意见稿）".into(),
        doc_number: Some("县巡发〔2024〕3号".into()),
        subtitle: None,
        recipient: Some("县委巡察工作领导小组".into()),
        blocks: vec![
            Block::Paragraph(
                "根据县委统一部署，县委第一巡察组于2024年3月至5月对县财政局开展了常规巡察。".into(),
            ),
            Block::Heading1("一、基本情况".into()),
            Block::Paragraph("巡察组共谈话120人次，调阅资料3,000余份。".into()),
            Block::Heading2("（一）存在的问题".into()),
            Block::Heading3("1.落实全面从严治党主体责任不够到位".into()),
            Block::Table {
                headers: vec!["序号".into(), "问题".into(), "整改时限".into()],
                rows: vec![
                    vec![
                        "1".into(),
                        "专项资金台账不全 <&>".into(),
                        "2024-06-30".into(),
                    ],
                    vec!["2".into(), "公务接待超标准".into()],
                ],
            },
            Block::PageBreak,
            Block::Paragraph("附件：问题清单".into()),
        ],
        signature: Some("县委第一巡察组".into()),
        date: Some("2024-05-20".into()),
    }
}

fn parts(bytes: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).expect("entry");
            let mut s = String::new();
            f.read_to_string(&mut s).expect("utf-8 part");
            (f.name().to_owned(), s)
        })
        .collect()
}

#[test]
fn package_has_every_part() {
    let bytes = write_docx(&sample()).expect("docx");
    let names: Vec<String> = parts(&bytes).into_iter().map(|(n, _)| n).collect();
    for want in [
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
        "word/_rels/document.xml.rels",
        "word/styles.xml",
        "word/settings.xml",
        "word/fontTable.xml",
        "word/footer1.xml",
        "word/footer2.xml",
        "docProps/core.xml",
        "docProps/app.xml",
    ] {
        assert!(names.iter().any(|n| n == want), "missing {want}");
    }
}

#[test]
fn parts_are_balanced_xml() {
    let bytes = write_docx(&sample()).expect("docx");
    for (name, xml) in parts(&bytes) {
        assert!(xml.starts_with("<?xml"), "{name}");
        assert_balanced(&name, &xml);
    }
}

#[test]
fn layout_follows_gb_t_9704() {
    let bytes = write_docx(&sample()).expect("docx");
    let all = parts(&bytes);
    let part = |n: &str| {
        all.iter()
            .find(|(name, _)| name == n)
            .map(|(_, x)| x.as_str())
            .unwrap_or("")
    };
    let doc = part("word/document.xml");
    // A4 with 37/35/28/26 mm margins.
    assert!(doc.contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#));
    assert!(doc.contains(r#"w:top="2098" w:right="1474" w:bottom="1984" w:left="1587""#));
    assert!(doc.contains("县巡发〔2024〕3号"));
    assert!(doc.contains("县委巡察工作领导小组："));
    assert!(doc.contains("专项资金台账不全 &lt;&amp;&gt;"));
    assert!(doc.contains("2024年5月20日"));
    assert!(doc.contains(r#"<w:br w:type="page"/>"#));
    let styles = part("word/styles.xml");
    assert!(styles.contains("方正小标宋简体"));
    assert!(styles.contains(r#"<w:sz w:val="44"/>"#), "title 22pt");
    assert!(styles.contains(r#"<w:sz w:val="32"/>"#), "body 16pt");
    assert!(styles.contains(r#"w:firstLineChars="200""#));
    assert!(styles.contains(r#"w:line="579" w:lineRule="exact""#));
    let footer = part("word/footer1.xml");
    assert!(footer.contains(" PAGE "));
    assert!(footer.contains("— "));
    assert!(part("word/settings.xml").contains("<w:evenAndOddHeaders/>"));
}

/// Every start tag has its end tag, in order (enough to catch a broken
/// `format!`; LibreOffice is the real check, see `libreoffice.rs`).
fn assert_balanced(name: &str, xml: &str) {
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest
            .find('>')
            .unwrap_or_else(|| panic!("{name}: unclosed <"));
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('?') || tag.ends_with('/') {
            continue;
        }
        let tag_name = tag
            .trim_start_matches('/')
            .split_whitespace()
            .next()
            .unwrap_or("");
        if tag.starts_with('/') {
            assert_eq!(stack.pop(), Some(tag_name), "{name}: </{tag_name}>");
        } else {
            stack.push(tag_name);
        }
    }
    assert!(stack.is_empty(), "{name}: unclosed {stack:?}");
}
