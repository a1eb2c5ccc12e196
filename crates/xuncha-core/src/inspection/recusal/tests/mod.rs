//! Table-driven tests of the recusal rules.

use super::*;

mod work;

const TODAY: &str = "2026-06-15";
const TOWNSHIP: &str = "530102101";
const INSPECTOR: i64 = 1;
const LEADER: i64 = 21;
const DEPUTY: i64 = 22;
const STAFF: i64 = 23;

fn period(unit_id: i64, name: &str, path: &str, from: &str, to: Option<&str>) -> WorkPeriod {
    WorkPeriod {
        unit_id,
        unit_name: name.to_owned(),
        unit_path: path.to_owned(),
        region_code: None,
        position: None,
        from: from.to_owned(),
        to: to.map(str::to_owned),
    }
}

fn at(mut w: WorkPeriod, position: &str) -> WorkPeriod {
    w.position = Some(position.to_owned());
    w
}

fn in_region(mut w: WorkPeriod, code: &str) -> WorkPeriod {
    w.region_code = Some(code.to_owned());
    w
}

/// Unit 10 城关镇 (/1/5/) is inspected by 张三 of the county discipline
/// commission (unit 100, /1/2/). The town has a secretary, a deputy and one
/// ordinary clerk; nothing links 张三 to it yet.
fn base() -> RecusalFacts {
    let town = |pos: &str| at(period(10, "城关镇", "/1/5/", "2020-01-01", None), pos);
    RecusalFacts {
        inspector: InspectorFacts {
            person_id: INSPECTOR,
            name: "张三".to_owned(),
            home_region: Some("530102201".to_owned()),
            source_unit: Some((100, "县纪委监委".to_owned(), "/1/2/".to_owned())),
            work: vec![at(
                period(100, "县纪委监委", "/1/2/", "2018-01-01", None),
                "科员",
            )],
        },
        target: TargetFacts {
            unit_id: 10,
            unit_name: "城关镇".to_owned(),
            unit_path: "/1/5/".to_owned(),
            region_code: Some(TOWNSHIP.to_owned()),
            people: vec![
                TargetPerson {
                    person_id: LEADER,
                    name: "李四".to_owned(),
                    title: Some("党委书记".to_owned()),
                    rank: Some(PostRank::Principal),
                    work: vec![town("党委书记")],
                },
                TargetPerson {
                    person_id: DEPUTY,
                    name: "赵六".to_owned(),
                    title: Some("副镇长".to_owned()),
                    rank: Some(PostRank::Deputy),
                    work: vec![town("副镇长")],
                },
                TargetPerson {
                    person_id: STAFF,
                    name: "王五".to_owned(),
                    title: None,
                    rank: None,
                    work: vec![at(
                        period(11, "城关镇财政所", "/1/5/9/", "2021-01-01", None),
                        "会计",
                    )],
                },
            ],
        },
        kin: vec![],
        declared: vec![],
        today: TODAY.to_owned(),
    }
}

fn rules() -> RecusalRules {
    RecusalRules::default()
}

fn of_kind(c: &[Conflict], kind: ConflictKind) -> Vec<&Conflict> {
    c.iter().filter(|c| c.kind == kind).collect()
}

fn kin(other: i64, kind: Kinship, detail: Option<&str>) -> KinEdge {
    KinEdge {
        other_person_id: other,
        kind,
        detail: detail.map(str::to_owned),
    }
}

#[test]
fn the_base_facts_raise_nothing() {
    assert_eq!(assess(&base(), &rules()), vec![]);
}

#[test]
fn empty_facts_raise_nothing() {
    let facts = RecusalFacts::default();
    assert_eq!(assess(&facts, &rules()), vec![]);
    // An empty target path is not a subtree of everything.
    let mut facts = RecusalFacts::default();
    facts.target.unit_id = 10;
    facts.inspector.work = vec![period(5, "某单位", "/1/2/", "2025-01-01", None)];
    facts.inspector.source_unit = Some((5, "某单位".to_owned(), "/1/2/".to_owned()));
    facts.today = TODAY.to_owned();
    assert_eq!(assess(&facts, &rules()), vec![]);
    assert!(!has_hard(&[]));
}

