//! Properties of the generated county.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use xuncha_text::IdNumber;

use super::*;
use crate::auth::Password;
use crate::registry::Gender;

static COUNTY: LazyLock<DemoCounty> = LazyLock::new(|| generate(DEFAULT_SEED));

fn year_of(p: &NewPerson) -> i32 {
    p.birth_date
        .as_deref()
        .and_then(|d| d[..4].parse().ok())
        .expect("birth date is set")
}

#[test]
fn same_seed_same_county_other_seed_other_county() {
    let again = generate(DEFAULT_SEED);
    assert_eq!(format!("{:?}", *COUNTY), format!("{again:?}"));
    let other = generate(DEFAULT_SEED + 1);
    assert_ne!(
        format!("{:?}", COUNTY.persons),
        format!("{:?}", other.persons)
    );
}

#[test]
fn generation_is_fast() {
    let start = std::time::Instant::now();
    let c = generate(99);
    let took = start.elapsed();
    assert!(!c.persons.is_empty());
    // About 10–30 ms in a debug build; the bound leaves room for busy machines.
    assert!(took.as_millis() < 2_000, "generation took {took:?}");
}

#[test]
fn units_form_a_tree_of_every_kind() {
    let c = &*COUNTY;
    assert!(
        (55..=65).contains(&c.units.len()),
        "{} units",
        c.units.len()
    );
    assert_eq!(c.units[0].kind, UnitKind::County);
    assert_eq!(c.units[0].parent, None);
    let names: HashSet<&str> = c.units.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names.len(), c.units.len(), "unit names are unique");
    for (i, u) in c.units.iter().enumerate().skip(1) {
        let p = u.parent.expect("only the root has no parent");
        assert!(p < i, "{} comes after its parent", u.name);
        assert!(crate::registry::UnitName::parse(&u.name).is_ok());
        let code_len = u.region_code.as_ref().map(String::len);
        match u.kind {
            UnitKind::Township => assert_eq!(code_len, Some(9)),
            UnitKind::Village | UnitKind::Community => {
                assert_eq!(code_len, Some(12));
                let parent_code = c.units[p].region_code.as_deref().expect("township code");
                assert!(u
                    .region_code
                    .as_deref()
                    .is_some_and(|r| r.starts_with(parent_code)));
            }
            _ => assert_eq!(code_len, None),
        }
        assert!(
            u.budget_yuan.is_some_and(|b| b > 0),
            "{} has a budget",
            u.name
        );
    }
    assert_eq!(c.units[0].region_code.as_ref().map(String::len), Some(6));
    for kind in [
        UnitKind::County,
        UnitKind::PartyDept,
        UnitKind::GovDept,
        UnitKind::Township,
        UnitKind::Village,
        UnitKind::Community,
        UnitKind::School,
        UnitKind::Enterprise,
    ] {
        assert!(c.units.iter().any(|u| u.kind == kind), "{kind:?} present");
    }
}

#[test]
fn persons_have_valid_unique_consistent_id_numbers() {
    let c = &*COUNTY;
    assert!(
        (1900..=2100).contains(&c.persons.len()),
        "{} persons",
        c.persons.len()
    );
    assert_eq!(c.person_units.len(), c.persons.len());
    let mut seen = HashSet::new();
    for p in &c.persons {
        let id = p
            .id_number
            .as_ref()
            .expect("every demo person has an ID number");
        let reparsed = IdNumber::parse(id.as_str()).expect("valid checksum");
        assert_eq!(&reparsed, id);
        assert!(
            seen.insert(id.as_str().to_owned()),
            "duplicate {}",
            id.as_str()
        );
        assert_eq!(p.birth_date.as_deref(), Some(id.birth_date_iso().as_str()));
        assert_eq!(p.gender, Some(Gender::from(id.gender())));
        assert!(
            (1960..=2000).contains(&year_of(p)),
            "{} born {}",
            p.name,
            year_of(p)
        );
        assert!(!p.name.is_empty() && p.name.chars().count() <= 4);
        assert!(p.phone.as_ref().is_some_and(|s| s.len() == 11));
        assert!(p.position.is_some());
        assert!(p.unit_id.is_none(), "unit ids are filled by load");
    }
    let outside = c.person_units.iter().filter(|u| u.is_none()).count();
    let share = outside * 100 / c.persons.len();
    assert!((4..=15).contains(&share), "{share}% outside any unit");
}

