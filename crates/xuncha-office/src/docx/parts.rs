//! The fixed parts of the Word package: content types, relationships,
//! styles, settings, fonts and the page-number footers.

use super::xml::escape;

/// WordprocessingML main namespace declarations.
pub(super) const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;
pub(super) const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// Body text font (仿宋_GB2312), Word falls back to 仿宋 (see the font table).
pub(super) const FANGSONG: &str = "仿宋_GB2312";
/// Level-1 headings.
pub(super) const HEITI: &str = "黑体";
/// Level-2 headings and subtitles.
pub(super) const KAITI: &str = "楷体_GB2312";
/// The title.
pub(super) const XIAOBIAOSONG: &str = "方正小标宋简体";
/// Page numbers.
pub(super) const SONGTI: &str = "宋体";

/// 三号 (16pt) in half-points.
pub(super) const SIZE_3: u32 = 32;
/// 二号 (22pt) in half-points.
pub(super) const SIZE_2: u32 = 44;
/// 四号 (14pt) in half-points.
pub(super) const SIZE_4: u32 = 28;
/// 小四 (12pt) in half-points.
pub(super) const SIZE_S4: u32 = 24;
/// One 三号 character in twips (for indents).
pub(super) const CHAR_TWIPS: u32 = 320;
/// Fixed line pitch: 22 lines in the 225mm type area, 28.95pt, in twips.
pub(super) const LINE_TWIPS: u32 = 579;
/// Width of the type area: 210mm − 28mm − 26mm = 156mm, in twips.
pub(super) const TEXT_WIDTH_TWIPS: u32 = 8844;

