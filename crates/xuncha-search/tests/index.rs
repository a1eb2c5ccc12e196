//! End-to-end tests of the search index.
// Helpers outside `#[test]` functions unwrap too: a panic there is the failure report.
#![allow(clippy::unwrap_used)]

use xuncha_search::{SearchDoc, SearchIndex, SearchQuery};

fn doc(doc_type: &str, id: &str, title: &str, body: &str, path: Option<&str>) -> SearchDoc {
    SearchDoc {
        doc_type: doc_type.into(),
        doc_id: id.into(),
        title: title.into(),
        body: body.into(),
        unit_path: path.map(Into::into),
        date: Some(20_261_101),
        status: Some("open".into()),
        round_id: None,
        access: Vec::new(),
    }
}

fn ids(index: &SearchIndex, q: &SearchQuery) -> (usize, Vec<String>) {
    let r = index.search(q).unwrap();
    let mut ids: Vec<String> = r.hits.into_iter().map(|h| h.doc_id).collect();
    ids.sort();
    (r.total, ids)
}

fn q(text: &str) -> SearchQuery {
    SearchQuery::text(text)
}

#[test]
fn upsert_search_delete() {
    let index = SearchIndex::open_in_ram().unwrap();
    index
        .upsert(&[
            doc(
                "unit",
                "1",
                "某县财政局",
                "负责全县财政收支管理",
                Some("/1/"),
            ),
            doc("unit", "2", "某县教育局", "负责全县教育工作", Some("/2/")),
        ])
        .unwrap();
    assert_eq!(index.doc_count(), 2);
    assert_eq!(ids(&index, &q("财政")), (1, vec!["1".into()]));
    assert_eq!(ids(&index, &q("全县")).0, 2);
    // Upsert replaces by (doc_type, doc_id).
    index
        .upsert(&[doc("unit", "1", "某县税务局", "负责税收", Some("/1/"))])
        .unwrap();
    assert_eq!(index.doc_count(), 2);
    assert_eq!(ids(&index, &q("财政")).0, 0);
    assert_eq!(ids(&index, &q("税务")).1, vec!["1".to_owned()]);
    // Same id, other type: a different document.
    index
        .upsert(&[doc("person", "1", "张三", "", Some("/1/"))])
        .unwrap();
    assert_eq!(index.doc_count(), 3);
    let r = index
        .search(&SearchQuery {
            doc_types: vec!["person".into()],
            ..q("")
        })
        .unwrap();
    assert_eq!(r.total, 1);
    assert_eq!(r.hits[0].title, "张三");
    index.delete("unit", "1").unwrap();
    index.delete("unit", "missing").unwrap();
    assert_eq!(index.doc_count(), 2);
    assert_eq!(ids(&index, &q("税务")).0, 0);
    index.clear().unwrap();
    assert_eq!(index.doc_count(), 0);
}

#[test]
fn traditional_and_look_alike_queries_find_simplified_text_and_back() {
    let index = SearchIndex::open_in_ram().unwrap();
    index
        .upsert(&[
            doc(
                "petition",
                "a",
                "关于国家巡察的意见",
                "最近国家巡察组进驻",
                Some("/1/"),
            ),
            doc("petition", "b", "關於經費使用", "請求國家審計", Some("/1/")),
        ])
        .unwrap();
    assert_eq!(ids(&index, &q("國家巡察")).1, vec!["a".to_owned()]);
    assert_eq!(ids(&index, &q("樶近")).1, vec!["a".to_owned()]);
    assert_eq!(ids(&index, &q("经费")).1, vec!["b".to_owned()]);
    assert_eq!(ids(&index, &q("国家")).0, 2);
    // A partial word still matches (bigrams), and all parts are required.
    assert_eq!(ids(&index, &q("巡察组")).1, vec!["a".to_owned()]);
    assert_eq!(ids(&index, &q("国家 经费")).1, vec!["b".to_owned()]);
}

