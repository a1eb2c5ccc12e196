//! The demo county's two 巡察 rounds, written through the round use cases
//! (`usecases::rounds::{plan, work, outcome}`), never by raw store writes, so
//! the demo obeys the same rules as its users: recusal on assignment, the
//! sign-off chain of working papers, the 领导小组's return of a report,
//! feedback before rectification, deadlines inside 集中整改.
//!
//! * Round 1, 第十五届第一轮常规巡察 (2026-03-02 – 2026-05-15, finished):
//!   青石镇 by 第一巡察组 (the team users `zuzhang`, `fuzuzhang`, `zuyuan` and
//!   two more inspectors, one a former colleague of a 青石镇 leader, allowed
//!   with a recorded reason) and 云岭县农业农村局 by 第二巡察组 (whose 组长,
//!   副组长 and one 组员 get accounts of their own: `zuzhang2`, `fuzuzhang2`,
//!   `zuyuan2`). Briefings, fieldwork over nine methods, approved working
//!   papers (one left returned), clues, the 青石镇 report returned once and
//!   then approved, feedback, transfers to the 纪委监委 (disposals reported),
//!   the 组织部 (received) and the 财政局 (waiting to be signed for),
//!   rectification items in every state (some overdue), ratings and
//!   accountability.
//! * Round 2, 第十五届第二轮专项巡察 (from 2026-10-12, active): 云岭县乡村振兴局
//!   and 云岭县民政局 by 第一巡察组 (the three team users and one more), with
//!   working papers in every sign-off state and one clue; 城关镇 by
//!   第二巡察组, without `zuyuan` (the spouse of 城关镇's 党委书记), who
//!   declares the conflict and so cannot open that unit.

use anyhow::anyhow;

use super::DemoCounty;
use crate::auth::{Actor, Role, User};
use crate::clock::{Clock, ManualClock};
use crate::error::CoreError;
use crate::inspection::fieldwork::FieldworkInput;
use crate::inspection::paper::{PaperInput, PaperStep};
use crate::inspection::prepare::BriefingInput;
use crate::inspection::record::Rec;
use crate::inspection::rectification::RectItemInput;
use crate::inspection::report::{FeedbackInput, Report, ReportKind};
use crate::inspection::{RecusalDecision, RoundInput, RoundStatus, Target, TeamRole};
use crate::registry::PostRank;
use crate::store::{AuditMeta, InspectorLink, NewUser, Store};
use crate::usecases::auth::actor_for;
use crate::usecases::rounds::{outcome, plan, work};

use TeamRole::{Deputy, Leader, Member};

/// What [`super::load`] created that the rounds refer to.
pub(super) struct Loaded<'a> {
    /// The generated county.
    pub(super) county: &'a DemoCounty,
    /// Stored unit ids, parallel to `county.units`.
    pub(super) unit_ids: &'a [i64],
    /// Stored inspector ids, parallel to `county.inspectors`.
    pub(super) inspector_ids: &'a [i64],
    /// Stored users, parallel to `county.users` (team users already linked).
    pub(super) users: &'a [User],
    /// The demo password's hash, for the second team's accounts.
    pub(super) password_hash: &'a str,
    /// The system actor's audit metadata (for the accounts only).
    pub(super) meta: &'a AuditMeta,
}

/// What [`load_rounds`] wrote.
#[derive(Debug, Clone, Default)]
pub(super) struct RoundsSummary {
    /// Rounds created.
    pub(super) rounds: usize,
    /// Records of the rounds' work (briefings, fieldwork, papers, clues,
    /// reports, feedback, transfers, rectification items, accountability).
    pub(super) records: usize,
    /// Accounts created for the inspectors of round 1's 第二巡察组.
    pub(super) accounts: Vec<User>,
}

/// 第一巡察组 of round 1 (青石镇): inspector indices into the pool and roles.
/// 3, 12 and 0 are the users `zuzhang`, `fuzuzhang` and `zuyuan`; 23 once
/// worked beside a 青石镇 leader (a soft conflict, decided); 30 has none.
const R1_TEAM1: [(usize, TeamRole); 5] = [
    (3, Leader),
    (12, Deputy),
    (0, Member),
    (23, Member),
    (30, Member),
];
/// 第二巡察组 of round 1 (云岭县农业农村局); the first three get accounts.
const R1_TEAM2: [(usize, TeamRole); 4] = [(4, Leader), (14, Deputy), (21, Member), (27, Member)];
/// Logins of round 1's 第二巡察组, parallel to the first three of [`R1_TEAM2`].
const R1_TEAM2_ACCOUNTS: [(&str, Role, &str); 3] = [
    ("zuzhang2", Role::TeamLeader, "巡察组组长"),
    ("fuzuzhang2", Role::TeamDeputy, "巡察组副组长"),
    ("zuyuan2", Role::TeamMember, "巡察组组员"),
];
/// 第一巡察组 of round 2 (乡村振兴局, 民政局): the three team users and one more.
const R2_TEAM1: [(usize, TeamRole); 4] = [(3, Leader), (12, Deputy), (0, Member), (35, Member)];
/// 第二巡察组 of round 2 (城关镇): no member related to its leadership.
const R2_TEAM2: [(usize, TeamRole); 4] = [(6, Leader), (17, Deputy), (25, Member), (39, Member)];
/// An inspector who grew up in 青石镇 (the home-area rule; on no team there).
const HOME_AREA_INSPECTOR: usize = 20;

const QINGSHI: &str = "青石镇";
const AGRICULTURE: &str = "云岭县农业农村局";
const REVITALISATION: &str = "云岭县乡村振兴局";
const CIVIL_AFFAIRS: &str = "云岭县民政局";
const CHENGGUAN: &str = "城关镇";
const FINANCE: &str = "云岭县财政局";

/// Why the office allowed a former colleague on the team.
const ALLOW_REASON: &str =
    "共事关系已结束多年，现无工作隶属关系和其他利害关系，经巡察办研究不需回避";

/// Writes the two rounds as of `at` (ms), the time the county was loaded.
pub(super) async fn load_rounds(
    store: &dyn Store,
    ids: &Loaded<'_>,
    at: i64,
) -> Result<RoundsSummary, CoreError> {
    let mut d = Demo {
        store,
        clock: ManualClock::new(at),
        ids,
        accounts: Vec::new(),
    };
    d.second_team_accounts().await?;
    let office = d.actor("office").await?;
    // The home-area rule: recorded on the inspector, found by the engine.
    let (home_inspector, _) = d.inspector(HOME_AREA_INSPECTOR)?;
    let (qingshi, _) = d.unit(QINGSHI)?;
    plan::link_inspector(
        store,
        d.clock(),
        &office,
        &InspectorLink {
            inspector_id: home_inspector,
            user_id: None,
            home_region_code: ids.county.units[qingshi].region_code.clone(),
        },
    )
    .await?;

    let first = round_one(&d, &office).await?;
    let second = round_two(&d, &office).await?;
    let mut records = 0;
    for round in [first, second] {
        records += store.records_of_round(round).await?.len();
    }
    Ok(RoundsSummary {
        rounds: 2,
        records,
        accounts: d.accounts,
    })
}

