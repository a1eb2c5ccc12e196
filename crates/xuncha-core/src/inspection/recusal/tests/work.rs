//! The rules about work history and places: former unit, home area, long
//! service and former colleagues.

use super::*;

/// (case, unit id, path, last day, work_years, reported)
type WindowCase = (
    &'static str,
    i64,
    &'static str,
    Option<&'static str>,
    u32,
    bool,
);

#[test]
fn former_unit_window_and_subtree() {
    let cases: &[WindowCase] = &[
        ("current in the target", 10, "/1/5/", None, 3, true),
        ("current in a sub-unit", 11, "/1/5/9/", None, 3, true),
        (
            "exactly N years ago",
            10,
            "/1/5/",
            Some("2023-06-15"),
            3,
            true,
        ),
        (
            "a day inside the window",
            10,
            "/1/5/",
            Some("2023-06-16"),
            3,
            true,
        ),
        (
            "a day outside the window",
            10,
            "/1/5/",
            Some("2023-06-14"),
            3,
            false,
        ),
        (
            "sub-unit, inside",
            11,
            "/1/5/9/",
            Some("2024-01-01"),
            3,
            true,
        ),
        (
            "sub-unit, outside",
            11,
            "/1/5/9/",
            Some("2020-01-01"),
            3,
            false,
        ),
        ("wider window", 10, "/1/5/", Some("2020-01-01"), 10, true),
        ("sibling with a longer id", 50, "/1/50/", None, 3, false),
        ("parent unit", 1, "/1/", None, 3, false),
        (
            "window 0, left last week",
            10,
            "/1/5/",
            Some("2026-06-08"),
            0,
            false,
        ),
        ("window 0, current", 10, "/1/5/", None, 0, true),
        ("unreadable end date", 10, "/1/5/", Some("去年"), 3, false),
    ];
    for &(case, unit, path, to, years, reported) in cases {
        let mut facts = base();
        facts
            .inspector
            .work
            .push(at(period(unit, "某单位", path, "2015-03-01", to), "副镇长"));
        let rules = RecusalRules {
            work_years: years,
            ..rules()
        };
        let c = of_kind(&assess(&facts, &rules), ConflictKind::FormerUnit).len();
        assert_eq!(c, usize::from(reported), "{case}");
    }
}

#[test]
fn former_unit_chain_shows_the_period() {
    let mut facts = base();
    facts.inspector.work.push(at(
        period(
            11,
            "城关镇财政所",
            "/1/5/9/",
            "2019-03-01",
            Some("2024-05-31"),
        ),
        "所长",
    ));
    let c = assess(&facts, &rules());
    let f = of_kind(&c, ConflictKind::FormerUnit);
    assert_eq!(
        f[0].chain,
        vec![
            "张三（巡察干部）",
            "城关镇财政所 所长（2019-03-01至2024-05-31）",
            "城关镇（被巡察单位）"
        ]
    );
    assert_eq!(
        f[0].reason,
        "张三2019-03-01至2024-05-31在被巡察单位城关镇的下属单位城关镇财政所工作，离开未超过3年，应当回避。"
    );
    assert_eq!(f[0].severity, Severity::Hard);
    assert_eq!(f[0].person_id, None);
}

#[test]
fn former_unit_reports_once_preferring_current_work() {
    let mut facts = base();
    facts.inspector.source_unit = Some((10, "城关镇".to_owned(), "/1/5/".to_owned()));
    facts.inspector.work = vec![
        period(10, "城关镇", "/1/5/", "2010-01-01", Some("2025-01-01")),
        period(11, "城关镇财政所", "/1/5/9/", "2025-01-02", None),
        period(10, "城关镇", "/1/5/", "2009-01-01", Some("2024-01-01")),
    ];
    let c = assess(&facts, &rules());
    let f = of_kind(&c, ConflictKind::FormerUnit);
    assert_eq!(f.len(), 1, "{c:?}");
    assert_eq!(f[0].chain[1], "城关镇财政所（2025-01-02至今）");
    assert_eq!(
        f[0].reason,
        "张三现在被巡察单位城关镇的下属单位城关镇财政所工作，应当回避。"
    );
}