#[test]
fn kinship_every_class_by_rank_and_scope() {
    // (person, is leadership)
    let people = [(LEADER, true), (DEPUTY, true), (STAFF, false)];
    for &class in Kinship::ALL {
        for (person, leader) in people {
            for scope in [KinScope::Leadership, KinScope::WholeUnit] {
                let mut facts = base();
                facts.kin = vec![kin(person, class, None)];
                let rules = RecusalRules {
                    kin_scope: scope,
                    ..rules()
                };
                let found = assess(&facts, &rules);
                let expected = leader || scope == KinScope::WholeUnit;
                let case = format!("{class:?} person {person} {scope:?}");
                if !expected {
                    assert_eq!(found, vec![], "{case}");
                    continue;
                }
                assert_eq!(found.len(), 1, "{case}: {found:?}");
                let c = &found[0];
                assert_eq!(c.severity, Severity::Hard, "{case}");
                assert_eq!(c.kind, ConflictKind::Kinship, "{case}");
                assert_eq!(c.person_id, Some(person), "{case}");
                assert_eq!(c.chain.len(), 3, "{case}");
                assert!(c.chain[0].contains("张三"), "{case}");
                assert_eq!(c.chain[1], class.label(), "{case}");
                let name = facts
                    .target
                    .people
                    .iter()
                    .find(|p| p.person_id == person)
                    .map(|p| p.name.clone())
                    .unwrap();
                assert!(c.chain[2].contains(&name), "{case}");
                assert!(
                    c.reason.contains("张三") && c.reason.contains(&name),
                    "{case}"
                );
                assert!(c.reason.contains(class.label()), "{case}");
                assert!(has_hard(&found));
            }
        }
    }
}

#[test]
fn kinship_chain_reads_step_by_step() {
    let mut facts = base();
    facts.kin = vec![kin(LEADER, Kinship::Spouse, Some("夫妻"))];
    let c = assess(&facts, &rules());
    assert_eq!(
        c[0].chain,
        vec![
            "张三（巡察干部）",
            "夫妻关系（夫妻）",
            "李四（城关镇 党委书记）"
        ]
    );
    assert_eq!(
        c[0].reason,
        "张三与被巡察单位的李四（城关镇 党委书记）存在夫妻关系（夫妻），应当回避。"
    );

    // Staff in a sub-unit are placed in their own unit, with their position.
    facts.kin = vec![kin(STAFF, Kinship::Collateral, Some("叔侄"))];
    let whole = RecusalRules {
        kin_scope: KinScope::WholeUnit,
        ..rules()
    };
    let c = assess(&facts, &whole);
    assert_eq!(
        c[0].chain,
        vec![
            "张三（巡察干部）",
            "三代以内旁系血亲关系（叔侄）",
            "王五（城关镇财政所 会计）"
        ]
    );
}

#[test]
fn kinship_counts_each_person_once_with_the_closest_class() {
    let mut facts = base();
    facts.target.people.push(facts.target.people[0].clone()); // listed twice
    facts.kin = vec![
        kin(LEADER, Kinship::InLaw, Some("姻亲")),
        kin(LEADER, Kinship::Spouse, None),
        kin(LEADER, Kinship::Lineal, None),
        kin(999, Kinship::Spouse, None), // not in the unit
    ];
    let c = assess(&facts, &rules());
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].chain[1], "夫妻关系");
}

#[test]
fn the_inspector_is_never_in_conflict_with_themself() {
    let mut facts = base();
    let mut me = facts.target.people[0].clone();
    me.person_id = INSPECTOR;
    me.work = facts.inspector.work.clone();
    facts.target.people.push(me);
    facts.kin = vec![kin(INSPECTOR, Kinship::Spouse, None)];
    assert_eq!(assess(&facts, &rules()), vec![]);
}

#[test]
fn declared_conflicts_are_hard_and_merged() {
    let d = |unit_id: i64, reason: &str| Declared {
        unit_id,
        reason: reason.to_owned(),
    };
    // (case, declarations, expected reasons or None)
    let cases: Vec<(&str, Vec<Declared>, Option<&str>)> = vec![
        ("none", vec![], None),
        ("another unit", vec![d(11, "与所长有经济往来")], None),
        (
            "one",
            vec![d(10, "与镇长有经济往来")],
            Some("与镇长有经济往来"),
        ),
        (
            "two, one repeated",
            vec![d(10, "甲"), d(10, " 乙 "), d(10, "甲")],
            Some("甲；乙"),
        ),
        ("no words", vec![d(10, "  ")], Some("未说明理由")),
    ];
    for (case, declared, expected) in cases {
        let mut facts = base();
        facts.declared = declared;
        let c = assess(&facts, &rules());
        let found = of_kind(&c, ConflictKind::Declared);
        match expected {
            None => assert!(found.is_empty(), "{case}"),
            Some(reasons) => {
                assert_eq!(found.len(), 1, "{case}");
                assert_eq!(found[0].severity, Severity::Hard, "{case}");
                assert_eq!(
                    found[0].reason,
                    format!("张三本人申报与被巡察单位城关镇存在利害关系：{reasons}，应当回避。"),
                    "{case}"
                );
                assert_eq!(found[0].chain[1], format!("本人申报：{reasons}"), "{case}");
            }
        }
    }
}

/// Facts that raise every kind at once.
fn everything() -> RecusalFacts {
    let mut facts = base();
    facts.inspector.home_region = Some("530102101002".to_owned());
    facts.inspector.work = vec![
        // Former colleague of both leaders.
        at(
            period(10, "城关镇", "/1/5/", "2020-01-01", Some("2025-01-01")),
            "科员",
        ),
        // Long service in a village of the township.
        in_region(
            period(30, "某村委会", "/1/6/30/", "2010-01-01", Some("2019-12-31")),
            "530102101003",
        ),
    ];
    facts.kin = vec![
        kin(DEPUTY, Kinship::Lineal, Some("父子")),
        kin(LEADER, Kinship::Spouse, Some("夫妻")),
    ];
    facts.declared = vec![Declared {
        unit_id: 10,
        reason: "曾与该镇有业务往来".to_owned(),
    }];
    facts
}