/// The state the steps share.
struct Demo<'a> {
    store: &'a dyn Store,
    clock: ManualClock,
    ids: &'a Loaded<'a>,
    /// Accounts created here (round 1's 第二巡察组).
    accounts: Vec<User>,
}

/// A unit's leadership as (name, title), by rank, in the registry's order.
struct Leaders {
    principal: (String, String),
    deputies: Vec<(String, String)>,
    members: Vec<(String, String)>,
}

impl Leaders {
    /// The first deputy (the principal when there is none).
    fn deputy(&self) -> &(String, String) {
        self.deputies.first().unwrap_or(&self.principal)
    }

    /// A leader other than the principal and the first deputy, if any.
    fn other(&self) -> &(String, String) {
        self.members
            .first()
            .or_else(|| self.deputies.get(1))
            .unwrap_or_else(|| self.deputy())
    }

    /// Yet another leader (the second member, else a further deputy).
    fn third(&self) -> &(String, String) {
        self.members
            .get(1)
            .or_else(|| self.deputies.get(2))
            .unwrap_or_else(|| self.other())
    }
}

/// The actors of a team that has accounts, and every member's name.
struct TeamActors {
    leader: Actor,
    deputy: Actor,
    member: Actor,
    /// Names of the members, in the order of the team's constant.
    names: Vec<String>,
}

impl TeamActors {
    /// Two participants by their position in the team.
    fn two(&self, a: usize, b: usize) -> String {
        format!("{}、{}", self.name(a), self.name(b))
    }

    fn name(&self, i: usize) -> &str {
        self.names.get(i).map_or("", String::as_str)
    }
}

fn missing(what: &str, name: &str) -> CoreError {
    CoreError::Internal(anyhow!("the demo has no {what} {name}"))
}

impl Demo<'_> {
    fn clock(&self) -> &dyn Clock {
        &self.clock
    }

    fn user(&self, username: &str) -> Result<&User, CoreError> {
        self.ids
            .users
            .iter()
            .chain(&self.accounts)
            .find(|u| u.username == username)
            .ok_or_else(|| missing("user", username))
    }

    /// The actor of a login, with its current assignments and recusals.
    async fn actor(&self, username: &str) -> Result<Actor, CoreError> {
        actor_for(self.store, self.user(username)?).await
    }

    /// The index and stored id of a unit.
    fn unit(&self, name: &str) -> Result<(usize, i64), CoreError> {
        let i = self
            .ids
            .county
            .unit_index(name)
            .ok_or_else(|| missing("unit", name))?;
        Ok((i, self.ids.unit_ids[i]))
    }

    /// The stored id and name of an inspector of the pool.
    fn inspector(&self, i: usize) -> Result<(i64, String), CoreError> {
        let county = self.ids.county;
        let insp = county
            .inspectors
            .get(i)
            .ok_or_else(|| missing("inspector", &i.to_string()))?;
        Ok((
            self.ids.inspector_ids[i],
            county.persons[insp.person].name.clone(),
        ))
    }

    fn leaders(&self, unit: usize) -> Result<Leaders, CoreError> {
        let county = self.ids.county;
        let of = |rank: PostRank| -> Vec<(String, String)> {
            county
                .posts
                .iter()
                .filter(|p| p.unit == unit && p.rank == rank)
                .map(|p| (county.persons[p.person].name.clone(), p.title.clone()))
                .collect()
        };
        let principal = of(PostRank::Principal)
            .into_iter()
            .next()
            .ok_or_else(|| missing("principal of", &county.units[unit].name))?;
        Ok(Leaders {
            principal,
            deputies: of(PostRank::Deputy),
            members: of(PostRank::Member),
        })
    }

    /// Accounts for the 组长, 副组长 and one 组员 of round 1's 第二巡察组, so
    /// that team can sign its own working papers.
    async fn second_team_accounts(&mut self) -> Result<(), CoreError> {
        let root = self.ids.unit_ids[0];
        for ((i, _), (username, role, label)) in R1_TEAM2.iter().zip(R1_TEAM2_ACCOUNTS) {
            let (inspector_id, name) = self.inspector(*i)?;
            let user = self
                .store
                .create_user(
                    &NewUser {
                        username: username.to_owned(),
                        display_name: format!("{label} {name}"),
                        role,
                        unit_id: Some(root),
                        password_hash: self.ids.password_hash.to_owned(),
                    },
                    self.ids.meta,
                )
                .await?;
            self.store
                .link_inspector(
                    &InspectorLink {
                        inspector_id,
                        user_id: Some(user.id),
                        home_region_code: None,
                    },
                    self.ids.meta,
                )
                .await?;
            self.accounts.push(user);
        }
        Ok(())
    }

    /// Creates a team and adds its members (checked when it is assigned).
    async fn team(
        &self,
        office: &Actor,
        round_id: i64,
        name: &str,
        members: &[(usize, TeamRole)],
    ) -> Result<i64, CoreError> {
        let team = plan::create_team(self.store, self.clock(), office, round_id, name).await?;
        for (i, role) in members {
            let (inspector_id, _) = self.inspector(*i)?;
            plan::add_member(
                self.store,
                self.clock(),
                office,
                team.id,
                inspector_id,
                *role,
            )
            .await?;
        }
        Ok(team.id)
    }

    /// Decides every soft conflict the assignments found: allowed, with a reason.
    async fn decide_pending(&self, office: &Actor, round_id: i64) -> Result<(), CoreError> {
        let view = plan::view_round(self.store, office, round_id).await?;
        for r in view
            .recusals
            .iter()
            .filter(|r| r.decision == RecusalDecision::Pending)
        {
            plan::decide_recusal(
                self.store,
                self.clock(),
                office,
                round_id,
                r.id,
                RecusalDecision::Allowed,
                ALLOW_REASON,
            )
            .await?;
        }
        Ok(())
    }

    /// Every member of a team signs the recusal statement (and the
    /// confidentiality pledge when `pledge`): members with an account sign
    /// themselves, the office records the others' paper signatures.
    async fn sign_team(
        &self,
        office: &Actor,
        round_id: i64,
        team_id: i64,
        pledge: bool,
    ) -> Result<(), CoreError> {
        let view = plan::view_round(self.store, office, round_id).await?;
        for m in view.members.iter().filter(|m| m.team_id == team_id) {
            let own = self
                .ids
                .users
                .iter()
                .chain(&self.accounts)
                .find(|u| Some(u.id) == m.user_id);
            let actor = match own {
                Some(u) => actor_for(self.store, u).await?,
                None => office.clone(),
            };
            plan::sign(self.store, self.clock(), &actor, round_id, m.id, true).await?;
            if pledge {
                plan::sign(self.store, self.clock(), &actor, round_id, m.id, false).await?;
            }
        }
        Ok(())
    }

    /// The team's actors, built after its assignment (actors load it).
    async fn team_actors(
        &self,
        logins: [&str; 3],
        members: &[(usize, TeamRole)],
    ) -> Result<TeamActors, CoreError> {
        let names = members
            .iter()
            .map(|(i, _)| self.inspector(*i).map(|(_, n)| n))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(TeamActors {
            leader: self.actor(logins[0]).await?,
            deputy: self.actor(logins[1]).await?,
            member: self.actor(logins[2]).await?,
            names,
        })
    }

    async fn briefing(
        &self,
        actor: &Actor,
        target_id: i64,
        source: &str,
        dates: (&str, &str),
        content: &str,
    ) -> Result<(), CoreError> {
        let input = BriefingInput {
            source: source.to_owned(),
            requested: dates.0.to_owned(),
            received: dates.1.to_owned(),
            content: content.to_owned(),
        };
        work::add_briefing(self.store, self.clock(), actor, target_id, &input).await?;
        Ok(())
    }

    async fn fieldwork(
        &self,
        actor: &Actor,
        target_id: i64,
        input: FieldworkInput,
    ) -> Result<i64, CoreError> {
        let (id, _warnings) =
            work::add_fieldwork(self.store, self.clock(), actor, target_id, &input).await?;
        Ok(id)
    }

    async fn paper(&self, actor: &Actor, target_id: i64, p: &Paper<'_>) -> Result<i64, CoreError> {
        let input = PaperInput {
            category: p.category.to_owned(),
            source: p.source.to_owned(),
            summary: p.summary.to_owned(),
            facts: p.facts.clone(),
            basis: p.basis.to_owned(),
        };
        work::create_paper(self.store, self.clock(), actor, target_id, &input).await
    }

    async fn step(&self, actor: &Actor, paper: i64, step: PaperStep) -> Result<(), CoreError> {
        work::paper_step(self.store, self.clock(), actor, paper, step).await
    }

    /// The whole chain: two handlers sign, the 副组长 reviews, the 组长 approves.
    async fn approve(
        &self,
        paper: i64,
        handlers: [&Actor; 2],
        team: &TeamActors,
    ) -> Result<(), CoreError> {
        for h in handlers {
            self.step(h, paper, PaperStep::Sign).await?;
        }
        self.step(&team.deputy, paper, PaperStep::Review).await?;
        self.step(&team.leader, paper, PaperStep::Approve).await
    }

    async fn clue(
        &self,
        actor: &Actor,
        target_id: i64,
        input: work::ClueInput,
    ) -> Result<i64, CoreError> {
        work::create_clue(self.store, self.clock(), actor, target_id, &input).await
    }

    /// Transfers a clue or paper; `receiver` empty takes the proposal.
    async fn transfer(
        &self,
        actor: &Actor,
        record_id: i64,
        receiver: &str,
        receiver_unit_id: Option<i64>,
        change_reason: &str,
    ) -> Result<i64, CoreError> {
        let input = outcome::TransferInput {
            record_id,
            receiver: receiver.to_owned(),
            receiver_unit_id,
            change_reason: change_reason.to_owned(),
        };
        outcome::transfer(self.store, self.clock(), actor, &input).await
    }

    async fn rect_item(
        &self,
        actor: &Actor,
        target_id: i64,
        paper_id: Option<i64>,
        item: [&str; 5],
    ) -> Result<i64, CoreError> {
        let [problem, measures, responsible, kind, deadline] = item;
        let input = RectItemInput {
            problem: problem.to_owned(),
            measures: measures.to_owned(),
            responsible: responsible.to_owned(),
            kind: kind.to_owned(),
            deadline: deadline.to_owned(),
        };
        outcome::add_rect_item(self.store, self.clock(), actor, target_id, paper_id, &input).await
    }

    async fn progress(
        &self,
        actor: &Actor,
        item: i64,
        note: &str,
        done: bool,
    ) -> Result<(), CoreError> {
        outcome::report_progress(
            self.store,
            self.clock(),
            actor,
            item,
            note,
            Vec::new(),
            done,
        )
        .await
    }

    async fn verify(
        &self,
        actor: &Actor,
        item: i64,
        accept: bool,
        reason: &str,
    ) -> Result<(), CoreError> {
        outcome::verify_item(self.store, self.clock(), actor, item, accept, reason).await
    }

    async fn account(
        &self,
        actor: &Actor,
        target_id: i64,
        input: outcome::AccountabilityInput,
    ) -> Result<(), CoreError> {
        outcome::add_accountability(self.store, self.clock(), actor, target_id, &input).await?;
        Ok(())
    }
}

