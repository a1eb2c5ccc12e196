//! The 巡察 round end to end through the use cases, on both backends: plan,
//! team with recusal, fieldwork, working papers, report returned and
//! approved, feedback, transfer and disposal, rectification, accountability,
//! and the circular's numbers.

use std::sync::Arc;

use xuncha_core::auth::{Actor, Role, User};
use xuncha_core::inspection::fieldwork::FieldworkInput;
use xuncha_core::inspection::paper::{PaperInput, PaperStep};
use xuncha_core::inspection::record::RecordKind;
use xuncha_core::inspection::rectification::RectItemInput;
use xuncha_core::inspection::report::{FeedbackInput, ReportKind};
use xuncha_core::inspection::{RecusalDecision, RoundInput, Stage, TeamRole};
use xuncha_core::registry::{
    Kinship, NewInspector, NewRelation, NewWorkHistory, PageRequest, PostRank, Skill, Unit,
    UnitKind,
};
use xuncha_core::store::{InspectorLink, NewUser, Store};
use xuncha_core::usecases::auth::actor_for;
use xuncha_core::usecases::rounds::{outcome, plan, work};
use xuncha_core::CoreError;

use crate::helpers::{actor, new_person, nth_id_number, TestDb};

const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$notarealhashnotarealhash";

/// A county with two townships, their leaders, and four inspectors with
/// user accounts; inspector 「钱七」 is the spouse of township A's secretary.
struct County {
    root: Unit,
    town_a: Unit,
    town_b: Unit,
    finance: Unit,
    /// (inspector id, user) for 张组长, 李副组长, 王组员, 钱七.
    inspectors: Vec<(i64, User)>,
    secretary_a: i64,
}

async fn county(store: &dyn Store, ctx: &TestDb) -> County {
    let root = ctx.unit(None, "示范县", UnitKind::County).await;
    let town_a = ctx.unit(Some(&root), "甲镇", UnitKind::Township).await;
    let town_b = ctx.unit(Some(&root), "乙镇", UnitKind::Township).await;
    let office = ctx
        .unit(Some(&root), "县委巡察办", UnitKind::PartyDept)
        .await;
    let finance = ctx.unit(Some(&root), "县财政局", UnitKind::GovDept).await;
    let m = ctx.meta();
    let person = |n: usize, name: &'static str, unit: i64| {
        let id = nth_id_number(n);
        async move {
            store
                .create_person(&new_person(name, Some(&id), Some(unit)), &ctx.meta())
                .await
                .unwrap()
        }
    };
    let sec_a = person(1, "赵书记", town_a.id).await;
    let dep_a = person(2, "孙副镇长", town_a.id).await;
    let sec_b = person(3, "周书记", town_b.id).await;
    store
        .add_leadership_post(town_a.id, sec_a.id, "党委书记", PostRank::Principal, &m)
        .await
        .unwrap();
    store
        .add_leadership_post(town_a.id, dep_a.id, "副镇长", PostRank::Deputy, &m)
        .await
        .unwrap();
    store
        .add_leadership_post(town_b.id, sec_b.id, "党委书记", PostRank::Principal, &m)
        .await
        .unwrap();
    let mut inspectors = Vec::new();
    for (n, name, username, role) in [
        (10, "张组长", "zz", Role::TeamLeader),
        (11, "李副组长", "fz", Role::TeamDeputy),
        (12, "王组员", "zy", Role::TeamMember),
        (13, "钱七", "qq", Role::TeamMember),
    ] {
        let p = person(n, name, office.id).await;
        store
            .add_work_history(
                &NewWorkHistory {
                    person_id: p.id,
                    unit_id: office.id,
                    position: Some("干部".into()),
                    from_date: "2015-01-01".into(),
                    to_date: None,
                },
                &m,
            )
            .await
            .unwrap();
        let insp = store
            .add_inspector(
                &NewInspector {
                    person_id: p.id,
                    source_unit_id: Some(office.id),
                    skills: vec![Skill::Discipline],
                    rounds_served: 2,
                },
                &m,
            )
            .await
            .unwrap();
        let user = store
            .create_user(
                &NewUser {
                    username: username.into(),
                    display_name: name.into(),
                    role,
                    unit_id: Some(office.id),
                    password_hash: HASH.into(),
                },
                &m,
            )
            .await
            .unwrap();
        store
            .link_inspector(
                &InspectorLink {
                    inspector_id: insp.id,
                    user_id: Some(user.id),
                    home_region_code: None,
                },
                &m,
            )
            .await
            .unwrap();
        inspectors.push((insp.id, user));
    }
    let qian = store.get_user(inspectors[3].1.id).await.unwrap();
    let qian_person = store
        .list_inspectors()
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.person_name == qian.display_name)
        .unwrap()
        .person_id;
    store
        .add_relation(
            &NewRelation {
                person_a_id: qian_person,
                person_b_id: sec_a.id,
                kind: Kinship::Spouse,
                detail: Some("夫妻".into()),
            },
            &m,
        )
        .await
        .unwrap();
    County {
        root,
        town_a,
        town_b,
        finance,
        inspectors,
        secretary_a: sec_a.id,
    }
}