#[test]
fn hard_conflicts_come_first_in_a_fixed_order_without_duplicates() {
    let facts = everything();
    let c = assess(&facts, &rules());
    let got: Vec<(Severity, ConflictKind, Option<i64>)> = c
        .iter()
        .map(|c| (c.severity, c.kind, c.person_id))
        .collect();
    use ConflictKind::*;
    use Severity::*;
    assert_eq!(
        got,
        vec![
            (Hard, Kinship, Some(LEADER)),
            (Hard, Kinship, Some(DEPUTY)),
            (Hard, FormerUnit, None),
            (Hard, HomeArea, None),
            (Hard, LongService, None),
            (Hard, Declared, None),
            (Soft, FormerColleague, Some(LEADER)),
            (Soft, FormerColleague, Some(DEPUTY)),
        ]
    );
    let mut keys: Vec<_> = c.iter().map(|c| (c.kind, c.person_id)).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), c.len());
    assert!(has_hard(&c));
    for conflict in &c {
        assert!(conflict.chain.len() >= 3, "{conflict:?}");
        assert!(conflict.chain[0].contains("张三"), "{conflict:?}");
        assert!(conflict.reason.contains("张三"), "{conflict:?}");
    }
}

#[test]
fn the_result_does_not_depend_on_input_order() {
    let facts = everything();
    let mut shuffled = facts.clone();
    shuffled.kin.reverse();
    shuffled.inspector.work.reverse();
    shuffled.target.people.reverse();
    assert_eq!(assess(&facts, &rules()), assess(&shuffled, &rules()));
}

#[test]
fn soft_conflicts_alone_do_not_block() {
    let mut facts = base();
    facts.inspector.work = vec![period(
        200,
        "县财政局",
        "/1/3/",
        "2015-01-01",
        Some("2018-06-30"),
    )];
    facts.target.people[0]
        .work
        .push(period(200, "县财政局", "/1/3/", "2016-01-01", None));
    let c = assess(&facts, &rules());
    assert_eq!(c.len(), 1);
    assert!(!has_hard(&c));
}

#[test]
fn an_unreadable_today_is_handled_conservatively() {
    let mut facts = base();
    facts.today = "今天".to_owned();
    facts.inspector.work.push(period(
        10,
        "城关镇",
        "/1/5/",
        "2000-01-01",
        Some("2001-01-01"),
    ));
    let c = assess(&facts, &rules());
    assert_eq!(of_kind(&c, ConflictKind::FormerUnit).len(), 1);
    assert_eq!(of_kind(&c, ConflictKind::FormerColleague).len(), 0);
}

#[test]
fn kin_scope_parses_the_setting() {
    for (raw, want) in [
        ("unit", KinScope::WholeUnit),
        (" unit ", KinScope::WholeUnit),
        ("leadership", KinScope::Leadership),
        ("everyone", KinScope::Leadership),
        ("", KinScope::Leadership),
    ] {
        assert_eq!(KinScope::parse(raw), want, "{raw:?}");
    }
    for scope in [KinScope::Leadership, KinScope::WholeUnit] {
        assert_eq!(KinScope::parse(scope.as_str()), scope);
        assert!(!scope.label().starts_with("recusal."));
    }
    let d = RecusalRules::default();
    assert_eq!(
        (d.kin_scope, d.work_years, d.long_service_years),
        (KinScope::Leadership, 3, 5)
    );
}

#[test]
fn kinds_and_severities_have_stable_ids_and_catalogue_labels() {
    let ids = [
        "kinship",
        "former-unit",
        "home-area",
        "long-service",
        "former-colleague",
        "declared",
    ];
    for (kind, id) in ConflictKind::ALL.iter().zip(ids) {
        assert_eq!(kind.as_str(), id);
        assert_eq!(serde_json::to_value(kind).unwrap(), id);
        assert!(!kind.label().starts_with("recusal."), "{kind:?}");
    }
    for s in [Severity::Hard, Severity::Soft] {
        assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        assert!(!s.label().starts_with("recusal."));
    }
}

#[test]
fn every_recusal_key_used_exists() {
    let src = concat!(
        include_str!("../mod.rs"),
        include_str!("../rules.rs"),
        include_str!("../service.rs"),
        include_str!("../../workdays.rs")
    );
    let mut rest = src;
    let mut n = 0;
    while let Some(i) = rest.find("\"recusal.") {
        rest = &rest[i + 1..];
        let key = &rest[..rest.find('"').unwrap()];
        assert!(crate::i18n::has(key), "missing catalogue key {key}");
        n += 1;
    }
    assert!(n > 30, "{n}");
}