/// A working paper's content.
struct Paper<'a> {
    category: &'a str,
    source: &'a str,
    summary: &'a str,
    facts: String,
    basis: &'a str,
}

/// A fieldwork form: method, day, participants, notes.
fn fw(method: &str, date: &str, participants: &str, notes: &str) -> FieldworkInput {
    FieldworkInput {
        method: method.to_owned(),
        date: date.to_owned(),
        participants: participants.to_owned(),
        notes: notes.to_owned(),
        ..FieldworkInput::default()
    }
}

/// A talk with a leader of the unit.
fn talk(date: &str, participants: &str, with: &str, notes: &str) -> FieldworkInput {
    FieldworkInput {
        talked_name: with.to_owned(),
        ..fw("talk", date, participants, notes)
    }
}

/// Petitions received on site.
fn petitions(date: &str, participants: &str, count: i64, domain: &str) -> FieldworkInput {
    FieldworkInput {
        petition_count: count.to_string(),
        petition_domain: domain.to_owned(),
        ..fw(
            "petition",
            date,
            participants,
            &format!("巡察组驻点期间受理群众来信来访{count}件，主要反映{domain}方面问题"),
        )
    }
}

fn accountability(
    action: &str,
    person: &(String, String),
    paper_id: Option<i64>,
    date: &str,
    note: &str,
) -> outcome::AccountabilityInput {
    outcome::AccountabilityInput {
        action: action.to_owned(),
        person_name: person.0.clone(),
        position: person.1.clone(),
        paper_id,
        date: date.to_owned(),
        note: note.to_owned(),
    }
}

