//! Persons: unit staff with their leadership posts, village people who fill
//! the head count, work histories, and the final ID numbers.

use std::collections::HashSet;

use xuncha_text::IdNumber;

use super::names::{self, COUNTY_CODE, OTHER_CODES};
use super::units::team_titles;
use super::{first_day, last_day, month_index, Builder, DemoPost, DemoWork, Draft, TODAY_MONTH};
use crate::registry::{Gender, NewPerson, PostRank, UnitKind};

/// Staff positions for a kind of unit.
fn staff_positions(kind: UnitKind) -> &'static [&'static str] {
    match kind {
        UnitKind::County => &["县委常委", "副县长"],
        UnitKind::PartyDept => names::STAFF_PARTY,
        UnitKind::GovDept => names::STAFF_GOV,
        UnitKind::Township => names::STAFF_TOWNSHIP,
        UnitKind::Village => names::STAFF_VILLAGE,
        UnitKind::Community => names::STAFF_COMMUNITY,
        UnitKind::School => names::STAFF_SCHOOL,
        UnitKind::Enterprise => names::STAFF_ENTERPRISE,
        UnitKind::Other => names::STAFF_HOSPITAL,
    }
}

impl Builder {
    /// A new draft person; returns its index.
    pub(super) fn new_draft(
        &mut self,
        surname: &'static str,
        male: bool,
        year: i32,
        unit: Option<usize>,
        position: Option<String>,
    ) -> usize {
        let given = names::given_name(&mut self.rng, male, year);
        let month = self.rng.range(1, 12) as u8;
        let day = self.rng.range(1, 28) as u8;
        let region = if self.rng.chance(80) {
            COUNTY_CODE
        } else {
            *self.rng.pick(&OTHER_CODES)
        };
        self.drafts.push(Draft {
            surname,
            given,
            male,
            year,
            month,
            day,
            unit,
            position,
            region,
            rank: None,
            has_spouse: false,
            has_father: false,
            has_mother: false,
        });
        self.drafts.len() - 1
    }

    /// Changes a draft's gender, birth year or surname (planting conflicts),
    /// renaming them when the gender changes.
    pub(super) fn reshape(&mut self, p: usize, male: bool, year: i32, surname: &'static str) {
        if self.drafts[p].male != male {
            self.drafts[p].given = names::given_name(&mut self.rng, male, year);
        }
        let d = &mut self.drafts[p];
        d.male = male;
        d.year = year;
        d.surname = surname;
    }