#[test]
fn every_unit_has_one_principal_from_its_own_staff() {
    let c = &*COUNTY;
    for (i, u) in c.units.iter().enumerate() {
        let posts: Vec<&DemoPost> = c.posts.iter().filter(|p| p.unit == i).collect();
        let count = |r: PostRank| posts.iter().filter(|p| p.rank == r).count();
        assert_eq!(count(PostRank::Principal), 1, "{}", u.name);
        assert!((1..=3).contains(&count(PostRank::Deputy)), "{}", u.name);
        assert!(count(PostRank::Member) <= 2, "{}", u.name);
        for p in posts {
            assert_eq!(
                c.person_units[p.person],
                Some(i),
                "{} holds a post in {}",
                p.title,
                u.name
            );
            assert_eq!(
                c.persons[p.person].position.as_deref(),
                Some(p.title.as_str())
            );
        }
        assert_eq!(c.principal_of(i).map(|p| c.person_units[p]), Some(Some(i)));
    }
}

#[test]
fn relations_cover_every_class_without_self_or_duplicate_pairs() {
    let c = &*COUNTY;
    assert!(
        (250..=320).contains(&c.relations.len()),
        "{} relations",
        c.relations.len()
    );
    let mut pairs = HashSet::new();
    let mut spouses: HashMap<usize, usize> = HashMap::new();
    for r in &c.relations {
        assert_ne!(r.a, r.b);
        assert!(pairs.insert((r.a.min(r.b), r.a.max(r.b))), "duplicate pair");
        assert!(!r.detail.is_empty());
        let (a, b) = (&c.persons[r.a], &c.persons[r.b]);
        match r.kinship {
            Kinship::Spouse => {
                assert_eq!(
                    (a.gender, b.gender),
                    (Some(Gender::Male), Some(Gender::Female))
                );
                for p in [r.a, r.b] {
                    *spouses.entry(p).or_default() += 1;
                }
            }
            Kinship::Lineal => assert!(year_of(b) - year_of(a) >= 18, "{}", r.detail),
            Kinship::Collateral | Kinship::InLaw => {}
        }
    }
    assert!(spouses.values().all(|n| *n == 1), "nobody has two spouses");
    for k in Kinship::ALL {
        let n = c.relations.iter().filter(|r| r.kinship == *k).count();
        assert!(n >= 40, "{k:?}: {n}");
    }
    // Leaders of different units are related to each other somewhere.
    let leaders: HashSet<usize> = c.posts.iter().map(|p| p.person).collect();
    assert!(c
        .relations
        .iter()
        .any(|r| leaders.contains(&r.a) && leaders.contains(&r.b)));
}

#[test]
fn work_histories_are_consistent() {
    let c = &*COUNTY;
    let mut by_person: HashMap<usize, Vec<&DemoWork>> = HashMap::new();
    for w in &c.work_history {
        assert!(w.to.as_deref().is_none_or(|t| w.from.as_str() < t), "{w:?}");
        assert!(w.from.as_str() < DEMO_TODAY);
        by_person.entry(w.person).or_default().push(w);
    }
    let mut with_earlier = 0;
    let mut recent = 0;
    for (p, unit) in c.person_units.iter().enumerate() {
        let Some(unit) = unit else {
            assert!(!by_person.contains_key(&p));
            continue;
        };
        let entries = &by_person[&p];
        let current: Vec<&&DemoWork> = entries.iter().filter(|w| w.to.is_none()).collect();
        assert_eq!(current.len(), 1);
        assert_eq!(current[0].unit, *unit);
        assert_eq!(current[0].position, c.persons[p].position);
        let born = c.persons[p].birth_date.as_deref().expect("birth date");
        for w in entries.iter().filter(|w| w.to.is_some()) {
            let to = w.to.as_deref().expect("earlier entries end");
            assert!(
                to < current[0].from.as_str(),
                "earlier entry ends before the current"
            );
            assert!(w.from.as_str() > born);
            assert_ne!(w.unit, *unit);
            if to >= "2023-11-01" {
                recent += 1;
            }
        }
        if entries.len() > 1 {
            with_earlier += 1;
        }
    }
    let in_units = c.person_units.iter().flatten().count();
    let share = with_earlier * 100 / in_units;
    assert!((25..=55).contains(&share), "{share}% with earlier entries");
    assert!(
        recent >= 30,
        "{recent} earlier entries ended in the last 3 years"
    );
}

