//! Surveys on both backends: a draft is edited, opened and closed (only
//! forward); codes are stored as hashes and answer once each, even when two
//! sheets race for one code; sheets keep no link to their code; results
//! count what was stored; the team never sees its own conduct evaluation.

use std::collections::HashMap;
use std::sync::Arc;

use xuncha_core::auth::Role;
use xuncha_core::inspection::{RoundInput, RoundStatus};
use xuncha_core::registry::UnitKind;
use xuncha_core::store::Store;
use xuncha_core::survey::{SurveyInput, SurveyStatus};
use xuncha_core::usecases::rounds::plan;
use xuncha_core::usecases::surveys as uc;
use xuncha_core::CoreError;

use crate::helpers::{actor, TestDb};

fn form(kind: &str, target: i64) -> SurveyInput {
    SurveyInput {
        kind: kind.into(),
        title: "青石镇领导班子民主测评".into(),
        subjects: "领导班子\n张三（党委书记）".into(),
        scale: "好/较好/一般/差/不了解".into(),
        scheme: "share".into(),
        values: "1".into(),
        questions: "评价：坚持党的领导\n填空：意见建议（选答）".into(),
        target_id: Some(target),
        ..SurveyInput::default()
    }
}

fn answers(a: &str, b: &str) -> HashMap<String, String> {
    [("q0s0", a), ("q0s1", b), ("q1", "多下基层")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

store_test!(surveys_answer_once_per_code_and_tabulate);
async fn surveys_answer_once_per_code_and_tabulate(store: Arc<dyn Store>, ctx: &TestDb) {
    let s = store.as_ref();
    let clock = ctx.clock.as_ref();
    let root = ctx.unit(None, "示范县", UnitKind::County).await;
    let town = ctx.unit(Some(&root), "青石镇", UnitKind::Township).await;
    let office = actor(Role::Office, Some(&root));
    let round = plan::create_round(
        s,
        clock,
        &office,
        &RoundInput {
            term: "15".into(),
            number: "5".into(),
            kind: "special".into(),
            start_date: "2026-11-01".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    plan::set_status(s, clock, &office, round.id, RoundStatus::Active)
        .await
        .unwrap();
    let target = plan::add_target(s, clock, &office, round.id, town.id)
        .await
        .unwrap();

    let survey = uc::create(s, clock, &office, &form("evaluation", target.id))
        .await
        .unwrap();
    assert_eq!(survey.status, SurveyStatus::Draft);
    assert_eq!(survey.unit_name, "青石镇");
    let mut changed = form("evaluation", target.id);
    changed.questions = "评价：坚持党的领导\n评价：作风建设\n填空：意见建议（选答）".into();
    let survey = uc::edit(s, clock, &office, survey.id, survey.version, &changed)
        .await
        .unwrap();
    assert_eq!(survey.form.questions.len(), 3);
    assert!(matches!(
        uc::set_status(s, clock, &office, survey.id, SurveyStatus::Closed).await,
        Err(CoreError::Invalid(_))
    ));

    let (_, codes) = uc::issue_codes(s, clock, &office, survey.id, 3)
        .await
        .unwrap();
    assert_eq!(codes.len(), 3);
    // Codes are answered only while the survey is open.
    let a = |x: &str, y: &str| {
        let mut m = answers(x, y);
        m.insert("q1s0".into(), "0".into());
        m.insert("q1s1".into(), "0".into());
        m.insert("q2".into(), "多下基层".into());
        m
    };
    assert!(matches!(
        uc::answer(s, clock, &codes[0], &a("0", "0")).await,
        Err(CoreError::Invalid(_))
    ));
    uc::set_status(s, clock, &office, survey.id, SurveyStatus::Open)
        .await
        .unwrap();
    assert!(matches!(
        uc::edit(s, clock, &office, survey.id, survey.version + 1, &changed).await,
        Err(CoreError::Invalid(_))
    ));
    uc::answer(s, clock, &codes[0].to_lowercase(), &a("0", "1"))
        .await
        .unwrap();
    let again = uc::answer(s, clock, &codes[0], &a("0", "0")).await;
    let Err(CoreError::Invalid(e)) = again else {
        panic!("a used code is refused: {again:?}")
    };
    assert!(e[0].message.contains("已使用"));

    // Two sheets race for one code: exactly one is stored.
    let (one, two) = (a("1", "1"), a("2", "2"));
    let (x, y) = tokio::join!(
        uc::answer(s, clock, &codes[1], &one),
        uc::answer(s, clock, &codes[1], &two),
    );
    assert_eq!([x.is_ok(), y.is_ok()].iter().filter(|ok| **ok).count(), 1);

    // A paper sheet keyed in by staff with the third code.
    uc::key_in(s, clock, &office, survey.id, &codes[2], &a("4", "3"))
        .await
        .unwrap();
    let (survey, r) = uc::results(s, &office, survey.id).await.unwrap();
    assert_eq!((survey.issued, survey.returned), (3, 3));
    assert_eq!((r.sheets, r.valid_sheets), (3, 3));
    let first = &r.items[0];
    assert_eq!(first.valid + first.invalid, 3);
    assert_eq!(r.texts, vec![(2, vec!["多下基层".to_owned(); 3])]);
    assert_eq!(
        ctx.scalar("select count(*) from survey_codes where used = true")
            .await,
        3
    );

    // The team's own conduct evaluation: the office runs it, the team never sees it.
    let conduct = uc::create(s, clock, &office, &form("team-conduct", target.id))
        .await
        .unwrap();
    let mut leader = actor(Role::TeamLeader, Some(&root));
    leader.assignments = vec![xuncha_core::inspection::Assignment {
        round_id: round.id,
        team_id: 1,
        role: xuncha_core::inspection::TeamRole::Leader,
        unit_paths: vec![town.path.clone()],
    }];
    assert!(
        uc::get(s, &leader, survey.id).await.is_ok(),
        "its own evaluation of the unit"
    );
    assert!(matches!(
        uc::get(s, &leader, conduct.id).await,
        Err(CoreError::NotFound)
    ));
    assert!(uc::list(s, &leader)
        .await
        .unwrap()
        .iter()
        .all(|x| x.id != conduct.id));
    assert!(
        uc::create(s, clock, &leader, &form("team-conduct", target.id))
            .await
            .is_err()
    );
}