    /// Staff for every unit: the leadership team first (principal, deputies,
    /// members), then ordinary staff.
    pub(super) fn build_staff(&mut self) {
        for unit in 0..self.units.len() {
            let kind = self.units[unit].kind;
            let size = self.staff_size(unit);
            let titles = team_titles(&self.units[unit]);
            let deputies = self.rng.range(1, titles.deputies.len().min(3) as i32) as usize;
            let members = self.rng.range(0, titles.members.len().min(2) as i32) as usize;
            let village = matches!(kind, UnitKind::Village | UnitKind::Community);
            let mut team: Vec<(&'static str, PostRank)> =
                vec![(titles.principal, PostRank::Principal)];
            team.extend(
                titles.deputies[..deputies]
                    .iter()
                    .map(|t| (*t, PostRank::Deputy)),
            );
            team.extend(
                titles.members[..members]
                    .iter()
                    .map(|t| (*t, PostRank::Member)),
            );
            for (title, rank) in &team {
                let (years, male_pct) = match (rank, village) {
                    (PostRank::Principal, true) => ((1962, 1985), 85),
                    (PostRank::Principal, false) => ((1966, 1982), 85),
                    (PostRank::Deputy, _) => ((1968, 1990), 75),
                    (PostRank::Member, _) => ((1970, 1992), 65),
                };
                let male = self.rng.chance(male_pct);
                let year = self.rng.range(years.0, years.1);
                let surname = names::surname(&mut self.rng);
                let p = self.new_draft(surname, male, year, Some(unit), Some((*title).to_owned()));
                self.drafts[p].rank = Some(*rank);
                self.posts.push(DemoPost {
                    unit,
                    person: p,
                    title: (*title).to_owned(),
                    rank: *rank,
                });
            }
            let male_pct = match kind {
                UnitKind::School | UnitKind::Other => 35,
                _ => 55,
            };
            for _ in team.len()..size {
                let male = self.rng.chance(male_pct);
                let year = self.rng.range(if village { 1962 } else { 1966 }, 2000);
                let surname = names::surname(&mut self.rng);
                let position = (*self.rng.pick(staff_positions(kind))).to_owned();
                self.new_draft(surname, male, year, Some(unit), Some(position));
            }
        }
        self.staff_count = self.drafts.len();
    }

    /// Village people (小组长, 村民代表 …) until the county has `target` persons.
    pub(super) fn top_up(&mut self, target: usize) {
        let villages: Vec<usize> = (0..self.units.len())
            .filter(|u| self.units[*u].kind == UnitKind::Village)
            .collect();
        while self.drafts.len() < target {
            let unit = *self.rng.pick(&villages);
            let male = self.rng.chance(60);
            let year = self.rng.range(1962, 1998);
            let surname = names::surname(&mut self.rng);
            let position = (*self.rng.pick(names::VILLAGE_EXTRA)).to_owned();
            self.new_draft(surname, male, year, Some(unit), Some(position));
        }
    }

    /// Units where someone now working in `unit` may have worked before.
    fn prior_candidates(&self, unit: usize) -> Vec<usize> {
        let kind = self.units[unit].kind;
        let cadre = |k: UnitKind| {
            matches!(
                k,
                UnitKind::PartyDept | UnitKind::GovDept | UnitKind::Township
            )
        };
        (0..self.units.len())
            .filter(|u| *u != unit)
            .filter(|u| {
                let k = self.units[*u].kind;
                let name = self.units[*u].name.as_str();
                match kind {
                    UnitKind::County
                    | UnitKind::PartyDept
                    | UnitKind::GovDept
                    | UnitKind::Township => cadre(k),
                    UnitKind::School => k == UnitKind::School || name.ends_with("教育体育局"),
                    UnitKind::Enterprise => k == UnitKind::Enterprise || k == UnitKind::GovDept,
                    UnitKind::Other => name.ends_with("卫生健康局"),
                    UnitKind::Village | UnitKind::Community => false,
                }
            })
            .collect()
    }

    /// Work history: a current entry for everyone in a unit; for about 40 %
    /// (more among leaders) one or two earlier entries in other units, some of
    /// them ending within the last three years; and the forced entries of the
    /// planted conflicts.
    pub(super) fn build_work_history(&mut self) {
        for p in 0..self.drafts.len() {
            let Some(unit) = self.drafts[p].unit else {
                continue;
            };
            let d = &self.drafts[p];
            // County leaders without a team post count as leaders here too.
            let leader = d.rank.is_some() || self.units[unit].kind == UnitKind::County;
            let career = (month_index(d.year + self.rng.range(21, 24), 1)
                + self.rng.below(12) as i32)
                .min(TODAY_MONTH - 1);
            let position = d.position.clone();
            let forced: Vec<(usize, i32)> = self
                .forced_prior
                .iter()
                .filter(|(q, _, _)| *q == p)
                .map(|(_, u, end)| (*u, *end))
                .collect();
            let candidates = self.prior_candidates(unit);
            let mut earlier: Vec<(usize, i32, i32)> = Vec::new(); // (unit, first, last month)
            let current_from;
            if let Some((u, end)) = forced.first().copied() {
                let start = (end - 12 * self.rng.range(3, 8)).max(career.min(end - 12));
                earlier.push((u, start, end));
                current_from = end + 1;
            } else {
                let want = if leader { 75 } else { 35 };
                let k = if candidates.is_empty() || !self.rng.chance(want) {
                    0
                } else {
                    self.rng.range(1, 2)
                };
                let span = TODAY_MONTH - 1 - career;
                // A leader with a past usually has two entries: staff, then deputy.
                let k = if leader && k == 1 && span >= 36 { 2 } else { k };
                let k = if span >= 12 * (k + 1) { k } else { 0 };
                if k == 0 {
                    let lo = if leader {
                        (TODAY_MONTH - 96).max(career)
                    } else {
                        career
                    };
                    current_from = self.rng.range(lo, TODAY_MONTH - 1);
                } else {
                    let recent_lo = (TODAY_MONTH - 35).max(career + 12 * k);
                    // Leaders took their post within the last ten years.
                    let lo = if leader {
                        (TODAY_MONTH - 120).max(career + 12 * k)
                    } else {
                        career + 12 * k
                    };
                    current_from = if self.rng.chance(25) && recent_lo < TODAY_MONTH - 1 {
                        self.rng.range(recent_lo, TODAY_MONTH - 1)
                    } else {
                        self.rng.range(lo, TODAY_MONTH - 1)
                    };
                    let split = if k == 2 && leader {
                        // The deputy's post lasted three to eight years.
                        (current_from - 12 * self.rng.range(3, 8)).max(career + 12)
                    } else if k == 2 {
                        self.rng.range(career + 12, current_from - 12)
                    } else {
                        current_from
                    };
                    let first_unit = *self.rng.pick(&candidates);
                    earlier.push((first_unit, career, split - 1));
                    if k == 2 {
                        let second_unit = *self.rng.pick(&candidates);
                        earlier.push((second_unit, split, current_from - 1));
                    }
                }
            }
            let last = earlier.len();
            for (n, (u, from, to)) in earlier.into_iter().enumerate() {
                // A leader's last post before the current one was a deputy's.
                let pos = if leader && n + 1 == last {
                    let titles = team_titles(&self.units[u]);
                    (*self.rng.pick(titles.deputies)).to_owned()
                } else {
                    (*self.rng.pick(staff_positions(self.units[u].kind))).to_owned()
                };
                self.work.push(DemoWork {
                    person: p,
                    unit: u,
                    position: Some(pos),
                    from: first_day(from),
                    to: Some(last_day(to)),
                });
            }
            self.work.push(DemoWork {
                person: p,
                unit,
                position,
                from: first_day(current_from),
                to: None,
            });
        }
    }

    /// The final persons: a unique, valid ID number for each (sequence parity
    /// matching the gender), a phone number, and no unit id yet.
    pub(super) fn make_persons(&mut self) -> Vec<NewPerson> {
        let mut used: HashSet<String> = HashSet::new();
        let mut out = Vec::with_capacity(self.drafts.len());
        for p in 0..self.drafts.len() {
            let (region, birth, male) = {
                let d = &self.drafts[p];
                (
                    d.region,
                    format!("{:04}{:02}{:02}", d.year, d.month, d.day),
                    d.male,
                )
            };
            let id = loop {
                let seq = 2 * self.rng.below(500) as u16 + u16::from(male);
                let first17 = format!("{region}{birth}{seq:03}");
                if used.contains(&first17) {
                    continue;
                }
                match IdNumber::from_parts(region, &birth, seq) {
                    Ok(id) => {
                        used.insert(first17);
                        break id;
                    }
                    Err(e) => panic!("demo birth date {birth} is a real date: {e}"),
                }
            };
            let d = &self.drafts[p];
            out.push(NewPerson {
                name: format!("{}{}", d.surname, d.given),
                birth_date: Some(id.birth_date_iso()),
                id_number: Some(id),
                gender: Some(if male { Gender::Male } else { Gender::Female }),
                unit_id: None,
                position: d.position.clone(),
                phone: Some(names::phone(&mut self.rng)),
            });
        }
        out
    }
}