/// Round 1: planned, worked, reported, fed back, transferred, rectified,
/// rated and finished.
async fn round_one(d: &Demo<'_>, office: &Actor) -> Result<i64, CoreError> {
    let (s, c) = (d.store, d.clock());
    let round = plan::create_round(
        s,
        c,
        office,
        &RoundInput {
            term: "15".into(),
            number: "1".into(),
            kind: "regular".into(),
            title: "第十五届第一轮常规巡察".into(),
            start_date: "2026-03-02".into(),
            end_date: "2026-05-15".into(),
        },
    )
    .await?;
    let (qingshi, qingshi_id) = d.unit(QINGSHI)?;
    let (agriculture, agriculture_id) = d.unit(AGRICULTURE)?;
    let tq = plan::add_target(s, c, office, round.id, qingshi_id).await?;
    let ta = plan::add_target(s, c, office, round.id, agriculture_id).await?;
    let team1 = d.team(office, round.id, "第一巡察组", &R1_TEAM1).await?;
    let team2 = d.team(office, round.id, "第二巡察组", &R1_TEAM2).await?;
    plan::assign_team(s, c, office, tq.id, Some(team1)).await?;
    plan::assign_team(s, c, office, ta.id, Some(team2)).await?;
    d.decide_pending(office, round.id).await?;
    d.sign_team(office, round.id, team1, true).await?;
    d.sign_team(office, round.id, team2, true).await?;
    plan::set_status(s, c, office, round.id, RoundStatus::Active).await?;

    let t1 = d
        .team_actors(["zuzhang", "fuzuzhang", "zuyuan"], &R1_TEAM1)
        .await?;
    let t2 = d
        .team_actors(["zuzhang2", "fuzuzhang2", "zuyuan2"], &R1_TEAM2)
        .await?;
    qingshi_round_one(d, office, &t1, &tq, qingshi).await?;
    agriculture_round_one(d, office, &t2, &ta, agriculture).await?;
    plan::set_status(s, c, office, round.id, RoundStatus::Finished).await?;
    Ok(round.id)
}