#[test]
fn former_unit_from_the_source_unit() {
    // (case, source id, path, reported)
    let cases: &[(&str, i64, &str, bool)] = &[
        ("the target itself", 10, "/1/5/", true),
        ("a sub-unit", 11, "/1/5/9/", true),
        ("path without trailing slash", 12, "/1/5/7", true),
        ("elsewhere", 100, "/1/2/", false),
        ("a sibling", 50, "/1/50/", false),
    ];
    for &(case, id, path, reported) in cases {
        let mut facts = base();
        facts.inspector.source_unit = Some((id, "来源单位".to_owned(), path.to_owned()));
        let c = assess(&facts, &rules());
        let f = of_kind(&c, ConflictKind::FormerUnit);
        assert_eq!(f.len(), usize::from(reported), "{case}");
        if reported {
            assert_eq!(f[0].chain[1], "现工作单位 来源单位", "{case}");
            assert!(
                f[0].reason.starts_with("张三现在被巡察单位城关镇"),
                "{case}"
            );
        }
    }
}

#[test]
fn former_unit_window_clamps_a_leap_day() {
    let mut facts = base();
    facts.today = "2028-02-29".to_owned();
    let rules = RecusalRules {
        work_years: 1,
        ..rules()
    };
    for (to, reported) in [("2027-02-28", true), ("2027-02-27", false)] {
        facts.inspector.work = vec![period(10, "城关镇", "/1/5/", "2020-01-01", Some(to))];
        let n = of_kind(&assess(&facts, &rules), ConflictKind::FormerUnit).len();
        assert_eq!(n, usize::from(reported), "{to}");
    }
}

#[test]
fn home_area_matches_townships_and_villages_in_both_directions() {
    // (home, target region, reported)
    let cases: &[(Option<&str>, Option<&str>, bool)] = &[
        (Some("530102"), Some("530102"), false),
        (Some("530102"), Some("530102101"), false),
        (Some("530102"), Some("530102101001"), false),
        (Some("530102101"), Some("530102"), false),
        (Some("530102101001"), Some("530102"), false),
        (Some("530102101"), Some("530102101"), true),
        (Some("530102101001"), Some("530102101"), true),
        (Some("530102101"), Some("530102101001"), true),
        (Some("530102101001"), Some("530102101001"), true),
        (Some("530102101001"), Some("530102101002"), false),
        (Some("530102102"), Some("530102101"), false),
        (Some("530102102001"), Some("530102101"), false),
        (Some(" 530102101 "), Some("530102101"), true),
        (Some("53010210x"), Some("530102101"), false),
        (None, Some("530102101"), false),
        (Some("530102101"), None, false),
        (Some(""), Some(""), false),
    ];
    for &(home, code, reported) in cases {
        let mut facts = base();
        facts.inspector.home_region = home.map(str::to_owned);
        facts.target.region_code = code.map(str::to_owned);
        let c = assess(&facts, &rules());
        let h = of_kind(&c, ConflictKind::HomeArea);
        assert_eq!(h.len(), usize::from(reported), "{home:?} vs {code:?}");
        if reported {
            assert_eq!(h[0].severity, Severity::Hard);
            assert!(h[0].chain[0].contains("张三"));
            assert!(h[0].chain[2].contains("城关镇"));
            assert!(h[0].reason.contains("籍贯或成长地"));
        }
    }
}

