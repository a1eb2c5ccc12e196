//! Writes a sample ledger (`sample.xlsx`) and report (`sample.docx`) into a
//! directory, to look at the layouts in Excel, WPS or LibreOffice:
//!
//! ```sh
//! cargo run -p xuncha-office --example samples -- /tmp/samples
//! ```

use xuncha_office::docx::{write_docx, Block, Document};
use xuncha_office::{write_xlsx, Cell, Sheet};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".to_owned());
    std::fs::create_dir_all(&dir)?;

    let units = ["县财政局", "县发展和改革局", "县委办公室", "县农业农村局"];
    let rows = (0..40)
        .map(|i| {
            vec![
                Cell::Int(i + 1),
                Cell::from(units[i as usize % units.len()]),
                Cell::Text(format!("1101011990030{:05}", 71234 + i)),
                Cell::Date(format!("2024-0{}-1{}", 3 + i % 6, i % 10)),
                Cell::Number(12.5 + i as f64),
                Cell::from(if i % 3 == 0 {
                    "专项资金拨付不及时，台账记录不完整，部分凭证缺少经办人签字，需进一步核实"
                } else {
                    "公务接待超标准"
                }),
            ]
        })
        .collect();
    let sheet = Sheet {
        name: "问题清单".into(),
        title: Some("县委第一巡察组发现问题清单".into()),
        headers: [
            "序号",
            "被巡察单位",
            "身份证号",
            "发现日期",
            "涉及金额（万元）",
            "问题描述",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        widths: None,
    };
    std::fs::write(format!("{dir}/sample.xlsx"), write_xlsx(&[sheet])?)?;

    let doc = Document {
        title: "关于县财政局巡察情况的报告".into(),
        doc_number: Some("县巡发〔2024〕3号".into()),
        subtitle: None,
        recipient: Some("县委巡察工作领导小组".into()),
        blocks: vec![
            Block::Paragraph(
                "根据县委统一部署，县委第一巡察组于2024年3月11日至5月10日对县财政局党组开展了常规巡察。\
                 巡察组坚持发现问题、形成震慑、推动改革、促进发展的巡察工作方针，现将有关情况报告如下。"
                    .into(),
            ),
            Block::Heading1("一、基本情况".into()),
            Block::Paragraph(
                "巡察期间，巡察组共个别谈话120人次，调阅资料3000余份，受理信访举报15件，\
                 下沉了解2个二级单位。"
                    .into(),
            ),
            Block::Heading1("二、发现的主要问题".into()),
            Block::Heading2("（一）落实党的路线方针政策和党中央决策部署方面".into()),
            Block::Heading3("1.贯彻落实重大决策部署不够有力。".into()),
            Block::Paragraph("部分专项资金拨付不及时，资金使用效益不高。".repeat(6)),
            Block::Table {
                headers: vec!["序号".into(), "问题".into(), "责任单位".into(), "整改时限".into()],
                rows: vec![
                    vec!["1".into(), "专项资金台账不全".into(), "预算股".into(), "2024年6月30日".into()],
                    vec!["2".into(), "公务接待超标准".into(), "办公室".into(), "立行立改".into()],
                ],
            },
            Block::Heading1("三、意见建议".into()),
            Block::Paragraph("建议县财政局党组切实履行主体责任，认真抓好巡察整改。".repeat(8)),
        ],
        signature: Some("县委第一巡察组".into()),
        date: Some("2024-05-20".into()),
    };
    std::fs::write(format!("{dir}/sample.docx"), write_docx(&doc)?)?;
    println!("wrote {dir}/sample.xlsx and {dir}/sample.docx");
    Ok(())
}