/// `<w:rFonts>` naming one font for every script.
pub(super) fn fonts(name: &str) -> String {
    let n = escape(name);
    format!(r#"<w:rFonts w:ascii="{n}" w:hAnsi="{n}" w:eastAsia="{n}" w:cs="{n}"/>"#)
}

pub(super) fn content_types() -> String {
    const WML: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    format!(
        r#"{DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Default Extension="jpeg" ContentType="image/jpeg"/><Override PartName="/word/document.xml" ContentType="{WML}.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="{WML}.styles+xml"/><Override PartName="/word/settings.xml" ContentType="{WML}.settings+xml"/><Override PartName="/word/fontTable.xml" ContentType="{WML}.fontTable+xml"/><Override PartName="/word/footer1.xml" ContentType="{WML}.footer+xml"/><Override PartName="/word/footer2.xml" ContentType="{WML}.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#
    )
}

pub(super) fn package_rels() -> String {
    format!(
        r#"{DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#
    )
}

/// Relationship ids used by `document.xml`'s section properties.
pub(super) const RID_FOOTER_ODD: &str = "rId4";
pub(super) const RID_FOOTER_EVEN: &str = "rId5";

/// The relationship id of the document's `n`th image (`media/image{n}.…`).
pub(super) fn image_rid(n: usize) -> String {
    format!("rIdImg{n}")
}

/// The document's relationships: fixed parts, then one per image (its file
/// name under `word/`).
pub(super) fn document_rels(images: &[String]) -> String {
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let media: String = images
        .iter()
        .enumerate()
        .map(|(n, target)| {
            format!(
                r#"<Relationship Id="{}" Type="{REL}/image" Target="{target}"/>"#,
                image_rid(n)
            )
        })
        .collect();
    format!(
        r#"{DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/styles" Target="styles.xml"/><Relationship Id="rId2" Type="{REL}/settings" Target="settings.xml"/><Relationship Id="rId3" Type="{REL}/fontTable" Target="fontTable.xml"/><Relationship Id="{RID_FOOTER_ODD}" Type="{REL}/footer" Target="footer1.xml"/><Relationship Id="{RID_FOOTER_EVEN}" Type="{REL}/footer" Target="footer2.xml"/>{media}</Relationships>"#
    )
}

pub(super) fn core_props(title: &str) -> String {
    format!(
        r#"{DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:creator>xuncha</dc:creator></cp:coreProperties>"#,
        escape(title)
    )
}

pub(super) fn app_props() -> String {
    format!(
        r#"{DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>xuncha</Application></Properties>"#
    )
}

/// Odd and even pages get different footers (GB/T 9704: odd page numbers
/// right, even ones left).
pub(super) fn settings() -> String {
    format!(
        r#"{DECL}<w:settings {NS}><w:defaultTabStop w:val="420"/><w:evenAndOddHeaders/><w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#
    )
}

/// The document's fonts, each with the font Word should use when it is
/// not installed (the `_GB2312` fonts are not on stock Windows).
pub(super) fn font_table() -> String {
    let font = |name: &str, alt: &str| {
        format!(
            r#"<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>"#
        )
    };
    format!(
        "{DECL}<w:fonts {NS}>{}{}{}{}{}</w:fonts>",
        font(FANGSONG, "仿宋"),
        font(KAITI, "楷体"),
        font(XIAOBIAOSONG, "华文中宋"),
        font(HEITI, "SimHei"),
        font(SONGTI, "SimSun"),
    )
}

/// A footer with the page number as `— 1 —` (4号 宋体), one character in
/// from the right edge (odd pages) or the left (even pages).
pub(super) fn footer(odd: bool) -> String {
    let side = if odd { "right" } else { "left" };
    let jc = if odd { "right" } else { "left" };
    let run = |inner: &str| format!("<w:r>{inner}</w:r>");
    format!(
        r#"{DECL}<w:ftr {NS}><w:p><w:pPr><w:pStyle w:val="Footer"/><w:ind w:{side}="280" w:{side}Chars="100"/><w:jc w:val="{jc}"/></w:pPr>{}{}{}{}{}{}{}</w:p></w:ftr>"#,
        run(r#"<w:t xml:space="preserve">— </w:t>"#),
        run(r#"<w:fldChar w:fldCharType="begin"/>"#),
        run(r#"<w:instrText xml:space="preserve"> PAGE </w:instrText>"#),
        run(r#"<w:fldChar w:fldCharType="separate"/>"#),
        run("<w:t>1</w:t>"),
        run(r#"<w:fldChar w:fldCharType="end"/>"#),
        run(r#"<w:t xml:space="preserve"> —</w:t>"#),
    )
}

/// Paragraph styles: 公文正文 body (仿宋 三号, first line indented two
/// characters), title (方正小标宋 二号), headings 1–3 (黑体, 楷体, 仿宋
/// bold) with outline levels for Word's navigation pane, table text and
/// the footer. Every line is exactly [`LINE_TWIPS`] apart.
pub(super) fn styles() -> String {
    let body_ind = format!(
        r#"<w:ind w:firstLineChars="200" w:firstLine="{}"/>"#,
        2 * CHAR_TWIPS
    );
    let style = |id: &str, name: &str, based: &str, ppr: &str, rpr: &str| {
        let based = if based.is_empty() {
            String::new()
        } else {
            format!(r#"<w:basedOn w:val="{based}"/>"#)
        };
        format!(
            r#"<w:style w:type="paragraph" w:customStyle="{}" w:styleId="{id}"><w:name w:val="{name}"/>{based}<w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"#,
            if id.starts_with("Gw") { "1" } else { "0" }
        )
    };
    let keep = "<w:keepNext/><w:keepLines/>";
    let table_spacing = r#"<w:spacing w:line="240" w:lineRule="auto"/>"#;
    let mut out = format!(
        r#"{DECL}<w:styles {NS}><w:docDefaults><w:rPrDefault><w:rPr>{}<w:kern w:val="2"/><w:sz w:val="{SIZE_3}"/><w:szCs w:val="{SIZE_3}"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:spacing w:before="0" w:after="0" w:line="{LINE_TWIPS}" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>"#,
        fonts(FANGSONG)
    );
    out.push_str(
        r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>"#,
    );
    out.push_str(&style("GwBody", "公文正文", "Normal", &body_ind, ""));
    out.push_str(&style(
        "Title",
        "Title",
        "Normal",
        r#"<w:jc w:val="center"/><w:outlineLvl w:val="9"/>"#,
        &format!(
            r#"{}<w:sz w:val="{SIZE_2}"/><w:szCs w:val="{SIZE_2}"/>"#,
            fonts(XIAOBIAOSONG)
        ),
    ));
    out.push_str(&style(
        "Subtitle",
        "Subtitle",
        "Normal",
        r#"<w:jc w:val="center"/>"#,
        &fonts(KAITI),
    ));
    out.push_str(&style(
        "GwDocNumber",
        "发文字号",
        "Normal",
        r#"<w:jc w:val="center"/>"#,
        "",
    ));
    for (level, id, name, font, bold) in [
        (0, "Heading1", "heading 1", HEITI, ""),
        (1, "Heading2", "heading 2", KAITI, ""),
        (2, "Heading3", "heading 3", FANGSONG, "<w:b/><w:bCs/>"),
    ] {
        out.push_str(&style(
            id,
            name,
            "GwBody",
            &format!(r#"{keep}<w:outlineLvl w:val="{level}"/>"#),
            &format!("{}{bold}", fonts(font)),
        ));
    }
    out.push_str(&style(
        "GwTableText",
        "表格文字",
        "Normal",
        &format!(r#"{table_spacing}<w:jc w:val="center"/>"#),
        "",
    ));
    out.push_str(&style(
        "GwTableHeader",
        "表格表头",
        "GwTableText",
        "<w:keepNext/>",
        &fonts(HEITI),
    ));
    out.push_str(&style(
        "Footer",
        "footer",
        "Normal",
        table_spacing,
        &format!(
            r#"{}<w:sz w:val="{SIZE_4}"/><w:szCs w:val="{SIZE_4}"/>"#,
            fonts(SONGTI)
        ),
    ));
    out.push_str("</w:styles>");
    out
}