#[test]
fn long_service_threshold() {
    let village = "530102101003";
    let p = |from: &str, to: Option<&str>| {
        in_region(period(30, "某村委会", "/1/6/30/", from, to), village)
    };
    // 5 years = 1826 days. (case, periods, reported)
    let cases: Vec<(&str, Vec<WorkPeriod>, bool)> = vec![
        (
            "five calendar years, 1826 days",
            vec![p("2010-01-01", Some("2014-12-31"))],
            true,
        ),
        (
            "a day short",
            vec![p("2010-01-01", Some("2014-12-30"))],
            false,
        ),
        (
            "two periods adding up",
            vec![
                p("2010-01-01", Some("2011-12-31")),
                p("2015-01-01", Some("2017-12-31")),
            ],
            true,
        ),
        (
            "two periods a day short",
            vec![
                p("2010-01-01", Some("2011-12-31")),
                p("2015-01-01", Some("2017-12-30")),
            ],
            false,
        ),
        (
            "concurrent posts count once",
            vec![
                p("2010-01-01", Some("2014-12-30")),
                p("2011-01-01", Some("2012-12-31")),
            ],
            false,
        ),
        (
            "current, 1827 days to today",
            vec![p("2021-06-15", None)],
            true,
        ),
        (
            "current, 1826 days to today",
            vec![p("2021-06-16", None)],
            true,
        ),
        (
            "current, 1825 days to today",
            vec![p("2021-06-17", None)],
            false,
        ),
        (
            "another township",
            vec![in_region(
                period(31, "外镇", "/1/7/", "2000-01-01", None),
                "530102102",
            )],
            false,
        ),
        (
            "county-level unit",
            vec![in_region(
                period(32, "县局", "/1/8/", "2000-01-01", None),
                "530102",
            )],
            false,
        ),
        (
            "township code without village",
            vec![in_region(
                period(33, "某站所", "/1/9/", "2000-01-01", None),
                TOWNSHIP,
            )],
            true,
        ),
        ("unreadable dates", vec![p("很久以前", None)], false),
    ];
    for (case, periods, reported) in cases {
        let mut facts = base();
        facts.inspector.work.extend(periods);
        let c = assess(&facts, &rules());
        let l = of_kind(&c, ConflictKind::LongService);
        assert_eq!(l.len(), usize::from(reported), "{case}: {c:?}");
        if reported {
            assert_eq!(l[0].severity, Severity::Hard);
            assert!(l[0].chain[0].contains("张三"), "{case}");
            assert_eq!(
                l[0].chain.last().map(String::as_str),
                Some("城关镇（被巡察单位）")
            );
            assert!(l[0].reason.contains("达到5年"), "{case}");
        }
    }
}

#[test]
fn long_service_leaves_out_the_former_unit_and_can_be_switched_off() {
    let mut facts = base();
    // Four years in the target itself (reported as former unit) plus two in a
    // village: only the two count.
    facts.inspector.work.push(in_region(
        period(10, "城关镇", "/1/5/", "2020-01-01", Some("2023-12-31")),
        TOWNSHIP,
    ));
    facts.inspector.work.push(in_region(
        period(30, "某村委会", "/1/6/30/", "2024-01-01", Some("2025-12-31")),
        "530102101003",
    ));
    let c = assess(&facts, &rules());
    assert_eq!(of_kind(&c, ConflictKind::FormerUnit).len(), 1);
    assert_eq!(of_kind(&c, ConflictKind::LongService).len(), 0);

    // Outside the window the same four years are long service instead.
    let narrow = RecusalRules {
        work_years: 1,
        ..rules()
    };
    let c = assess(&facts, &narrow);
    assert_eq!(of_kind(&c, ConflictKind::FormerUnit).len(), 0);
    let l = of_kind(&c, ConflictKind::LongService);
    assert_eq!(l.len(), 1);
    assert_eq!(l[0].chain[3], "累计2192天（约6.0年）");

    let off = RecusalRules {
        work_years: 1,
        long_service_years: 0,
        ..rules()
    };
    assert_eq!(
        of_kind(&assess(&facts, &off), ConflictKind::LongService).len(),
        0
    );
}