/// 青石镇 in round 1, by 第一巡察组.
async fn qingshi_round_one(
    d: &Demo<'_>,
    office: &Actor,
    t: &TeamActors,
    target: &Target,
    unit: usize,
) -> Result<(), CoreError> {
    let (s, c) = (d.store, d.clock());
    let tid = target.id;
    let l = d.leaders(unit)?;
    let (principal, deputy, other, third) = (&l.principal, l.deputy(), l.other(), l.third());
    let member = &t.member;

    // Preparation: what the departments that know the town said.
    let asked = ("2026-02-20", "2026-02-26");
    d.briefing(member, tid, "discipline", asked,
        "近三年受理涉及青石镇的信访举报23件，处置问题线索6件，给予党纪政务处分3人，主要集中在低保、工程项目领域。").await?;
    d.briefing(member, tid, "petition", asked,
        "近两年群众信访41件次，反映低保评定不公、征地补偿款发放不及时问题较为突出，柳湾村重复信访3件。").await?;
    d.briefing(member, tid, "audit", asked,
        "2024年经济责任审计指出：违规发放津补贴、工程项目未招标即开工、村级债务底数不清等问题，部分尚未整改到位。").await?;

    // Fieldwork over the statutory methods.
    let all = t.names.join("、");
    d.fieldwork(
        member,
        tid,
        FieldworkInput {
            place: "镇党委会议室".into(),
            ..fw(
                "hearing",
                "2026-03-03",
                &all,
                "听取镇党委关于落实全面从严治党主体责任和巡察整改情况的工作汇报",
            )
        },
    )
    .await?;
    d.fieldwork(
        member,
        tid,
        talk(
            "2026-03-05",
            &t.two(0, 2),
            &principal.0,
            "了解镇党委班子运行、落实“三重一大”决策制度和主体责任情况",
        ),
    )
    .await?;
    d.fieldwork(
        member,
        tid,
        talk(
            "2026-03-06",
            &t.two(1, 2),
            &deputy.0,
            "了解政府工作、工程项目管理和财务审批情况",
        ),
    )
    .await?;
    // By one person: kept, with the two-person warning.
    d.fieldwork(
        member,
        tid,
        talk(
            "2026-03-09",
            t.name(2),
            &other.0,
            "了解分管工作情况（一人谈话，事后补记）",
        ),
    )
    .await?;
    d.fieldwork(
        member,
        tid,
        petitions("2026-03-10", &t.two(2, 3), 9, "低保"),
    )
    .await?;
    d.fieldwork(
        member,
        tid,
        petitions("2026-03-12", &t.two(2, 4), 4, "扶贫"),
    )
    .await?;
    d.fieldwork(
        member,
        tid,
        FieldworkInput {
            place: "柳湾村村委会".into(),
            ..fw(
                "forum",
                "2026-03-13",
                &t.two(1, 3),
                "召开村党支部书记、村民代表座谈会，群众反映低保评定程序不公开、村干部优亲厚友",
            )
        },
    )
    .await?;
    d.fieldwork(
        member,
        tid,
        fw(
            "files",
            "2026-03-16",
            &t.two(3, 4),
            "调阅2023—2025年党委会议记录、财务凭证和工程项目档案共126卷，已登记并于3月30日归还",
        ),
    )
    .await?;
    let undercover = d
        .fieldwork(
            member,
            tid,
            FieldworkInput {
                place: "石桥村、柳湾村".into(),
                undercover: Some("on".into()),
                ..fw(
                    "visit-down",
                    "2026-03-18",
                    &t.two(2, 4),
                    "暗访低保户和村级工程现场，核实群众反映的问题",
                )
            },
        )
        .await?;
    work::approve_undercover(s, c, &t.leader, undercover).await?;
    d.fieldwork(
        member,
        tid,
        fw(
            "personal-report",
            "2026-03-20",
            &t.two(0, 1),
            &format!(
                "抽查核实{}个人有关事项报告，房产、投资情况与报告一致",
                deputy.0
            ),
        ),
    )
    .await?;

    // Working papers: two handlers, the 副组长 reviews, the 组长 approves.
    let facts = |text: &str| text.to_owned();
    let dibao = d.paper(member, tid, &Paper {
        category: "三个聚焦/群众身边腐败问题和不正之风",
        source: "petition",
        summary: "低保对象认定把关不严，存在优亲厚友问题",
        facts: facts("2024年以来，柳湾村、石桥村将12户不符合条件的村干部亲属纳入低保，涉及资金15.8万元；民主评议和公示流于形式。"),
        basis: "《社会救助暂行办法》第十一条；《最低生活保障审核确认办法》",
    }).await?;
    d.approve(dibao, [member, &t.deputy], t).await?;
    let subsidy = d.paper(member, tid, &Paper {
        category: "六项纪律/廉洁纪律",
        source: "files",
        summary: "违规发放津补贴",
        facts: facts("2024年至2025年，镇党委以“加班补助”“考核奖励”名义向镇机关干部发放津补贴8.6万元，无文件依据。"),
        basis: "《中国共产党纪律处分条例》第一百零一条",
    }).await?;
    d.approve(subsidy, [member, &t.leader], t).await?;
    let farmland = d.paper(member, tid, &Paper {
        category: "四个落实/落实党的路线方针政策和党中央决策部署",
        source: "visit",
        summary: "耕地保护责任落实不到位，存在耕地“非农化”",
        facts: facts("暗访发现枫林村、柳湾村有37亩基本农田被用于建设养殖场和堆放建材，镇党委未及时制止、报告。"),
        basis: "《中华人民共和国土地管理法》第三十七条；耕地保护党政同责有关规定",
    }).await?;
    d.approve(farmland, [member, &t.deputy], t).await?;
    let organisation = d.paper(member, tid, &Paper {
        category: "四个落实/落实新时代党的组织路线",
        source: "files",
        summary: "发展党员程序不规范，村级后备干部培养不足",
        facts: facts(&format!("2023年以来发展的9名党员中，4名缺少入党积极分子考察记录；分管组织工作的{}对此负有责任。", other.0)),
        basis: "《中国共产党发展党员工作细则》",
    }).await?;
    d.approve(organisation, [member, &t.deputy], t).await?;
    let weak = d
        .paper(
            member,
            tid,
            &Paper {
                category: "三个聚焦/基层党组织软弱涣散、组织力欠缺",
                source: "forum",
                summary: "个别村党支部组织生活不正常",
                facts: facts(
                    "柳湾村党支部2025年仅召开支部党员大会2次，“三会一课”记录补记、代签现象突出。",
                ),
                basis: "《中国共产党支部工作条例（试行）》第十九条",
            },
        )
        .await?;
    d.approve(weak, [member, &t.leader], t).await?;
    // Returned by the 副组长 with a reason, and left returned.
    let tender = d
        .paper(
            member,
            tid,
            &Paper {
                category: "六项纪律/工作纪律",
                source: "files",
                summary: "镇村工程项目招投标程序不规范",
                facts: facts("2024年石桥村道路硬化等3个项目未经招标即开工。"),
                basis: "《中华人民共和国招标投标法》",
            },
        )
        .await?;
    d.step(member, tender, PaperStep::Sign).await?;
    d.step(&t.leader, tender, PaperStep::Sign).await?;
    d.step(
        &t.deputy,
        tender,
        PaperStep::Return(
            "事实不清：缺少招标文件、施工合同和付款凭证，请补充调阅后重新签署".into(),
        ),
    )
    .await?;

    // Clues about the town's leaders.
    let clue_case = d.clue(member, tid, work::ClueInput {
        title: format!("{}涉嫌在村级工程项目中收受好处费", deputy.0),
        summary: "群众反映并经调阅凭证印证：2024年石桥村道路硬化等项目由其亲属实际承揽，工程款支付异常。".into(),
        grade: "further".into(),
        persons: format!("{} {}\n张某 工程承包人", deputy.0, deputy.1),
        paper_id: None,
    }).await?;
    let clue_talk = d
        .clue(
            member,
            tid,
            work::ClueInput {
                title: format!("{}在发展党员工作中把关不严", other.0),
                summary: "发展党员程序不规范，涉嫌为亲属入党提供便利。".into(),
                grade: "attention".into(),
                persons: format!("{} {}", other.0, other.1),
                paper_id: Some(organisation),
            },
        )
        .await?;

    // The report: returned once by the 领导小组 (fieldwork reopens), then approved.
    let leader_group = d.actor("leader").await?;
    let report = outcome::compose_report(s, c, &t.leader, tid, ReportKind::Final).await?;
    outcome::submit_report(s, c, &t.leader, report).await?;
    outcome::decide_report(
        s,
        c,
        &leader_group,
        report,
        false,
        "对低保、扶贫领域问题背后的责任挖掘不深，请补充了解镇党委履行主体责任情况后重新报送",
    )
    .await?;
    d.fieldwork(member, tid, fw("inquiry", "2026-04-28", &t.two(0, 2),
        "“二次深挖”：向镇民政办工作人员和村民小组长询问低保评定过程，核实镇党委研究低保工作的会议记录")).await?;
    let body = Rec::<Report>::decode(work::get_record(s, &t.leader, report).await?)?
        .data
        .body;
    let body = format!(
        "{body}\n补充了解情况：镇党委近三年未专题研究低保工作，对村级评议把关不严负有主体责任，{}作为第一责任人履职不力。\n",
        principal.0
    );
    outcome::edit_report(s, c, &t.leader, report, &body).await?;
    outcome::submit_report(s, c, &t.leader, report).await?;
    outcome::decide_report(s, c, &leader_group, report, true, "").await?;

    // Feedback: to the principal first, then the leadership team.
    outcome::give_feedback(s, c, &t.leader, tid, &FeedbackInput {
        opinion: "县委第一巡察组反馈意见：青石镇党委落实全面从严治党主体责任不到位，群众身边腐败问题和不正之风依然存在，基层党组织建设有短板。请对照问题清单逐项整改，3个月内报送整改情况。".into(),
        principal_date: "2026-05-20".into(),
        team_date: "2026-05-21".into(),
        receipt_by: principal.0.clone(),
        receipt_date: "2026-05-21".into(),
    }).await?;

    // Transfers: both clues to the 纪委监委, who report back; the
    // organisation paper to the 组织部, who has signed for it.
    let case = d.transfer(&t.leader, clue_case, "", None, "").await?;
    let talk_inquiry = d.transfer(&t.leader, clue_talk, "", None, "").await?;
    let to_org = d.transfer(&t.leader, organisation, "", None, "").await?;
    let jiwei = d.actor("jiwei").await?;
    outcome::receive_transfer(s, c, &jiwei, case).await?;
    outcome::report_transfer(
        s,
        c,
        &jiwei,
        case,
        "case-filed",
        "fourth",
        &format!(
            "经初步核实，县纪委监委已对{}涉嫌严重违纪违法问题立案审查调查。",
            deputy.0
        ),
    )
    .await?;
    outcome::receive_transfer(s, c, &jiwei, talk_inquiry).await?;
    outcome::report_transfer(
        s,
        c,
        &jiwei,
        talk_inquiry,
        "talk-inquiry",
        "first",
        &format!("已对{}进行谈话函询，本人作出说明，予以批评教育。", other.0),
    )
    .await?;
    let zuzhibu = d.actor("zuzhibu").await?;
    outcome::receive_transfer(s, c, &zuzhibu, to_org).await?;

    // Rectification by the town's own account; the team verifies.
    let town = d.actor("beixuncha").await?;
    let i_dibao = d
        .rect_item(
            &town,
            tid,
            Some(dibao),
            [
                "低保对象认定把关不严",
                "全面复核低保对象，清退不符合条件对象并追回资金",
                &principal.0,
                "deadline",
                "2026-07-31",
            ],
        )
        .await?;
    d.progress(
        &town,
        i_dibao,
        "已完成全镇低保对象入户复核，清退12户",
        false,
    )
    .await?;
    d.progress(
        &town,
        i_dibao,
        "追回资金15.8万元，建立低保评议公示台账",
        true,
    )
    .await?;
    d.verify(&t.leader, i_dibao, true, "").await?;
    let i_subsidy = d
        .rect_item(
            &town,
            tid,
            Some(subsidy),
            [
                "违规发放津补贴",
                "全部清退违规发放的津补贴",
                &deputy.0,
                "immediate",
                "2026-06-30",
            ],
        )
        .await?;
    d.progress(&town, i_subsidy, "已全部清退8.6万元，缴回财政", true)
        .await?;
    d.verify(&t.leader, i_subsidy, true, "").await?;
    let i_farmland = d
        .rect_item(
            &town,
            tid,
            Some(farmland),
            [
                "耕地“非农化”",
                "拆除违建、复耕复绿，建立耕地保护网格巡查制度",
                &principal.0,
                "deadline",
                "2026-08-20",
            ],
        )
        .await?;
    d.progress(&town, i_farmland, "已拆除违建养殖场2处，复耕20亩", true)
        .await?;
    d.verify(
        &t.leader,
        i_farmland,
        false,
        "复耕佐证材料不全，缺少现场照片和农业部门验收记录",
    )
    .await?;
    let i_org = d
        .rect_item(
            &town,
            tid,
            Some(organisation),
            [
                "发展党员程序不规范",
                "逐一倒查发展党员档案，补齐考察材料，对责任人批评教育",
                &other.0,
                "deadline",
                "2026-08-15",
            ],
        )
        .await?;
    d.progress(&town, i_org, "已倒查档案9份，补齐考察记录2份", false)
        .await?;
    let i_weak = d
        .rect_item(
            &town,
            tid,
            Some(weak),
            [
                "村党支部组织生活不正常",
                "整顿软弱涣散村党支部，建立“三会一课”督查机制",
                &third.0,
                "long-term",
                "2027-06-30",
            ],
        )
        .await?;
    d.progress(&town, i_weak, "已选派第一书记驻村，完成支部换届", false)
        .await?;

    // Evaluation: rated 一般 (proposed for a 回头看), and accountability.
    outcome::rate(s, c, office, tid, "average").await?;
    d.account(
        office,
        tid,
        accountability(
            "talk-principal",
            principal,
            Some(dibao),
            "2026-09-08",
            "县委书记约谈镇党委书记，督促落实整改主体责任",
        ),
    )
    .await?;
    d.account(
        office,
        tid,
        outcome::AccountabilityInput {
            action: "criticise".into(),
            paper_id: Some(subsidy),
            date: "2026-09-15".into(),
            note: "违规发放津补贴，对青石镇党委在全县通报批评".into(),
            ..outcome::AccountabilityInput::default()
        },
    )
    .await?;
    d.account(
        office,
        tid,
        accountability(
            "removal",
            deputy,
            None,
            "2026-07-20",
            "因涉嫌严重违纪违法被立案审查调查，免去其现任职务",
        ),
    )
    .await?;
    d.account(
        office,
        tid,
        accountability(
            "admonish",
            other,
            Some(organisation),
            "2026-08-05",
            "发展党员把关不严，予以诫勉",
        ),
    )
    .await?;
    Ok(())
}