#[test]
fn inspectors_come_from_their_source_departments() {
    let c = &*COUNTY;
    assert_eq!(c.inspectors.len(), 40);
    let persons: HashSet<usize> = c.inspectors.iter().map(|i| i.person).collect();
    assert_eq!(persons.len(), 40);
    for i in &c.inspectors {
        assert!(!i.skills.is_empty());
        assert!((0..=8).contains(&i.rounds_served));
        assert_eq!(i.source_unit, c.person_units[i.person]);
    }
    let discipline = c.unit_index("云岭县纪委监委").expect("unit");
    assert!(c
        .inspectors
        .iter()
        .filter(|i| i.source_unit == Some(discipline))
        .all(|i| i.skills.contains(&Skill::Discipline)));
    for s in [
        Skill::Discipline,
        Skill::Organisation,
        Skill::Finance,
        Skill::Audit,
        Skill::Law,
    ] {
        assert!(c.inspectors.iter().any(|i| i.skills.contains(&s)), "{s:?}");
    }
}

#[test]
fn planted_conflicts_are_in_the_data() {
    let c = &*COUNTY;
    let kin = c
        .planted
        .iter()
        .filter(|p| matches!(p, PlantedConflict::Kin { .. }))
        .count();
    assert_eq!(kin, 7);
    assert_eq!(c.planted.len(), 10);
    for p in &c.planted {
        match p {
            PlantedConflict::Kin {
                inspector,
                relative,
                unit,
                rank,
                kinship,
                detail,
            } => {
                let me = c.inspectors[*inspector].person;
                assert!(c.relations.iter().any(|r| {
                    (r.a, r.b) == (me, *relative) || (r.a, r.b) == (*relative, me)
                } && r.kinship == *kinship
                    && r.detail == *detail));
                assert_eq!(c.person_units[*relative], Some(*unit));
                let held = c
                    .posts
                    .iter()
                    .find(|x| x.person == *relative)
                    .map(|x| x.rank);
                assert_eq!(held, *rank);
            }
            PlantedConflict::FormerUnit {
                inspector,
                unit,
                until,
            } => {
                let me = c.inspectors[*inspector].person;
                assert!(c.work_history.iter().any(|w| w.person == me
                    && w.unit == *unit
                    && w.to.as_deref() == Some(until.as_str())));
            }
        }
    }
    let chengguan = c.unit_index("城关镇").expect("unit");
    let zuyuan = c
        .users
        .iter()
        .find(|u| u.username == "zuyuan")
        .expect("user");
    assert_eq!(zuyuan.person, Some(c.inspectors[0].person));
    assert!(
        matches!(c.planted[0], PlantedConflict::Kin { unit, kinship: Kinship::Spouse, .. } if unit == chengguan)
    );
}

#[test]
fn one_user_per_role_with_a_valid_password() {
    let c = &*COUNTY;
    assert!(Password::parse(DEMO_PASSWORD).is_ok());
    assert_eq!(c.users.len(), Role::ALL.len());
    for role in Role::ALL {
        let users: Vec<&DemoUser> = c.users.iter().filter(|u| u.role == role).collect();
        assert_eq!(users.len(), 1, "{role:?}");
        let u = users[0];
        assert!(
            crate::auth::Username::parse(&u.username).is_ok(),
            "{}",
            u.username
        );
        assert_eq!(u.unit.is_some(), role.needs_unit(), "{}", u.username);
        assert!(!u.display_name.is_empty());
    }
    let names: HashSet<&str> = c.users.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(names.len(), c.users.len());
}