#[test]
fn pinyin_finds_person_names() {
    let index = SearchIndex::open_in_ram().unwrap();
    index
        .upsert(&[
            doc("person", "p1", "张三", "某局科员", Some("/1/")),
            doc("person", "p2", "李四", "某局科长", Some("/1/")),
            doc("person", "p3", "单雄信", "", Some("/1/")),
        ])
        .unwrap();
    for query in ["zhangsan", "zs", "zhs", "ZhangSan", "zhang san", "zhangs"] {
        assert_eq!(ids(&index, &q(query)).1, vec!["p1".to_owned()], "{query}");
    }
    assert_eq!(ids(&index, &q("shanxiongxin")).1, vec!["p3".to_owned()]);
    assert_eq!(ids(&index, &q("ls")).1, vec!["p2".to_owned()]);
    assert_eq!(ids(&index, &q("zhan")).0, 0);
    // The name matched by its pinyin is highlighted (a title match: the title is the snippet).
    let r = index.search(&q("zs")).unwrap();
    assert_eq!(r.hits[0].snippet_html, "<mark>张三</mark>");
}

#[test]
fn a_lone_character_is_found_anywhere_in_a_run() {
    let index = SearchIndex::open_in_ram().unwrap();
    index
        .upsert(&[
            doc("petition", "start", "来信", "王某反映问题", Some("/1/")),
            doc(
                "petition",
                "middle",
                "来信",
                "村民王某反映问题",
                Some("/1/"),
            ),
            doc("petition", "end", "来信", "反映村民老王", Some("/1/")),
            doc("petition", "alone", "来信", "反映：王，男", Some("/1/")),
            doc("petition", "title", "王某来信", "反映问题", Some("/1/")),
            doc("petition", "none", "来信", "反映问题", Some("/1/")),
        ])
        .unwrap();
    let (total, found) = ids(&index, &q("王"));
    assert_eq!(total, 5);
    assert!(!found.contains(&"none".to_owned()), "{found:?}");
    // In traditional script too, and together with other terms.
    assert_eq!(ids(&index, &q("從 王")).0, 0);
    assert_eq!(ids(&index, &q("王 村民")).1, ["end", "middle"]);
    let r = index.search(&q("王")).unwrap();
    assert!(r
        .hits
        .iter()
        .all(|h| h.snippet_html.contains("<mark>王</mark>")));
}

#[test]
fn pinyin_finds_names_inside_bodies_and_mixes_with_chinese() {
    let index = SearchIndex::open_in_ram().unwrap();
    index
        .upsert(&[
            doc(
                "petition",
                "1",
                "反映低保评定问题",
                "石桥村村支书張建国把低保名额给了亲戚",
                Some("/1/"),
            ),
            doc(
                "petition",
                "2",
                "反映工程项目问题",
                "村主任张建国在工程项目中虚报冒领",
                Some("/1/"),
            ),
            doc(
                "petition",
                "3",
                "反映低保问题",
                "会计李秀英优亲厚友",
                Some("/1/"),
            ),
        ])
        .unwrap();
    let both = vec!["1".to_owned(), "2".to_owned()];
    for query in ["zhangjianguo", "Zhang Jianguo", "zjg", "zhjg"] {
        let (total, mut found) = ids(&index, &q(query));
        found.sort();
        assert_eq!((total, found), (2, both.clone()), "{query}");
    }
    // Pinyin and Chinese in one query: both parts are required.
    assert_eq!(ids(&index, &q("zhangjianguo 低保")).1, vec!["1".to_owned()]);
    assert_eq!(ids(&index, &q("lxy 低保")).1, vec!["3".to_owned()]);
    assert_eq!(ids(&index, &q("zhangjianguo 优亲厚友")).0, 0);
    // The highlight lands on the name as written (traditional 張).
    let r = index.search(&q("zhangjianguo 低保")).unwrap();
    assert!(
        r.hits[0].snippet_html.contains("<mark>張建国</mark>"),
        "{}",
        r.hits[0].snippet_html
    );
}

fn scoped_index() -> SearchIndex {
    let index = SearchIndex::open_in_ram().unwrap();
    index
        .upsert(&[
            doc("clue", "c1", "线索一", "违规发放补贴", Some("/1/")),
            doc("clue", "c2", "线索二", "违规发放补贴", Some("/1/5/")),
            doc("clue", "c3", "线索三", "违规发放补贴", Some("/1/5/23/")),
            doc("clue", "c4", "线索四", "违规发放补贴", Some("/1/6/")),
            doc("clue", "c5", "线索五", "违规发放补贴", Some("/2/")),
            doc("clue", "c6", "线索六", "违规发放补贴", None),
        ])
        .unwrap();
    index
}