/// 云岭县农业农村局 in round 1, by 第二巡察组.
async fn agriculture_round_one(
    d: &Demo<'_>,
    office: &Actor,
    t: &TeamActors,
    target: &Target,
    unit: usize,
) -> Result<(), CoreError> {
    let (s, c) = (d.store, d.clock());
    let tid = target.id;
    let l = d.leaders(unit)?;
    let (principal, deputy) = (&l.principal, l.deputy());
    let member = &t.member;

    let asked = ("2026-02-20", "2026-02-27");
    d.briefing(
        member,
        tid,
        "discipline",
        asked,
        "近三年受理涉及该局的信访举报11件，主要反映补贴资金发放和项目验收问题。",
    )
    .await?;
    d.briefing(
        member,
        tid,
        "audit",
        asked,
        "2025年专项审计发现高标准农田建设项目资金结余未及时清理、部分补贴发放依据不足。",
    )
    .await?;

    let all = t.names.join("、");
    d.fieldwork(
        member,
        tid,
        fw(
            "hearing",
            "2026-03-04",
            &all,
            "听取局党组工作汇报和高标准农田建设、惠农补贴发放专题汇报",
        ),
    )
    .await?;
    d.fieldwork(
        member,
        tid,
        talk(
            "2026-03-05",
            &t.two(0, 2),
            &principal.0,
            "了解党组落实主体责任和“三重一大”决策情况",
        ),
    )
    .await?;
    d.fieldwork(
        member,
        tid,
        talk(
            "2026-03-06",
            &t.two(1, 3),
            &deputy.0,
            "了解分管的补贴资金发放和项目管理情况",
        ),
    )
    .await?;
    d.fieldwork(
        member,
        tid,
        petitions("2026-03-11", &t.two(2, 3), 3, "惠农补贴"),
    )
    .await?;
    d.fieldwork(
        member,
        tid,
        fw(
            "files",
            "2026-03-17",
            &t.two(2, 3),
            "调阅2023—2025年补贴资金拨付凭证和项目验收档案，已登记并归还",
        ),
    )
    .await?;
    d.fieldwork(
        member,
        tid,
        fw(
            "special-check",
            "2026-03-24",
            &t.two(1, 2),
            "对农机购置补贴开展专项检查，抽查补贴对象46户",
        ),
    )
    .await?;

    let mut approved = Vec::new();
    for p in [
        Paper {
            category: "四个落实/落实党的路线方针政策和党中央决策部署",
            source: "files",
            summary: "高标准农田建设项目推进缓慢",
            facts:
                "2025年度计划建设的3.2万亩高标准农田仅完成1.9万亩，2个项目验收后即出现渠系损毁。"
                    .into(),
            basis: "《高标准农田建设质量管理办法（试行）》",
        },
        Paper {
            category: "三个聚焦/惠民富民、促进共同富裕政策落实",
            source: "petition",
            summary: "耕地地力保护补贴发放不精准",
            facts: "抽查发现向已流转土地的原承包户和撂荒地重复发放补贴共计6.4万元。".into(),
            basis: "耕地地力保护补贴政策有关规定",
        },
        Paper {
            category: "六项纪律/工作纪律",
            source: "data-check",
            summary: "农机购置补贴资金拨付审核把关不严",
            facts: "2024年有7笔农机购置补贴在核验手续不全的情况下拨付，涉及资金21.3万元。".into(),
            basis: "《农业机械购置与应用补贴实施办法》",
        },
        Paper {
            category: "四个落实/落实全面从严治党战略部署",
            source: "talk",
            summary: "党组落实全面从严治党主体责任不到位",
            facts: "党组2025年仅专题研究党风廉政建设1次，对下属单位监督乏力。".into(),
            basis: "《党委（党组）落实全面从严治党主体责任规定》",
        },
        Paper {
            category: "六项纪律/廉洁纪律",
            source: "talk",
            summary: "公务用车管理不规范",
            facts: "执法车辆节假日停放不入库，派车单、行车记录不全。".into(),
            basis: "《党政机关公务用车管理办法》",
        },
    ] {
        let id = d.paper(member, tid, &p).await?;
        d.approve(id, [member, &t.deputy], t).await?;
        approved.push(id);
    }
    let Ok([farmland, subsidy, machinery, duty, cars]) = <[i64; 5]>::try_from(approved) else {
        return Err(missing("paper of", AGRICULTURE));
    };
    let clue = d
        .clue(
            member,
            tid,
            work::ClueInput {
                title: format!("{}分管领域补贴资金监管失职", deputy.0),
                summary: "农机购置补贴审核把关不严，涉嫌与经销商存在利益关联。".into(),
                grade: "organisational".into(),
                persons: format!("{} {}", deputy.0, deputy.1),
                paper_id: Some(machinery),
            },
        )
        .await?;

    let leader_group = d.actor("leader").await?;
    let report = outcome::compose_report(s, c, &t.leader, tid, ReportKind::Final).await?;
    outcome::submit_report(s, c, &t.leader, report).await?;
    outcome::decide_report(s, c, &leader_group, report, true, "").await?;
    outcome::give_feedback(s, c, &t.leader, tid, &FeedbackInput {
        opinion: "县委第二巡察组反馈意见：局党组贯彻落实乡村振兴战略有差距，惠农补贴发放和项目管理存在漏洞。请对照问题清单逐项整改。".into(),
        principal_date: "2026-05-22".into(),
        team_date: "2026-05-25".into(),
        receipt_by: principal.0.clone(),
        receipt_date: "2026-05-25".into(),
    }).await?;

    // The clue to the 纪委监委 (received, being handled); the machinery
    // paper to the 财政局 instead of the proposed 纪委监委, with the reason.
    let to_discipline = d.transfer(&t.leader, clue, "", None, "").await?;
    outcome::receive_transfer(s, c, &d.actor("jiwei").await?, to_discipline).await?;
    let (_, finance) = d.unit(FINANCE)?;
    d.transfer(
        &t.leader,
        machinery,
        "department",
        Some(finance),
        "问题属补贴资金拨付审核不规范，未发现违纪线索，移交财政部门督促整改",
    )
    .await?;

    // Rectification kept by the office for this unit.
    let i_farmland = d
        .rect_item(
            office,
            tid,
            Some(farmland),
            [
                "高标准农田建设项目推进缓慢",
                "倒排工期，完成剩余1.3万亩建设并修复损毁渠系",
                &principal.0,
                "deadline",
                "2026-08-20",
            ],
        )
        .await?;
    d.progress(
        office,
        i_farmland,
        "已完成建设1.1万亩，修复渠系4.2公里",
        false,
    )
    .await?;
    d.progress(office, i_farmland, "剩余建设任务全部完成，申请验收", true)
        .await?;
    let i_subsidy = d
        .rect_item(
            office,
            tid,
            Some(subsidy),
            [
                "耕地地力保护补贴发放不精准",
                "全面核查补贴面积，追回重复发放资金",
                &deputy.0,
                "deadline",
                "2026-07-31",
            ],
        )
        .await?;
    d.progress(office, i_subsidy, "已追回重复发放补贴6.4万元", true)
        .await?;
    d.verify(office, i_subsidy, true, "").await?;
    let i_duty = d
        .rect_item(
            office,
            tid,
            Some(duty),
            [
                "党组主体责任落实不到位",
                "制定党组主体责任清单，每季度专题研究党风廉政建设",
                &principal.0,
                "deadline",
                "2026-08-25",
            ],
        )
        .await?;
    d.progress(office, i_duty, "已制定主体责任清单，召开专题会议1次", false)
        .await?;
    let i_cars = d
        .rect_item(
            office,
            tid,
            Some(cars),
            [
                "公务用车管理不规范",
                "落实公车集中停放和派车审批制度",
                &deputy.0,
                "immediate",
                "2026-06-15",
            ],
        )
        .await?;
    d.progress(office, i_cars, "已实行公车节假日封存，完善派车单", true)
        .await?;
    d.verify(&t.leader, i_cars, true, "").await?;

    outcome::rate(s, c, office, tid, "fairly-good").await?;
    d.account(
        office,
        tid,
        accountability(
            "talk-deputy",
            deputy,
            Some(machinery),
            "2026-09-08",
            "约谈分管副局长，督促整改补贴资金监管问题",
        ),
    )
    .await?;
    Ok(())
}