#[test]
fn former_colleagues_overlap_rules() {
    let bureau = |from: &str, to: Option<&str>, pos: &str| {
        at(period(200, "县财政局", "/1/3/", from, to), pos)
    };
    // (case, inspector's period, 李四's period, expected reason or None)
    let cases: Vec<(&str, WorkPeriod, WorkPeriod, Option<&str>)> = vec![
        (
            "overlap as peers",
            bureau("2015-01-01", Some("2018-06-30"), "科员"),
            bureau("2016-03-01", Some("2019-12-31"), "副科长"),
            Some("张三（科员）与李四（副科长）曾在同一单位共事：县财政局，2016-03-01至2018-06-30。"),
        ),
        (
            "no overlap",
            bureau("2015-01-01", Some("2016-02-29"), "科员"),
            bureau("2016-03-01", Some("2019-12-31"), "科员"),
            None,
        ),
        (
            "touching at one day",
            bureau("2015-01-01", Some("2016-03-01"), "科员"),
            bureau("2016-03-01", Some("2019-12-31"), "科员"),
            Some("张三（科员）与李四（科员）曾在同一单位共事：县财政局，2016-03-01至2016-03-01。"),
        ),
        (
            "superior and subordinate",
            bureau("2015-01-01", Some("2018-06-30"), "科员"),
            bureau("2014-01-01", Some("2020-12-31"), "局长"),
            Some("张三（科员）与李四（局长）曾在县财政局存在前上下级关系，2015-01-01至2018-06-30。"),
        ),
        (
            "the inspector led",
            bureau("2015-01-01", Some("2018-06-30"), "党组书记"),
            bureau("2014-01-01", Some("2020-12-31"), "办事员"),
            Some("张三（党组书记）与李四（办事员）曾在县财政局存在前上下级关系，2015-01-01至2018-06-30。"),
        ),
        (
            "both leading posts are peers",
            bureau("2015-01-01", Some("2018-06-30"), "局长"),
            bureau("2014-01-01", Some("2020-12-31"), "党组书记"),
            Some("张三（局长）与李四（党组书记）曾在同一单位共事：县财政局，2015-01-01至2018-06-30。"),
        ),
        (
            "both still there",
            bureau("2022-01-01", None, ""),
            bureau("2023-05-01", None, "科员"),
            Some("张三（职务不详）与李四（科员）曾在同一单位共事：县财政局，2023-05-01至今。"),
        ),
        (
            "different units with the same name",
            bureau("2015-01-01", Some("2018-06-30"), "科员"),
            WorkPeriod {
                unit_id: 201,
                ..bureau("2015-01-01", Some("2018-06-30"), "科员")
            },
            None,
        ),
    ];
    for (case, mine, theirs, expected) in cases {
        let mut facts = base();
        facts.inspector.work = vec![mine];
        facts.target.people[0].work.push(theirs);
        let c = assess(&facts, &rules());
        let f = of_kind(&c, ConflictKind::FormerColleague);
        match expected {
            None => assert_eq!(f.len(), 0, "{case}: {c:?}"),
            Some(reason) => {
                assert_eq!(f.len(), 1, "{case}: {c:?}");
                assert_eq!(f[0].severity, Severity::Soft, "{case}");
                assert_eq!(f[0].person_id, Some(LEADER), "{case}");
                assert_eq!(f[0].reason, reason, "{case}");
                assert!(f[0].chain[0].contains("张三"), "{case}");
                assert_eq!(f[0].chain[2], "李四（城关镇 党委书记）", "{case}");
                assert!(!has_hard(&c), "{case}");
            }
        }
    }
}

#[test]
fn former_colleagues_only_among_the_leadership() {
    let shared = period(200, "县财政局", "/1/3/", "2015-01-01", Some("2018-06-30"));
    for scope in [KinScope::Leadership, KinScope::WholeUnit] {
        let mut facts = base();
        facts.inspector.work = vec![shared.clone()];
        facts.target.people[2].work.push(shared.clone()); // ordinary staff
        let rules = RecusalRules {
            kin_scope: scope,
            ..rules()
        };
        assert_eq!(assess(&facts, &rules), vec![], "{scope:?}");
    }
}

#[test]
fn former_colleagues_once_per_person_with_the_longest_overlap() {
    let mut facts = base();
    facts.inspector.work = vec![
        at(
            period(200, "县财政局", "/1/3/", "2010-01-01", Some("2012-12-31")),
            "科员",
        ),
        at(
            period(200, "县财政局", "/1/3/", "2015-01-01", Some("2019-12-31")),
            "副局长",
        ),
        at(
            period(300, "县审计局", "/1/4/", "2020-01-01", Some("2020-06-30")),
            "科员",
        ),
    ];
    facts.target.people[0].work = vec![
        at(
            period(200, "县财政局", "/1/3/", "2011-01-01", Some("2019-12-31")),
            "科员",
        ),
        at(
            period(300, "县审计局", "/1/4/", "2020-01-01", Some("2021-12-31")),
            "科员",
        ),
        at(
            period(10, "城关镇", "/1/5/", "2022-01-01", None),
            "党委书记",
        ),
    ];
    let c = assess(&facts, &rules());
    let f = of_kind(&c, ConflictKind::FormerColleague);
    assert_eq!(f.len(), 1, "{c:?}");
    assert_eq!(
        f[0].reason,
        "张三（副局长）与李四（科员）曾在县财政局存在前上下级关系，2015-01-01至2019-12-31。另曾在县审计局共事。"
    );
    assert_eq!(
        f[0].chain[1],
        "曾在县财政局为上下级（2015-01-01至2019-12-31）"
    );
}