#[test]
fn within_limits_to_the_subtree_and_drops_unattached() {
    let index = scoped_index();
    let within = |w: &str, include_unattached: bool| SearchQuery {
        within: Some(w.into()),
        include_unattached,
        ..q("补贴")
    };
    assert_eq!(
        ids(&index, &within("/1/5/", true)),
        (2, vec!["c2".into(), "c3".into()])
    );
    assert_eq!(ids(&index, &within("/1/", false)).0, 4);
    // Another top-level subtree.
    assert_eq!(ids(&index, &within("/2/", false)).1, vec!["c5".to_owned()]);
}

#[test]
fn recused_subtree_is_hidden_including_from_the_total() {
    let index = scoped_index();
    let query = SearchQuery {
        within: Some("/1/".into()),
        excluded: vec!["/1/5/".into()],
        limit: 1,
        ..q("补贴")
    };
    let r = index.search(&query).unwrap();
    assert_eq!(r.total, 2);
    assert_eq!(r.hits.len(), 1);
    let mut seen = vec![r.hits[0].doc_id.clone()];
    let r2 = index
        .search(&SearchQuery {
            offset: 1,
            ..query.clone()
        })
        .unwrap();
    assert_eq!(r2.total, 2);
    seen.push(r2.hits[0].doc_id.clone());
    seen.sort();
    assert_eq!(seen, ["c1", "c4"]);
    let r3 = index.search(&SearchQuery { offset: 2, ..query }).unwrap();
    assert!(r3.hits.is_empty());
    // A query that only the hidden document would match reports nothing at all.
    let hidden = SearchQuery {
        excluded: vec!["/1/5/23/".into()],
        ..q("线索三")
    };
    assert_eq!(index.search(&hidden).unwrap().total, 0);
}

#[test]
fn unattached_only_with_include_unattached_and_no_within() {
    let index = scoped_index();
    assert_eq!(ids(&index, &q("补贴")).0, 5);
    let with = SearchQuery {
        include_unattached: true,
        ..q("补贴")
    };
    assert_eq!(ids(&index, &with).0, 6);
    let with_within = SearchQuery {
        within: Some("/".into()),
        include_unattached: true,
        ..q("补贴")
    };
    assert_eq!(ids(&index, &with_within).0, 5);
    let count_only = SearchQuery { limit: 0, ..with };
    let r = index.search(&count_only).unwrap();
    assert_eq!((r.total, r.hits.len()), (6, 0));
}

#[test]
fn snippets_mark_the_original_characters() {
    let index = SearchIndex::open_in_ram().unwrap();
    index
        .upsert(&[doc(
            "petition",
            "t",
            "來信",
            "反映<某>單位在國家項目中違規",
            Some("/1/"),
        )])
        .unwrap();
    let r = index.search(&q("国家")).unwrap();
    assert_eq!(r.total, 1);
    assert_eq!(
        r.hits[0].snippet_html,
        "反映&lt;某&gt;單位在<mark>國家</mark>項目中違規"
    );
    // Title match only: the title is the snippet.
    let r = index.search(&q("来信")).unwrap();
    assert_eq!(r.hits[0].snippet_html, "<mark>來信</mark>");
}

#[test]
fn reindex_replaces_everything() {
    let index = SearchIndex::open_in_ram().unwrap();
    index
        .upsert(&[doc("unit", "old", "旧单位", "", Some("/1/"))])
        .unwrap();
    let n = index
        .reindex((0..50).map(|i| {
            doc(
                "unit",
                &i.to_string(),
                &format!("新单位{i}"),
                "",
                Some("/1/"),
            )
        }))
        .unwrap();
    assert_eq!(n, 50);
    assert_eq!(index.doc_count(), 50);
    assert_eq!(ids(&index, &q("旧单位")).0, 0);
    assert_eq!(
        ids(
            &index,
            &SearchQuery {
                limit: 100,
                ..q("新单位")
            }
        )
        .0,
        50
    );
}