/// Round 2: active, with work under way on two units and a third unit whose
/// team leaves `zuyuan` out.
async fn round_two(d: &Demo<'_>, office: &Actor) -> Result<i64, CoreError> {
    let (s, c) = (d.store, d.clock());
    let round = plan::create_round(
        s,
        c,
        office,
        &RoundInput {
            term: "15".into(),
            number: "2".into(),
            kind: "special".into(),
            title: "第十五届第二轮专项巡察".into(),
            start_date: "2026-10-12".into(),
            end_date: String::new(),
        },
    )
    .await?;
    let (revitalisation, revitalisation_id) = d.unit(REVITALISATION)?;
    let (civil, civil_id) = d.unit(CIVIL_AFFAIRS)?;
    let (_, chengguan_id) = d.unit(CHENGGUAN)?;
    let tr = plan::add_target(s, c, office, round.id, revitalisation_id).await?;
    let tc = plan::add_target(s, c, office, round.id, civil_id).await?;
    let tg = plan::add_target(s, c, office, round.id, chengguan_id).await?;
    let team1 = d.team(office, round.id, "第一巡察组", &R2_TEAM1).await?;
    let team2 = d.team(office, round.id, "第二巡察组", &R2_TEAM2).await?;
    plan::assign_team(s, c, office, tr.id, Some(team1)).await?;
    plan::assign_team(s, c, office, tc.id, Some(team1)).await?;
    plan::assign_team(s, c, office, tg.id, Some(team2)).await?;
    d.decide_pending(office, round.id).await?;
    d.sign_team(office, round.id, team1, true).await?;
    // 第二巡察组 has signed its recusal statements; the pledges are pending.
    d.sign_team(office, round.id, team2, false).await?;
    plan::set_status(s, c, office, round.id, RoundStatus::Active).await?;

    let t = d
        .team_actors(["zuzhang", "fuzuzhang", "zuyuan"], &R2_TEAM1)
        .await?;
    // zuyuan declares her conflict with 城关镇, another target of her round:
    // recorded as recused, it hides the unit from her.
    let (chengguan, _) = d.unit(CHENGGUAN)?;
    let spouse = d.leaders(chengguan)?.principal;
    plan::declare_conflict(
        s,
        c,
        &t.member,
        tg.id,
        &format!("本人配偶{}任城关镇{}", spouse.0, spouse.1),
    )
    .await?;

    revitalisation_round_two(d, &t, &tr, revitalisation).await?;
    civil_affairs_round_two(d, &t, &tc, civil).await?;
    Ok(round.id)
}

