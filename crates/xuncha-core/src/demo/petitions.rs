//! Demo petitions (信访) about 白云镇, a township no round inspects (so the
//! rounds' circulars keep their figures): one under a 督办 whose reply
//! deadline has passed unanswered, one whose 催办 the town has answered, and
//! one just registered. Written through the use cases with a clock moved
//! day by day, as of `at`.

use super::rounds::Loaded;
use crate::auth::Actor;
use crate::clock::ManualClock;
use crate::error::CoreError;
use crate::intake::petition::Event;
use crate::intake::register::PetitionInput;
use crate::intake::supervision::{ReplyInput, SupervisionInput};
use crate::store::Store;
use crate::usecases::auth::actor_for;
use crate::usecases::rounds::plan::today;
use crate::usecases::{petitions, supervisions};

const DAY: i64 = 86_400_000;
const TOWN: &str = "白云镇";
const TOWN_GOVERNMENT: &str = "白云镇人民政府";

async fn office(store: &dyn Store, l: &Loaded<'_>) -> Result<Actor, CoreError> {
    let user = l
        .users
        .iter()
        .find(|u| u.username == "office")
        .ok_or_else(|| CoreError::Internal(anyhow::anyhow!("demo user office missing")))?;
    actor_for(store, user).await
}

fn input(category: &str, channel: &str, title: &str, content: &str, day: &str) -> PetitionInput {
    PetitionInput {
        channel: channel.into(),
        category: category.into(),
        domain: "农村基础设施".into(),
        title: title.into(),
        content: content.into(),
        date: day.into(),
        ..Default::default()
    }
}

/// Writes the demo petitions; how many.
pub(super) async fn load_petitions(
    store: &dyn Store,
    l: &Loaded<'_>,
    at: i64,
) -> Result<usize, CoreError> {
    let office = office(store, l).await?;
    let town = l
        .county
        .unit_index(TOWN)
        .map(|i| l.unit_ids[i])
        .ok_or_else(|| CoreError::Internal(anyhow::anyhow!("demo unit {TOWN} missing")))?;
    let clock = ManualClock::new(at - 25 * DAY);
    let forward = || Event::Forward(TOWN_GOVERNMENT.into());

    // Registered 25 days ago, forwarded and accepted; a 督办 twelve days ago
    // asked for a reply five days ago, and none came.
    let late = petitions::register(
        store,
        &clock,
        &office,
        Some(town),
        &input(
            "appeal",
            "letter",
            "反映白云村饮水工程水管破损长期无人维修",
            "白云村三组饮水工程主管道去年冬天冻裂，至今未修复，群众只能到河里挑水，请求尽快维修。",
            &today(&clock),
        ),
    )
    .await?;
    clock.advance_ms(DAY);
    petitions::step(store, &clock, &office, late.id, forward()).await?;
    clock.advance_ms(4 * DAY);
    petitions::step(store, &clock, &office, late.id, Event::Accept).await?;
    clock.advance_ms(8 * DAY);
    let deadline = today(&ManualClock::new(at - 5 * DAY));
    supervisions::supervise(
        store,
        &clock,
        &office,
        late.id,
        &SupervisionInput {
            level: "supervise".into(),
            requirement: "请白云镇于期限内报送维修方案和进度安排，并书面答复信访人".into(),
            deadline,
        },
    )
    .await?;

    // Registered nine days ago; the 催办 of two days ago is answered today.
    clock.advance_ms(3 * DAY);
    let answered = petitions::register(
        store,
        &clock,
        &office,
        Some(town),
        &input(
            "suggestion",
            "phone",
            "建议在云台村小学门口增设减速带",
            "云台村小学门口的县道车速快，学生上下学不安全，建议增设减速带和警示标志。",
            &today(&clock),
        ),
    )
    .await?;
    petitions::step(store, &clock, &office, answered.id, forward()).await?;
    clock.advance_ms(2 * DAY);
    petitions::step(store, &clock, &office, answered.id, Event::Accept).await?;
    clock.advance_ms(5 * DAY);
    let urge = supervisions::supervise(
        store,
        &clock,
        &office,
        answered.id,
        &SupervisionInput {
            level: "urge".into(),
            requirement: "请抓紧办理并报告进展".into(),
            deadline: today(&ManualClock::new(at + 7 * DAY)),
        },
    )
    .await?;
    clock.advance_ms(2 * DAY);
    supervisions::reply(
        store,
        &clock,
        &office,
        answered.id,
        urge.id,
        ReplyInput {
            kind: "progress".into(),
            text: "已联系县交通运输局现场查看，减速带列入本月施工计划".into(),
            by: "白云镇人民政府 党政办".into(),
            date: today(&clock),
        },
    )
    .await?;

    // Registered today, waiting to be forwarded.
    let fresh = ManualClock::new(at);
    petitions::register(
        store,
        &fresh,
        &office,
        Some(town),
        &input(
            "appeal",
            "visit",
            "反映岔河村通村公路塌方未清理",
            "岔河村通村公路上月暴雨后塌方，至今未清理，车辆无法通行，请求尽快处理。",
            &today(&fresh),
        ),
    )
    .await?;
    Ok(3)
}