async fn as_user(store: &dyn Store, user: &User) -> Actor {
    actor_for(store, user).await.unwrap()
}

store_test!(a_round_runs_from_plan_to_circular);
async fn a_round_runs_from_plan_to_circular(store: Arc<dyn Store>, ctx: &TestDb) {
    let s = store.as_ref();
    let clock = ctx.clock.as_ref();
    let c = county(s, ctx).await;
    let office = actor(Role::Office, Some(&c.root));

    // Plan: a round with two targets and one team.
    let round = plan::create_round(
        s,
        clock,
        &office,
        &RoundInput {
            term: "15".into(),
            number: "2".into(),
            kind: "常规".into(),
            start_date: "2026-03-02".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let dup = plan::create_round(
        s,
        clock,
        &office,
        &RoundInput {
            term: "15".into(),
            number: "2".into(),
            kind: "regular".into(),
            start_date: "2026-03-02".into(),
            ..Default::default()
        },
    )
    .await;
    assert!(matches!(dup, Err(CoreError::Invalid(v)) if v[0].field == "number"));
    let ta = plan::add_target(s, clock, &office, round.id, c.town_a.id)
        .await
        .unwrap();
    let tb = plan::add_target(s, clock, &office, round.id, c.town_b.id)
        .await
        .unwrap();
    let team = plan::create_team(s, clock, &office, round.id, "第一巡察组")
        .await
        .unwrap();
    for (i, role) in [
        (0, TeamRole::Leader),
        (1, TeamRole::Deputy),
        (2, TeamRole::Member),
        (3, TeamRole::Member),
    ] {
        plan::add_member(s, clock, &office, team.id, c.inspectors[i].0, role)
            .await
            .unwrap();
    }
    let second_leader = plan::add_member(
        s,
        clock,
        &office,
        team.id,
        c.inspectors[3].0,
        TeamRole::Leader,
    )
    .await;
    assert!(
        second_leader.is_err(),
        "one leader per team, one team per inspector"
    );

    // Recusal: 钱七 is the spouse of 甲镇's secretary, so the team cannot
    // take 甲镇 while she is on it; the refusal names the chain.
    let blocked = plan::assign_team(s, clock, &office, ta.id, Some(team.id)).await;
    match blocked {
        Err(CoreError::Invalid(v)) => {
            assert!(
                v[0].message.contains("钱七") && v[0].message.contains("赵书记"),
                "{}",
                v[0].message
            );
        }
        other => panic!("expected a hard conflict, got {other:?}"),
    }
    let why = plan::check_conflicts(s, clock, &office, c.inspectors[3].0, c.town_a.id)
        .await
        .unwrap();
    assert_eq!(why.len(), 1);
    assert!(why[0].chain.iter().any(|step| step.contains("夫妻")));
    let members = s.members_of_round(round.id).await.unwrap();
    let qian = members
        .iter()
        .find(|m| m.inspector_id == c.inspectors[3].0)
        .unwrap();
    plan::remove_member(s, clock, &office, qian.id)
        .await
        .unwrap();
    let (ta, pending) = plan::assign_team(s, clock, &office, ta.id, Some(team.id))
        .await
        .unwrap();
    assert!(pending.pending.is_empty());
    assert_eq!(ta.stage, Stage::Prepare);
    plan::assign_team(s, clock, &office, tb.id, Some(team.id))
        .await
        .unwrap();

    // 钱七 declares nothing and is on no team: she sees no work. The team
    // members see both targets; nobody sees a target outside the round.
    let leader = as_user(s, &c.inspectors[0].1).await;
    let deputy = as_user(s, &c.inspectors[1].1).await;
    let member = as_user(s, &c.inspectors[2].1).await;
    let qian = as_user(s, &c.inspectors[3].1).await;
    assert_eq!(leader.assignments.len(), 1);
    assert_eq!(leader.assignments[0].unit_paths.len(), 2);
    assert!(matches!(
        work::workspace(s, &qian, ta.id).await,
        Err(CoreError::NotFound)
    ));
    assert!(work::workspace(s, &member, ta.id).await.is_ok());

    // Fieldwork: a talk with the secretary by two people, one by one person
    // (kept, with a warning), petitions received on site.
    let talk = |who: &str, people: &str| FieldworkInput {
        method: "talk".into(),
        date: "2026-03-10".into(),
        participants: people.into(),
        notes: "了解班子运行情况".into(),
        talked_name: who.into(),
        ..Default::default()
    };
    let (_, warnings) =
        work::add_fieldwork(s, clock, &member, ta.id, &talk("赵书记", "王组员,李副组长"))
            .await
            .unwrap();
    assert!(warnings.is_empty());
    let (_, warnings) = work::add_fieldwork(s, clock, &member, ta.id, &talk("孙副镇长", "王组员"))
        .await
        .unwrap();
    assert_eq!(warnings.len(), 1);
    work::add_fieldwork(
        s,
        clock,
        &member,
        ta.id,
        &FieldworkInput {
            method: "petition".into(),
            date: "2026-03-11".into(),
            participants: "王组员,李副组长".into(),
            notes: "受理群众来信".into(),
            petition_count: "7".into(),
            petition_domain: "低保".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let ws = work::workspace(s, &leader, ta.id).await.unwrap();
    assert!(ws.not_talked.is_empty(), "both leaders were talked with");
    assert_eq!(ws.target.stage, Stage::Fieldwork);

    // Working paper: two handlers sign, the deputy reviews, the leader approves.
    let paper = work::create_paper(
        s,
        clock,
        &member,
        ta.id,
        &PaperInput {
            category: "六项纪律/廉洁纪律".into(),
            source: "talk".into(),
            summary: "违规发放津补贴".into(),
            facts: "2025年甲镇违规发放津补贴12万元".into(),
            basis: "《中国共产党纪律处分条例》".into(),
        },
    )
    .await
    .unwrap();
    work::paper_step(s, clock, &member, paper, PaperStep::Sign)
        .await
        .unwrap();
    assert!(
        work::paper_step(s, clock, &member, paper, PaperStep::Review)
            .await
            .is_err()
    );
    work::paper_step(s, clock, &deputy, paper, PaperStep::Sign)
        .await
        .unwrap();
    work::paper_step(s, clock, &deputy, paper, PaperStep::Review)
        .await
        .unwrap();
    work::paper_step(s, clock, &leader, paper, PaperStep::Approve)
        .await
        .unwrap();
    let clue = work::create_clue(
        s,
        clock,
        &member,
        ta.id,
        &work::ClueInput {
            title: "赵书记涉嫌插手工程".into(),
            summary: "群众反映".into(),
            grade: "further".into(),
            persons: "赵书记 党委书记\n无名氏 包工头".into(),
            paper_id: Some(paper),
        },
    )
    .await
    .unwrap();
    let stored = s.get_record(clue).await.unwrap();
    assert!(
        stored
            .data
            .contains(&format!("\"person_id\":{}", c.secretary_a)),
        "linked to the registry"
    );

    // Report: composed, submitted, returned (fieldwork reopens), approved.
    let report = outcome::compose_report(s, clock, &leader, ta.id, ReportKind::Final)
        .await
        .unwrap();
    assert!(
        outcome::submit_report(s, clock, &member, report)
            .await
            .is_err(),
        "only the 组长 submits"
    );
    outcome::submit_report(s, clock, &leader, report)
        .await
        .unwrap();
    let group = actor(Role::LeadingGroup, Some(&c.root));
    assert_eq!(
        outcome::reports_to_decide(s, &group).await.unwrap().len(),
        1
    );
    outcome::decide_report(s, clock, &group, report, false, "问题挖掘不深")
        .await
        .unwrap();
    assert_eq!(s.get_target(ta.id).await.unwrap().stage, Stage::Fieldwork);
    outcome::submit_report(s, clock, &leader, report)
        .await
        .unwrap();
    outcome::decide_report(s, clock, &group, report, true, "")
        .await
        .unwrap();

    // Feedback: principal first, then the team; the clock starts.
    let fb = |p: &str, t: &str| FeedbackInput {
        opinion: "巡察发现的主要问题……".into(),
        principal_date: p.into(),
        team_date: t.into(),
        receipt_by: "赵书记".into(),
        receipt_date: t.into(),
    };
    assert!(
        outcome::give_feedback(s, clock, &leader, ta.id, &fb("2026-05-20", "2026-05-19"))
            .await
            .is_err()
    );
    outcome::give_feedback(s, clock, &leader, ta.id, &fb("2026-05-19", "2026-05-20"))
        .await
        .unwrap();
    let ta = s.get_target(ta.id).await.unwrap();
    assert_eq!(ta.feedback_date.as_deref(), Some("2026-05-20"));
    assert_eq!(
        outcome::rectification_due(s, &ta).await.unwrap().as_deref(),
        Some("2026-08-20")
    );

    // Transfer: the clue goes to the 纪委监委 as proposed; the paper to the
    // 财政局 instead of the proposal needs a reason.
    let tr = outcome::transfer(
        s,
        clock,
        &leader,
        &outcome::TransferInput {
            record_id: clue,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let changed = outcome::TransferInput {
        record_id: paper,
        receiver: "department".into(),
        receiver_unit_id: Some(c.finance.id),
        change_reason: String::new(),
    };
    assert!(outcome::transfer(s, clock, &leader, &changed)
        .await
        .is_err());
    let tr2 = outcome::transfer(
        s,
        clock,
        &leader,
        &outcome::TransferInput {
            change_reason: "涉及财政资金".into(),
            ..changed
        },
    )
    .await
    .unwrap();
    let discipline = actor(Role::Discipline, Some(&c.root));
    let organisation = actor(Role::Organisation, Some(&c.root));
    let department = actor(Role::Department, Some(&c.finance));
    let inbox = outcome::transfers(s, &discipline, PageRequest::new(None, None))
        .await
        .unwrap();
    assert_eq!(inbox.total, 1);
    assert_eq!(
        outcome::transfers(s, &organisation, PageRequest::new(None, None))
            .await
            .unwrap()
            .total,
        0
    );
    assert_eq!(
        outcome::transfers(s, &department, PageRequest::new(None, None))
            .await
            .unwrap()
            .total,
        1
    );
    assert!(matches!(
        outcome::get_transfer(s, &department, tr).await,
        Err(CoreError::NotFound)
    ));
    outcome::receive_transfer(s, clock, &discipline, tr)
        .await
        .unwrap();
    outcome::report_transfer(
        s,
        clock,
        &discipline,
        tr,
        "立案审查调查",
        "fourth",
        "已立案审查",
    )
    .await
    .unwrap();
    outcome::receive_transfer(s, clock, &department, tr2)
        .await
        .unwrap();

    // Rectification: the unit's own account adds items; the team verifies.
    let unit_user = actor(Role::InspectedUnit, Some(&c.town_a));
    let other_unit = actor(Role::InspectedUnit, Some(&c.town_b));
    assert!(matches!(
        outcome::rectification(s, clock, &other_unit, ta.id).await,
        Err(CoreError::NotFound)
    ));
    let item = |deadline: &str| RectItemInput {
        problem: "违规发放津补贴".into(),
        measures: "全部清退".into(),
        responsible: "赵书记".into(),
        kind: "deadline".into(),
        deadline: deadline.into(),
    };
    assert!(outcome::add_rect_item(
        s,
        clock,
        &unit_user,
        ta.id,
        Some(paper),
        &item("2026-09-30")
    )
    .await
    .is_err());
    let i1 = outcome::add_rect_item(
        s,
        clock,
        &unit_user,
        ta.id,
        Some(paper),
        &item("2026-07-31"),
    )
    .await
    .unwrap();
    outcome::add_rect_item(s, clock, &unit_user, ta.id, None, &item("2026-06-30"))
        .await
        .unwrap();
    let view = outcome::rectification(s, clock, &unit_user, ta.id)
        .await
        .unwrap();
    assert!(
        view.unlisted.is_empty(),
        "the unit does not see the team's papers"
    );
    assert_eq!(view.items.len(), 2);
    outcome::report_progress(s, clock, &unit_user, i1, "已全部清退", vec![], true)
        .await
        .unwrap();
    assert!(
        outcome::verify_item(s, clock, &unit_user, i1, true, "")
            .await
            .is_err(),
        "the unit cannot verify itself"
    );
    outcome::verify_item(s, clock, &leader, i1, true, "")
        .await
        .unwrap();
    outcome::rate(s, clock, &leader, ta.id, "一般")
        .await
        .unwrap();
    outcome::add_accountability(
        s,
        clock,
        &leader,
        ta.id,
        &outcome::AccountabilityInput {
            action: "免职".into(),
            person_name: "孙副镇长".into(),
            date: "2026-06-01".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    outcome::add_accountability(
        s,
        clock,
        &leader,
        ta.id,
        &outcome::AccountabilityInput {
            action: "通报批评".into(),
            date: "2026-06-01".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();

    // The circular counts what was recorded.
    let view = outcome::circular(s, clock, &office, round.id)
        .await
        .unwrap();
    let n = &view.circular;
    assert_eq!(n.units, 2);
    assert_eq!(n.problems, 1);
    assert_eq!(n.clues, 1);
    assert_eq!(n.clue_persons, 2);
    assert_eq!(n.petitions, 7);
    assert_eq!(n.petitions_by_domain.get("低保"), Some(&7));
    assert_eq!((n.principals_talked, n.deputies_talked, n.talks), (1, 1, 2));
    assert_eq!(n.units_criticised, 1);
    assert_eq!(n.cadres_removed, 1);
    assert_eq!(n.persons_accountable, 1);
    assert_eq!(n.cases_filed, 1);
    assert_eq!(n.reports_returned, 1);
    assert_eq!((n.rect_items, n.rect_accepted), (2, 1));
    assert_eq!(view.look_back.len(), 1, "rated 一般: proposed for 回头看");

    // Every change was audited and queued for the index.
    assert!(
        ctx.scalar("select count(*) from audit_log where action like 'paper.%'")
            .await
            >= 5
    );
    assert!(
        ctx.scalar("select count(*) from search_outbox where doc_type = 'paper'")
            .await
            >= 1
    );
}

store_test!(soft_conflicts_wait_for_a_decision_and_hide_the_unit_meanwhile);
async fn soft_conflicts_wait_for_a_decision_and_hide_the_unit_meanwhile(
    store: Arc<dyn Store>,
    ctx: &TestDb,
) {
    let s = store.as_ref();
    let clock = ctx.clock.as_ref();
    let c = county(s, ctx).await;
    let office = actor(Role::Office, Some(&c.root));
    // 王组员 worked beside 乙镇's secretary in the same unit: a soft conflict.
    let zy_person = s.list_inspectors().await.unwrap()[2].person_id;
    let sec_b = s.leadership_of(c.town_b.id).await.unwrap()[0].person_id;
    for p in [zy_person, sec_b] {
        s.add_work_history(
            &NewWorkHistory {
                person_id: p,
                unit_id: c.finance.id,
                position: Some("科员".into()),
                from_date: "2010-01-01".into(),
                to_date: Some("2014-12-31".into()),
            },
            &ctx.meta(),
        )
        .await
        .unwrap();
    }
    let round = plan::create_round(
        s,
        clock,
        &office,
        &RoundInput {
            term: "15".into(),
            number: "3".into(),
            kind: "special".into(),
            start_date: "2026-09-01".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let tb = plan::add_target(s, clock, &office, round.id, c.town_b.id)
        .await
        .unwrap();
    let team = plan::create_team(s, clock, &office, round.id, "第二巡察组")
        .await
        .unwrap();
    plan::assign_team(s, clock, &office, tb.id, Some(team.id))
        .await
        .unwrap();
    let (_, outcome) = plan::add_member(
        s,
        clock,
        &office,
        team.id,
        c.inspectors[2].0,
        TeamRole::Member,
    )
    .await
    .unwrap();
    assert_eq!(outcome.pending.len(), 1);
    let zy = as_user(s, &c.inspectors[2].1).await;
    assert_eq!(
        zy.recused_paths,
        vec![c.town_b.path.clone()],
        "pending fails closed"
    );
    assert!(work::workspace(s, &zy, tb.id).await.is_err());
    let rec = &s.recusals_of_round(round.id).await.unwrap()[0];
    assert_eq!(rec.decision, RecusalDecision::Pending);
    assert!(plan::decide_recusal(
        s,
        clock,
        &office,
        round.id,
        rec.id,
        RecusalDecision::Allowed,
        " "
    )
    .await
    .is_err());
    plan::decide_recusal(
        s,
        clock,
        &office,
        round.id,
        rec.id,
        RecusalDecision::Allowed,
        "共事已逾十年，无利害关系",
    )
    .await
    .unwrap();
    let zy = as_user(s, &c.inspectors[2].1).await;
    assert!(zy.recused_paths.is_empty());
    assert!(work::workspace(s, &zy, tb.id).await.is_ok());
    // A declared conflict hides the unit at once.
    work::workspace(s, &zy, tb.id).await.unwrap();
    plan::declare_conflict(s, clock, &zy, tb.id, "本人配偶在乙镇任职")
        .await
        .unwrap();
    let zy = as_user(s, &c.inspectors[2].1).await;
    assert!(matches!(
        work::workspace(s, &zy, tb.id).await,
        Err(CoreError::NotFound)
    ));
    let _ = c.town_a;
}

store_test!(a_stale_edit_is_refused_not_lost);
async fn a_stale_edit_is_refused_not_lost(store: Arc<dyn Store>, ctx: &TestDb) {
    use xuncha_core::inspection::record::{RecordFilter, RecordUpdate};
    use xuncha_core::policy::Scope;
    let s = store.as_ref();
    let clock = ctx.clock.as_ref();
    let c = county(s, ctx).await;
    let office = actor(Role::Office, Some(&c.root));
    let round = plan::create_round(
        s,
        clock,
        &office,
        &RoundInput {
            term: "1".into(),
            number: "1".into(),
            kind: "regular".into(),
            start_date: "2026-01-05".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let t = plan::add_target(s, clock, &office, round.id, c.town_b.id)
        .await
        .unwrap();
    let id = work::add_briefing(
        s,
        clock,
        &office,
        t.id,
        &xuncha_core::inspection::prepare::BriefingInput {
            source: "信访部门".into(),
            requested: "2026-01-06".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let r = s.get_record(id).await.unwrap();
    let update = RecordUpdate {
        expected_version: r.meta.version,
        status: "received".into(),
        tag: r.meta.tag.clone(),
        due_date: None,
        data: r.data.clone(),
        action: "briefing.edit".into(),
        search: ("t".into(), "b".into()),
    };
    s.update_record(id, &update, &ctx.meta()).await.unwrap();
    let again = s.update_record(id, &update, &ctx.meta()).await;
    assert!(matches!(again, Err(xuncha_core::StoreError::Conflict(_))));
    let mut f = RecordFilter::new(RecordKind::Briefing, Scope::all());
    f.status = Some("received".into());
    assert_eq!(
        s.list_records(&f, PageRequest::new(None, None))
            .await
            .unwrap()
            .total,
        1
    );
    let counts = s
        .record_counts(&RecordFilter::new(RecordKind::Briefing, Scope::all()))
        .await
        .unwrap();
    assert_eq!(counts.len(), 1);
    assert_eq!(counts[0].count, 1);
}