/// 云岭县乡村振兴局 in round 2: papers in every state of the sign-off chain.
async fn revitalisation_round_two(
    d: &Demo<'_>,
    t: &TeamActors,
    target: &Target,
    unit: usize,
) -> Result<(), CoreError> {
    let tid = target.id;
    let l = d.leaders(unit)?;
    let (principal, deputy) = (&l.principal, l.deputy());
    let member = &t.member;

    d.briefing(
        member,
        tid,
        "discipline",
        ("2026-09-28", "2026-10-09"),
        "近三年受理涉及该局的信访举报8件，反映衔接资金项目管理问题。",
    )
    .await?;
    d.briefing(
        member,
        tid,
        "audit",
        ("2026-09-28", "2026-10-10"),
        "2025年衔接资金审计指出项目资产确权登记滞后、部分扶贫车间闲置。",
    )
    .await?;
    d.briefing(member, tid, "petition", ("2026-09-28", ""), "")
        .await?;

    let all = t.names.join("、");
    d.fieldwork(
        member,
        tid,
        fw(
            "hearing",
            "2026-10-13",
            &all,
            "听取局党组关于巩固拓展脱贫攻坚成果、衔接资金使用情况的汇报",
        ),
    )
    .await?;
    d.fieldwork(
        member,
        tid,
        talk(
            "2026-10-15",
            &t.two(1, 2),
            &principal.0,
            "了解党组落实主体责任和衔接资金项目决策情况",
        ),
    )
    .await?;
    d.fieldwork(
        member,
        tid,
        talk(
            "2026-10-16",
            &t.two(2, 3),
            &deputy.0,
            "了解防返贫动态监测和帮扶工作情况",
        ),
    )
    .await?;
    d.fieldwork(
        member,
        tid,
        petitions("2026-10-20", &t.two(2, 3), 6, "扶贫"),
    )
    .await?;
    d.fieldwork(
        member,
        tid,
        FieldworkInput {
            place: "龙井村".into(),
            ..fw(
                "forum",
                "2026-10-22",
                &t.two(0, 3),
                "召开脱贫户、监测户代表座谈会",
            )
        },
    )
    .await?;

    let paper = |category, source, summary, facts: &str, basis| Paper {
        category,
        source,
        summary,
        facts: facts.to_owned(),
        basis,
    };
    // Approved.
    let assets = d
        .paper(
            member,
            tid,
            &paper(
                "三个聚焦/惠民富民、促进共同富裕政策落实",
                "visit",
                "衔接资金项目资产管理不规范，部分扶贫车间闲置",
                "全县14个扶贫车间中5个闲置一年以上，项目资产未确权登记。",
                "《关于加强扶贫项目资产后续管理的指导意见》",
            ),
        )
        .await?;
    d.approve(assets, [member, &t.deputy], t).await?;
    // Reviewed, waiting for the 组长.
    let monitoring = d
        .paper(
            member,
            tid,
            &paper(
                "三个聚焦/群众身边腐败问题和不正之风",
                "petition",
                "防返贫监测对象识别不精准",
                "抽查发现3户因病致贫风险户未纳入监测，2户收入达标户仍享受帮扶政策。",
                "防止返贫动态监测和帮扶机制有关规定",
            ),
        )
        .await?;
    d.step(member, monitoring, PaperStep::Sign).await?;
    d.step(&t.leader, monitoring, PaperStep::Sign).await?;
    d.step(&t.deputy, monitoring, PaperStep::Review).await?;
    // Signed by both handlers, waiting for the 副组长.
    let duty = d
        .paper(
            member,
            tid,
            &paper(
                "四个落实/落实全面从严治党战略部署",
                "talk",
                "党组履行全面从严治党主体责任不到位",
                "党组对衔接资金项目廉政风险排查流于形式，未建立防控台账。",
                "《党委（党组）落实全面从严治党主体责任规定》",
            ),
        )
        .await?;
    d.step(member, duty, PaperStep::Sign).await?;
    d.step(&t.deputy, duty, PaperStep::Sign).await?;
    // Signed by one handler.
    let acceptance = d
        .paper(
            member,
            tid,
            &paper(
                "六项纪律/工作纪律",
                "files",
                "项目验收走过场",
                "2025年验收的22个衔接资金项目中，9个验收记录无现场照片、验收人签字不全。",
                "衔接资金项目管理有关规定",
            ),
        )
        .await?;
    d.step(member, acceptance, PaperStep::Sign).await?;
    // A draft.
    d.paper(
        member,
        tid,
        &paper(
            "四个落实/落实新时代党的组织路线",
            "talk",
            "驻村第一书记管理不严",
            "部分驻村第一书记每月在村时间不足规定天数，考勤由村干部代签。",
            "《关于向重点乡村持续选派驻村第一书记和工作队的意见》",
        ),
    )
    .await?;

    d.clue(
        member,
        tid,
        work::ClueInput {
            title: format!("{}涉嫌为亲属承揽衔接资金项目提供便利", deputy.0),
            summary: "群众反映其亲属承建的扶贫车间项目未经招标，工程质量差。".into(),
            grade: "further".into(),
            persons: format!("{} {}", deputy.0, deputy.1),
            paper_id: Some(assets),
        },
    )
    .await?;
    Ok(())
}

/// 云岭县民政局 in round 2: fieldwork begun, one approved paper, one draft.
async fn civil_affairs_round_two(
    d: &Demo<'_>,
    t: &TeamActors,
    target: &Target,
    unit: usize,
) -> Result<(), CoreError> {
    let tid = target.id;
    let principal = d.leaders(unit)?.principal;
    let member = &t.member;
    d.briefing(
        member,
        tid,
        "discipline",
        ("2026-09-28", "2026-10-09"),
        "近三年受理涉及民政领域的信访举报15件，集中在低保和养老服务补贴。",
    )
    .await?;
    let all = t.names.join("、");
    d.fieldwork(
        member,
        tid,
        fw(
            "hearing",
            "2026-10-14",
            &all,
            "听取局党组关于社会救助和养老服务工作的汇报",
        ),
    )
    .await?;
    d.fieldwork(
        member,
        tid,
        talk(
            "2026-10-19",
            &t.two(0, 2),
            &principal.0,
            "了解党组班子运行和社会救助资金管理情况",
        ),
    )
    .await?;
    d.fieldwork(
        member,
        tid,
        petitions("2026-10-21", &t.two(2, 3), 5, "低保"),
    )
    .await?;
    d.fieldwork(
        member,
        tid,
        fw(
            "files",
            "2026-10-23",
            &t.two(1, 3),
            "调阅低保动态管理台账和养老机构补贴发放凭证，已登记",
        ),
    )
    .await?;
    let dibao = d
        .paper(
            member,
            tid,
            &Paper {
                category: "三个聚焦/群众身边腐败问题和不正之风",
                source: "data-check",
                summary: "低保动态管理不到位，已故人员仍领取低保金",
                facts: "与殡葬、户籍数据比对发现，11名已故人员去世后仍领取低保金共计4.2万元。"
                    .into(),
                basis: "《最低生活保障审核确认办法》第三十一条",
            },
        )
        .await?;
    d.approve(dibao, [member, &t.leader], t).await?;
    d.paper(
        member,
        tid,
        &Paper {
            category: "六项纪律/廉洁纪律",
            source: "files",
            summary: "养老机构运营补贴审核不严",
            facts: "2家民办养老机构虚报入住人数申领运营补贴。".into(),
            basis: "养老机构运营补贴管理有关规定",
        },
    )
    .await?;
    Ok(())
}