#[test]
fn reopened_index_keeps_documents() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search");
    {
        let index = SearchIndex::open(&path).unwrap();
        index
            .upsert(&[doc("person", "p1", "张三", "某局科员", Some("/1/"))])
            .unwrap();
    }
    let index = SearchIndex::open(&path).unwrap();
    assert_eq!(index.doc_count(), 1);
    assert_eq!(ids(&index, &q("zhs")).1, vec!["p1".to_owned()]);
    assert_eq!(ids(&index, &q("張三")).1, vec!["p1".to_owned()]);
}

/// Indexing throughput; run with `cargo test --release -p xuncha-search -- --ignored --nocapture`.
#[test]
#[ignore]
fn index_ten_thousand_docs() {
    let index = SearchIndex::open_in_ram().unwrap();
    let started = std::time::Instant::now();
    let n = index
        .reindex((0..10_000).map(|i| {
            doc(
                "petition",
                &i.to_string(),
                &format!("关于第{i}号巡察反馈问题的整改报告"),
                "巡察组指出该单位在财政资金管理、选人用人和落实中央八项规定精神方面存在问题，要求限期整改并报送整改情况。",
                Some(&format!("/1/{}/", i % 50)),
            )
        }))
        .unwrap();
    let indexed = started.elapsed();
    let started = std::time::Instant::now();
    let r = index
        .search(&SearchQuery {
            within: Some("/1/7/".into()),
            ..q("財政資金")
        })
        .unwrap();
    println!(
        "indexed {n} docs in {indexed:?}; query: {} hits in {:?}",
        r.total,
        started.elapsed()
    );
    assert_eq!(r.total, 200);
}

/// Each document type is visible in its own scope: a team member sees the
/// registry of their jurisdiction but records only of the units assigned to
/// the team, and nothing of a unit they are recused from; the counts agree.
#[test]
fn scope_groups_apply_per_document_type() {
    use xuncha_search::ScopeGroup;
    let index = SearchIndex::open_in_ram().unwrap();
    index
        .upsert(&[
            doc("person", "1", "张三", "违规 青石镇", Some("/1/5/")),
            doc("person", "2", "李四", "违规 白云镇", Some("/1/6/")),
            doc("paper", "10", "违规发放津补贴", "青石镇", Some("/1/5/")),
            doc("paper", "11", "违规发放津补贴", "白云镇", Some("/1/6/")),
            doc("paper", "12", "违规发放津补贴", "城关镇", Some("/1/7/")),
            doc("paper", "13", "违规发放津补贴", "县里", None),
        ])
        .unwrap();
    let team = |assigned: Vec<&str>, recused: Vec<&str>| SearchQuery {
        groups: vec![
            ScopeGroup {
                doc_types: vec!["person".into(), "unit".into()],
                within: Some("/1/".into()),
                excluded: recused.iter().map(|s| s.to_string()).collect(),
                ..Default::default()
            },
            ScopeGroup {
                doc_types: vec!["paper".into()],
                any_of: Some(assigned.iter().map(|s| s.to_string()).collect()),
                excluded: recused.iter().map(|s| s.to_string()).collect(),
                ..Default::default()
            },
        ],
        ..q("违规")
    };
    assert_eq!(
        ids(&index, &team(vec!["/1/5/", "/1/7/"], vec![])),
        (4, vec!["1".into(), "10".into(), "12".into(), "2".into()])
    );
    assert_eq!(
        ids(&index, &team(vec!["/1/5/", "/1/7/"], vec!["/1/7/"])),
        (3, vec!["1".into(), "10".into(), "2".into()])
    );
    // Assigned to nothing: no records at all, the registry still.
    assert_eq!(
        ids(&index, &team(vec![], vec![])),
        (2, vec!["1".into(), "2".into()])
    );
    // The user's own type filter narrows within the groups.
    let only_papers = SearchQuery {
        doc_types: vec!["paper".into()],
        ..team(vec!["/1/6/"], vec![])
    };
    assert_eq!(ids(&index, &only_papers), (1, vec!["11".into()]));
}

