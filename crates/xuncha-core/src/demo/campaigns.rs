//! The demo's field campaigns, worked through the campaign use cases: last
//! month's and this month's dormitory sweep of a county company (rooms
//! rated, a rice cooker and an induction hob confiscated, one returned
//! against a guarantee, hazards), and a household visit campaign in 城关镇
//! (households imported, visits with demands, one of them overdue).

use crate::auth::Actor;
use crate::campaign::checklist::RoomRecordInput;
use crate::campaign::custody::ReturnInput;
use crate::campaign::{
    CampaignKind, CampaignStatus, ConfiscationInput, DemandInput, TargetLevel, VisitInput,
};
use crate::clock::ManualClock;
use crate::error::CoreError;
use crate::import::{RawRow, RawTable};
use crate::inspection::workdays::{add_days, iso, parse_iso};
use crate::store::Store;
use crate::usecases::auth::actor_for;
use crate::usecases::campaigns::{self as uc, setup, work};
use crate::usecases::rounds::plan::today;

use super::rng::Rng;
use super::rounds::Loaded;

/// What the demo's campaigns created.
pub(super) struct CampaignsSummary {
    /// Campaigns.
    pub(super) campaigns: usize,
    /// Room inspections and household visits.
    pub(super) records: usize,
}

const ROOMS: &str = "1号宿舍楼/1层/101-106\n1号宿舍楼/2层/201-206\n2号宿舍楼/1层/101-104\n3号宿舍楼（场外）/1层/101-104";

async fn actor(store: &dyn Store, l: &Loaded<'_>, username: &str) -> Result<Actor, CoreError> {
    let user = l
        .users
        .iter()
        .find(|u| u.username == username)
        .ok_or_else(|| CoreError::Internal(anyhow::anyhow!("demo user {username} missing")))?;
    actor_for(store, user).await
}

fn day_offset(day: &str, n: i64) -> String {
    parse_iso(day).map_or_else(|| day.to_owned(), |d| iso(add_days(d, n)))
}

/// Loads the campaigns as of `at`.
pub(super) async fn load_campaigns(
    store: &dyn Store,
    l: &Loaded<'_>,
    at: i64,
) -> Result<CampaignsSummary, CoreError> {
    let clock = ManualClock::new(at);
    let office = actor(store, l, "office").await?;
    let checker = actor(store, l, "jiancha").await?;
    let cadre = actor(store, l, "zoufang").await?;
    let unit_of = |name: &str| {
        l.county
            .unit_index(name)
            .map(|i| l.unit_ids[i])
            .ok_or_else(|| CoreError::Internal(anyhow::anyhow!("demo unit {name} missing")))
    };
    let mut rng = Rng::new(202_611);
    let day = today(&clock);
    let mut records = 0;

    // Dormitory sweeps: last month's (finished, closed) and this month's.
    let company = unit_of("云岭县城市建设投资有限公司")?;
    let mut input = uc::template(CampaignKind::Checklist, &day_offset(&day, -30));
    input.unit_id = company.to_string();
    input.title = "2026年10月职工宿舍卫生安全检查".into();
    input.series = "职工宿舍卫生安全检查".into();
    input.ends_on = day_offset(&day, -29);
    let earlier = uc::create(store, &clock, &office, &input).await?;
    setup::add_targets(store, &clock, &office, earlier.id, ROOMS).await?;
    let team = setup::add_team(
        store,
        &clock,
        &office,
        earlier.id,
        "检查组",
        "jiancha 记录、询问住宿人员\noffice 带队",
    )
    .await?;
    let tops: Vec<i64> = store
        .campaign_targets(earlier.id, None)
        .await?
        .iter()
        .filter(|t| t.parent_id.is_none())
        .map(|t| t.id)
        .collect();
    setup::assign(store, &clock, &office, earlier.id, &tops, Some(team)).await?;
    let rooms = |id| async move {
        Ok::<_, CoreError>(
            store
                .campaign_targets(id, None)
                .await?
                .into_iter()
                .filter(|t| t.level == TargetLevel::Room)
                .map(|t| t.id)
                .collect::<Vec<_>>(),
        )
    };
    for (n, room) in rooms(earlier.id).await?.into_iter().enumerate() {
        let input = room_input(
            &mut rng,
            &format!("demo-earlier-{n:03}"),
            &day_offset(&day, -30 + (n / 12) as i64),
            70,
        );
        work::record_room(store, &clock, &checker, room, &input, Vec::new()).await?;
        records += 1;
    }
    let earlier = uc::set_status(
        store,
        &clock,
        &office,
        earlier.id,
        earlier.version,
        CampaignStatus::Closed,
    )
    .await?;

    let mut next = uc::input_of(&earlier);
    next.title = "2026年11月职工宿舍卫生安全检查".into();
    next.starts_on = day_offset(&day, -1);
    next.ends_on = day_offset(&day, 2);
    let now = uc::create(store, &clock, &office, &next).await?;
    // Day one: building 1, one floor of building 2; the rest is left for
    // the coming days (the off-site building among it).
    let ids = rooms(now.id).await?;
    for (n, room) in ids.iter().take(15).enumerate() {
        let mut input = room_input(
            &mut rng,
            &format!("demo-now-{n:03}"),
            &day_offset(&day, -1 + (n / 12) as i64),
            80,
        );
        if n == 1 {
            input.items.push(ConfiscationInput {
                item: "电饭锅".into(),
                owner: "李明".into(),
                quantity: "1".into(),
                photo: None,
            });
        }
        if n == 7 {
            input.items.push(ConfiscationInput {
                item: "电磁炉".into(),
                owner: "王强".into(),
                quantity: "1".into(),
                photo: None,
            });
            input.other_hazard = "床头私拉电线".into();
        }
        work::record_room(store, &clock, &checker, *room, &input, Vec::new()).await?;
        records += 1;
    }
    let held = store
        .campaign_items(now.id, None, Some(crate::campaign::ItemStatus::Held))
        .await?;
    if let Some(cooker) = held.iter().find(|i| i.item == "电饭锅") {
        let ret = ReturnInput {
            guarantee: "本人保证今后不在宿舍使用电饭锅等违规电器，如再违反，愿接受公司处理。"
                .into(),
            returned_to: "李明".into(),
            version: cooker.version.to_string(),
        };
        work::return_item(store, &clock, &checker, cooker.id, &ret, None).await?;
    }

    // Household visits in 城关镇.
    let county = unit_of("中共云岭县委")?;
    let town = unit_of("城关镇")?;
    let mut input = uc::template(CampaignKind::Visit, &day_offset(&day, -10));
    input.unit_id = county.to_string();
    input.title = "2026年冬季民情大走访".into();
    input.ends_on = day_offset(&day, 50);
    let visits = uc::create(store, &clock, &office, &input).await?;
    setup::add_units(store, &clock, &office, visits.id, &[town]).await?;
    let team = setup::add_team(
        store,
        &clock,
        &office,
        visits.id,
        "城关镇走访一队",
        "zoufang 记录",
    )
    .await?;
    let areas = store.campaign_targets(visits.id, None).await?;
    let town_target = areas
        .iter()
        .find(|t| t.level == TargetLevel::Township)
        .map(|t| t.id)
        .ok_or_else(|| CoreError::Internal(anyhow::anyhow!("demo township missing")))?;
    setup::assign(
        store,
        &clock,
        &office,
        visits.id,
        &[town_target],
        Some(team),
    )
    .await?;
    let villages: Vec<String> = areas
        .iter()
        .filter(|t| t.level == TargetLevel::Village)
        .map(|t| t.name.clone())
        .collect();
    let mut rows = Vec::new();
    for (n, v) in villages.iter().cycle().take(60).enumerate() {
        let surname = super::names::surname(&mut rng);
        let given = super::names::given_name(&mut rng, n % 3 != 0, 1950 + (n as i32 % 40));
        rows.push(RawRow {
            line: n + 2,
            cells: vec![
                "城关镇".into(),
                v.clone(),
                format!("{surname}{given}"),
                format!("{v}{}组{}号", 1 + n % 6, 1 + n),
                (1 + n % 6).to_string(),
                super::names::phone(&mut rng),
            ],
        });
    }
    let table = RawTable {
        headers: [
            "乡镇",
            "村（社区）",
            "户主姓名",
            "家庭住址",
            "家庭人口",
            "联系电话",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows,
    };
    setup::import_households(store, &clock, &office, visits.id, &table).await?;
    let households = store.find_households(visits.id, None, None, "", 25).await?;
    let questions = visits.spec.questions.len();
    for (n, h) in households.iter().take(20).enumerate() {
        let mut input = VisitInput {
            client_key: format!("demo-visit-{n:03}"),
            day: day_offset(&day, -9 + (n / 3) as i64),
            met: "户主本人".into(),
            ..Default::default()
        };
        for q in 0..questions {
            input.answers.insert(q, "无".into());
        }
        input.answers.insert(2, "住房安全".into());
        let demand = match n {
            2 => Some((
                "基础设施",
                "组内道路破损，雨天出行困难，希望修缮。",
                "城关镇人民政府",
            )),
            5 => Some((
                "社会保障",
                "老人腿脚不便，希望了解居家养老服务补贴申请办法。",
                "云岭县民政局",
            )),
            11 => Some(("医疗卫生", "村卫生室缺少常用降压药。", "云岭县卫生健康局")),
            _ => None,
        };
        if let Some((category, content, department)) = demand {
            input.answers.insert(questions - 1, content.into());
            input.demands.push(DemandInput {
                category: category.into(),
                content: content.into(),
                department: department.into(),
            });
        }
        work::record_visit(store, &clock, &cadre, h.id, &input, Vec::new()).await?;
        records += 1;
    }
    Ok(CampaignsSummary {
        campaigns: 3,
        records,
    })
}

/// A room rated around `base` percent, with every checklist item answered.
fn room_input(rng: &mut Rng, key: &str, day: &str, base: i32) -> RoomRecordInput {
    let mut input = RoomRecordInput {
        client_key: key.into(),
        day: day.into(),
        present: format!("住宿人员{}人", rng.range(2, 4)),
        ..Default::default()
    };
    // The template: five items of 20 points, two pass/fail, two hazards.
    for i in 0..5 {
        let pts = (base + rng.range(-25, 20)).clamp(0, 100) / 5;
        input.marks.insert(i, pts.to_string());
    }
    input
        .marks
        .insert(5, if rng.chance(85) { "1" } else { "0" }.into());
    input.marks.insert(6, "1".into());
    input
        .marks
        .insert(7, if rng.chance(90) { "1" } else { "0" }.into());
    input.marks.insert(8, "1".into());
    input
}