/// Access terms decide who finds a campaign's follow-ups: a group names the
/// campaigns or teams it reaches, a recusal still hides its unit subtree,
/// and a group granted nothing finds nothing.
#[test]
fn access_terms_scope_documents_beyond_the_unit_path() {
    use xuncha_search::ScopeGroup;
    let index = SearchIndex::open_in_ram().unwrap();
    let demand = |id: &str, path: &str, team: &str| SearchDoc {
        access: vec!["campaign:1".into(), format!("team:{team}")],
        ..doc("demand", id, "道路硬化", "村道坑洼", Some(path))
    };
    index
        .upsert(&[
            demand("1", "/1/5/9/", "7"),
            demand("2", "/1/5/10/", "8"),
            // A unit-scoped document with the same text: its group is not
            // the campaign's.
            doc("paper", "3", "道路硬化", "村道坑洼", Some("/1/5/9/")),
        ])
        .unwrap();
    let granted = |terms: Vec<&str>, recused: Vec<&str>| SearchQuery {
        groups: vec![ScopeGroup {
            doc_types: vec!["demand".into(), "hazard".into()],
            access_any: Some(terms.iter().map(|s| s.to_string()).collect()),
            excluded: recused.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }],
        ..q("道路")
    };
    assert_eq!(
        ids(&index, &granted(vec!["team:7"], vec![])),
        (1, vec!["1".into()])
    );
    assert_eq!(
        ids(&index, &granted(vec!["campaign:1"], vec![])),
        (2, vec!["1".into(), "2".into()])
    );
    assert_eq!(
        ids(&index, &granted(vec!["campaign:1"], vec!["/1/5/9/"])),
        (1, vec!["2".into()])
    );
    assert_eq!(ids(&index, &granted(vec![], vec![])), (0, vec![]));
    // A unit path is no access term, and the reverse.
    assert_eq!(ids(&index, &granted(vec!["/1/"], vec![])), (0, vec![]));
}

/// The user's filters narrow a search inside the permission scope: a unit
/// subtree, a round, a day range (inclusive) and a status.
#[test]
fn filters_narrow_by_unit_round_day_and_status() {
    use xuncha_search::{day_number, Filters};
    let index = SearchIndex::open_in_ram().unwrap();
    let rec = |id: &str, path: &str, round: i64, day: &str, status: &str| SearchDoc {
        round_id: Some(round),
        date: day_number(day),
        status: Some(status.into()),
        ..doc("paper", id, "违规发放津补贴", "问题", Some(path))
    };
    index
        .upsert(&[
            rec("1", "/1/5/", 1, "2026-03-01", "approved"),
            rec("2", "/1/5/9/", 2, "2026-10-15", "draft"),
            rec("3", "/1/6/", 2, "2026-10-20", "approved"),
            rec("4", "/1/6/", 2, "2026-11-30", "approved"),
        ])
        .unwrap();
    let with = |f: Filters| SearchQuery {
        filters: f,
        ..q("违规")
    };
    assert_eq!(ids(&index, &with(Filters::default())).0, 4);
    let unit = Filters {
        unit: Some("/1/5/".into()),
        ..Filters::default()
    };
    assert_eq!(
        ids(&index, &with(unit)).1,
        vec!["1", "2"],
        "a unit and its sub-units"
    );
    let round = Filters {
        round_id: Some(2),
        ..Filters::default()
    };
    assert_eq!(ids(&index, &with(round)).1, vec!["2", "3", "4"]);
    let days = Filters {
        from: day_number("2026-10-15"),
        to: day_number("2026-10-20"),
        ..Filters::default()
    };
    assert_eq!(
        ids(&index, &with(days)).1,
        vec!["2", "3"],
        "both ends included"
    );
    let all = Filters {
        round_id: Some(2),
        status: Some("approved".into()),
        from: day_number("2026-10-16"),
        ..Filters::default()
    };
    assert_eq!(ids(&index, &with(all)).1, vec!["3", "4"]);
    assert_eq!(day_number("2026-11-28"), Some(20_261_128));
    assert_eq!(day_number("2026-11"), None);
}

/// An index directory written with another schema (an older version) is
/// emptied and reopened, not an error: the index is derived data.
#[test]
fn an_index_of_another_schema_is_rebuilt_empty() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut b = tantivy::schema::Schema::builder();
        b.add_text_field("old", tantivy::schema::STRING);
        tantivy::Index::create_in_dir(dir.path(), b.build()).unwrap();
    }
    let index = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(index.doc_count(), 0);
    index
        .upsert(&[doc("unit", "1", "青石镇", "", Some("/1/"))])
        .unwrap();
    assert_eq!(ids(&index, &q("青石镇")).0, 1);
}
