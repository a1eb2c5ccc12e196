//! The inspector pool, the planted conflicts of interest, and the kinship
//! relations between persons.

use super::names::{self, OUTSIDE_JOBS};
use super::{month_index, Builder, DemoInspector, PlantedConflict};
use crate::registry::{Kinship, PostRank, Skill};

/// Source departments of the pool: (unit, how many, main skills).
const POOL: &[(&str, usize, &[Skill])] = &[
    ("云岭县纪委监委", 10, &[Skill::Discipline]),
    ("中共云岭县委组织部", 6, &[Skill::Organisation]),
    (
        "中共云岭县委巡察工作领导小组办公室",
        5,
        &[Skill::Discipline, Skill::Organisation],
    ),
    ("云岭县财政局", 5, &[Skill::Finance]),
    ("云岭县审计局", 5, &[Skill::Audit]),
    ("中共云岭县委政法委员会", 2, &[Skill::Law]),
    ("云岭县公安局", 2, &[Skill::Law]),
    ("云岭县人力资源和社会保障局", 1, &[Skill::Organisation]),
    ("云岭县农业农村局", 2, &[Skill::Other]),
    ("云岭县住房和城乡建设局", 1, &[Skill::Other]),
    ("中共云岭县委办公室", 1, &[Skill::Other]),
];

/// A second skill some inspectors of a department also have.
fn extra_skill(main: Skill) -> Skill {
    match main {
        Skill::Discipline => Skill::Law,
        Skill::Organisation => Skill::Discipline,
        Skill::Finance | Skill::Other => Skill::Audit,
        Skill::Audit => Skill::Finance,
        Skill::Law => Skill::Discipline,
    }
}

/// Which side of a relation must have no such relative yet.
#[derive(Clone, Copy)]
enum Slot {
    Free,
    Spouse,
    FatherOfB,
    MotherOfB,
}

/// A kind of kinship with the genders, age gap and surnames it implies.
struct Template {
    kinship: Kinship,
    detail: &'static str,
    /// Gender of `a` (`None`: either).
    a_male: Option<bool>,
    /// Gender of `b`.
    b_male: Option<bool>,
    /// `b.year - a.year`, inclusive range.
    gap: (i32, i32),
    /// Whether `b` bears `a`'s surname (`None`: either).
    same_surname: Option<bool>,
    /// Latest birth year of both (parents-in-law of a married couple are older).
    max_year: i32,
    slot: Slot,
}

const fn tpl(
    kinship: Kinship,
    detail: &'static str,
    a_male: Option<bool>,
    b_male: Option<bool>,
    gap: (i32, i32),
    same_surname: Option<bool>,
    slot: Slot,
) -> Template {
    Template {
        kinship,
        detail,
        a_male,
        b_male,
        gap,
        same_surname,
        max_year: 2000,
        slot,
    }
}

const M: Option<bool> = Some(true);
const F: Option<bool> = Some(false);
const SAME: Option<bool> = Some(true);
const DIFF: Option<bool> = Some(false);
const PARENT: (i32, i32) = (20, 34);
const PEER: (i32, i32) = (-8, 8);
const ELDER: (i32, i32) = (1, 10);
const UNCLE: (i32, i32) = (10, 25);

const SPOUSE: &[Template] = &[tpl(
    Kinship::Spouse,
    "夫妻",
    M,
    F,
    (-2, 6),
    DIFF,
    Slot::Spouse,
)];

const LINEAL: &[Template] = &[
    tpl(Kinship::Lineal, "父子", M, M, PARENT, SAME, Slot::FatherOfB),
    tpl(Kinship::Lineal, "父女", M, F, PARENT, SAME, Slot::FatherOfB),
    tpl(Kinship::Lineal, "母子", F, M, PARENT, DIFF, Slot::MotherOfB),
    tpl(Kinship::Lineal, "母女", F, F, PARENT, DIFF, Slot::MotherOfB),
];

const COLLATERAL: &[Template] = &[
    tpl(Kinship::Collateral, "兄弟", M, M, ELDER, SAME, Slot::Free),
    tpl(Kinship::Collateral, "兄妹", M, F, ELDER, SAME, Slot::Free),
    tpl(Kinship::Collateral, "姐弟", F, M, ELDER, SAME, Slot::Free),
    tpl(Kinship::Collateral, "姐妹", F, F, ELDER, SAME, Slot::Free),
    tpl(
        Kinship::Collateral,
        "叔侄",
        M,
        None,
        UNCLE,
        SAME,
        Slot::Free,
    ),
    tpl(
        Kinship::Collateral,
        "姑侄",
        F,
        None,
        UNCLE,
        SAME,
        Slot::Free,
    ),
    tpl(
        Kinship::Collateral,
        "舅甥",
        M,
        None,
        UNCLE,
        DIFF,
        Slot::Free,
    ),
    tpl(
        Kinship::Collateral,
        "姨甥",
        F,
        None,
        UNCLE,
        DIFF,
        Slot::Free,
    ),
    tpl(Kinship::Collateral, "堂兄弟", M, M, PEER, SAME, Slot::Free),
    tpl(Kinship::Collateral, "堂姐妹", F, F, PEER, SAME, Slot::Free),
    tpl(Kinship::Collateral, "表兄弟", M, M, PEER, DIFF, Slot::Free),
    tpl(
        Kinship::Collateral,
        "表兄妹",
        M,
        F,
        (1, 8),
        DIFF,
        Slot::Free,
    ),
];

const IN_LAW: &[Template] = &[
    tpl(Kinship::InLaw, "翁婿", M, M, PARENT, DIFF, Slot::Free),
    tpl(Kinship::InLaw, "岳母与女婿", F, M, PARENT, DIFF, Slot::Free),
    tpl(Kinship::InLaw, "公媳", M, F, PARENT, DIFF, Slot::Free),
    tpl(Kinship::InLaw, "婆媳", F, F, PARENT, DIFF, Slot::Free),
    tpl(Kinship::InLaw, "连襟", M, M, PEER, DIFF, Slot::Free),
    tpl(Kinship::InLaw, "妯娌", F, F, PEER, DIFF, Slot::Free),
    tpl(Kinship::InLaw, "姑嫂", F, F, PEER, DIFF, Slot::Free),
    tpl(Kinship::InLaw, "郎舅", M, M, PEER, DIFF, Slot::Free),
    tpl(Kinship::InLaw, "叔嫂", M, F, PEER, DIFF, Slot::Free),
    Template {
        max_year: 1976,
        ..tpl(Kinship::InLaw, "亲家", None, None, PEER, DIFF, Slot::Free)
    },
];

/// 父子, 父女, 母子, 母女.
fn parent_detail(parent_male: bool, child_male: bool) -> &'static str {
    match (parent_male, child_male) {
        (true, true) => "父子",
        (true, false) => "父女",
        (false, true) => "母子",
        (false, false) => "母女",
    }
}

/// 兄弟, 兄妹, 姐弟, 姐妹 (elder first).
fn sibling_detail(elder_male: bool, younger_male: bool) -> &'static str {
    match (elder_male, younger_male) {
        (true, true) => "兄弟",
        (true, false) => "兄妹",
        (false, true) => "姐弟",
        (false, false) => "姐妹",
    }
}

/// 翁婿, 公媳, 岳母与女婿, 婆媳 (parent-in-law first).
fn parent_in_law_detail(elder_male: bool, younger_male: bool) -> &'static str {
    match (elder_male, younger_male) {
        (true, true) => "翁婿",
        (true, false) => "公媳",
        (false, true) => "岳母与女婿",
        (false, false) => "婆媳",
    }
}

impl Builder {
    /// The inspector pool: non-leading staff of the source departments, with
    /// their department's skills (sometimes a second one) and 0–8 rounds.
    pub(super) fn build_inspectors(&mut self) {
        for (dept, count, skills) in POOL {
            let unit = self.unit(dept);
            let mut candidates: Vec<usize> = (0..self.staff_count)
                .filter(|p| self.drafts[*p].unit == Some(unit) && self.drafts[*p].rank.is_none())
                .collect();
            for _ in 0..*count {
                if candidates.is_empty() {
                    break;
                }
                let person = candidates.swap_remove(self.rng.below(candidates.len()));
                let mut skills = skills.to_vec();
                if self.rng.chance(30) {
                    let extra = extra_skill(skills[0]);
                    if !skills.contains(&extra) {
                        skills.push(extra);
                    }
                }
                self.inspectors.push(DemoInspector {
                    person,
                    source_unit: Some(unit),
                    skills,
                    rounds_served: 0,
                });
            }
        }
    }

    /// The person holding a post of `rank` in `unit` (the `nth` of that rank).
    fn post_holder(&self, unit: &str, rank: PostRank, nth: usize) -> (usize, usize) {
        let u = self.unit(unit);
        let holders: Vec<usize> = self
            .posts
            .iter()
            .filter(|p| p.unit == u && p.rank == rank)
            .map(|p| p.person)
            .collect();
        (holders[nth.min(holders.len() - 1)], u)
    }

    /// Records a planted kinship conflict and the relation behind it.
    fn plant_kin(
        &mut self,
        inspector: usize,
        relative: usize,
        unit: usize,
        kinship: Kinship,
        detail: &'static str,
        inspector_first: bool,
    ) {
        let me = self.inspectors[inspector].person;
        let (a, b) = if inspector_first {
            (me, relative)
        } else {
            (relative, me)
        };
        self.relate(a, b, kinship, detail);
        self.planted.push(PlantedConflict::Kin {
            inspector,
            relative,
            unit,
            rank: self.drafts[relative].rank,
            kinship,
            detail,
        });
    }

    /// The conflicts of interest planted on purpose (inspector numbers are
    /// indices into the pool, in the order of `POOL`):
    ///
    /// | inspector | from | conflict |
    /// |---|---|---|
    /// | 0 | 纪委监委 | spouse (夫妻) of the 党委书记 of 城关镇 — user `zuyuan` |
    /// | 1 | 纪委监委 | nephew/niece (叔侄/姑侄) of the principal of 龙泉村 (龙泉乡) |
    /// | 2 | 纪委监委 | son/daughter-in-law of the principal of 云岭县第一中学 |
    /// | 10 | 组织部 | child (父子 …) of the first deputy of 云岭县教育体育局 |
    /// | 11 | 组织部 | worked in 白云镇 until 2025-06-30 (inside a 3-year window) |
    /// | 16 | 巡察办 | spouse of an ordinary staff member of 青石镇 (not a leader) |
    /// | 21 | 财政局 | peer in-law (连襟/妯娌/叔嫂) of the principal of 云岭县城市建设投资有限公司 |
    /// | 22 | 财政局 | worked in 云岭县农业农村局 until 2019-03-31 (outside the window) |
    /// | 26 | 审计局 | sibling (兄弟/姐妹 …) of the principal of 云岭县住房和城乡建设局 |
    /// | 27 | 审计局 | worked in 云岭县医疗保障局 until 2024-08-31 (inside the window) |
    pub(super) fn plant_conflicts(&mut self) {
        // 0: spouse of the 城关镇 party secretary.
        let (sec, unit) = self.post_holder("城关镇", PostRank::Principal, 0);
        let me = self.inspectors[0].person;
        let (sec_male, sec_year, sec_surname) = self.person_traits(sec);
        let year = (sec_year + self.rng.range(-3, 4)).clamp(1966, 1998);
        let surname = names::surname_other_than(&mut self.rng, sec_surname);
        self.reshape(me, !sec_male, year, surname);
        self.marry(me, sec);
        let inspector_first = !sec_male; // the husband comes first in 夫妻
        self.plant_kin(0, sec, unit, Kinship::Spouse, "夫妻", inspector_first);

        // 1: the principal of 龙泉村 is the inspector's uncle or aunt.
        let (head, unit) = self.post_holder("龙泉村", PostRank::Principal, 0);
        let me = self.inspectors[1].person;
        let (head_male, _, head_surname) = self.person_traits(head);
        let head_year = self.rng.range(1962, 1970);
        self.drafts[head].year = head_year;
        let male = self.rng.chance(60);
        let year = head_year + self.rng.range(18, 26);
        self.reshape(me, male, year, head_surname);
        let detail = if head_male { "叔侄" } else { "姑侄" };
        self.plant_kin(1, head, unit, Kinship::Collateral, detail, false);

        // 2: child-in-law of the principal of 第一中学.
        let (head, unit) = self.post_holder("云岭县第一中学", PostRank::Principal, 0);
        let me = self.inspectors[2].person;
        let (head_male, _, head_surname) = self.person_traits(head);
        let head_year = self.rng.range(1964, 1970);
        self.drafts[head].year = head_year;
        let male = self.rng.chance(50);
        let year = head_year + self.rng.range(24, 30);
        let surname = names::surname_other_than(&mut self.rng, head_surname);
        self.reshape(me, male, year, surname);
        self.drafts[me].has_spouse = true; // married to the principal's child
        let detail = parent_in_law_detail(head_male, male);
        self.plant_kin(2, head, unit, Kinship::InLaw, detail, false);

        // 10: child of the first deputy of 教育体育局.
        let (dep, unit) = self.post_holder("云岭县教育体育局", PostRank::Deputy, 0);
        let me = self.inspectors[10].person;
        let (dep_male, _, dep_surname) = self.person_traits(dep);
        let dep_year = self.rng.range(1966, 1971);
        self.drafts[dep].year = dep_year;
        let male = self.rng.chance(50);
        let year = dep_year + self.rng.range(24, 29);
        let surname = if dep_male {
            dep_surname
        } else {
            names::surname_other_than(&mut self.rng, dep_surname)
        };
        self.reshape(me, male, year, surname);
        if dep_male {
            self.drafts[me].has_father = true;
        } else {
            self.drafts[me].has_mother = true;
        }
        self.plant_kin(
            10,
            dep,
            unit,
            Kinship::Lineal,
            parent_detail(dep_male, male),
            false,
        );

        // 16: spouse of an ordinary staff member of 青石镇.
        let unit = self.unit("青石镇");
        let staff: Vec<usize> = (0..self.staff_count)
            .filter(|p| self.drafts[*p].unit == Some(unit) && self.drafts[*p].rank.is_none())
            .collect();
        let other = staff[self.rng.below(staff.len())];
        let me = self.inspectors[16].person;
        let (o_male, o_year, o_surname) = self.person_traits(other);
        let year = (o_year + self.rng.range(-3, 4)).clamp(1966, 1998);
        let surname = names::surname_other_than(&mut self.rng, o_surname);
        self.reshape(me, !o_male, year, surname);
        self.marry(me, other);
        self.plant_kin(16, other, unit, Kinship::Spouse, "夫妻", !o_male);

        // 21: peer in-law of the principal of the 城投 company.
        let (head, unit) = self.post_holder("云岭县城市建设投资有限公司", PostRank::Principal, 0);
        let me = self.inspectors[21].person;
        let (head_male, head_year, head_surname) = self.person_traits(head);
        let male = self.rng.chance(50);
        let year = (head_year + self.rng.range(-6, 6)).clamp(1966, 1998);
        let surname = names::surname_other_than(&mut self.rng, head_surname);
        self.reshape(me, male, year, surname);
        let (detail, inspector_first) = match (male, head_male) {
            (true, true) => ("连襟", true),
            (false, false) => ("妯娌", true),
            (true, false) => ("叔嫂", true),
            (false, true) => ("叔嫂", false),
        };
        self.plant_kin(21, head, unit, Kinship::InLaw, detail, inspector_first);

        // 26: sibling of the principal of 住建局.
        let (head, unit) = self.post_holder("云岭县住房和城乡建设局", PostRank::Principal, 0);
        let me = self.inspectors[26].person;
        let (head_male, head_year, head_surname) = self.person_traits(head);
        let male = self.rng.chance(50);
        let mut year = head_year + self.rng.range(1, 8) * if self.rng.chance(50) { 1 } else { -1 };
        if !(1966..=1998).contains(&year) {
            year = head_year + 3;
        }
        self.reshape(me, male, year, head_surname);
        let inspector_elder = year < head_year;
        let detail = if inspector_elder {
            sibling_detail(male, head_male)
        } else {
            sibling_detail(head_male, male)
        };
        self.plant_kin(26, head, unit, Kinship::Collateral, detail, inspector_elder);

        // 11, 27, 22: former work units (their earlier entries are forced in
        // `build_work_history`; the inspectors are made old enough for them).
        for (inspector, unit, last) in [
            (11, "白云镇", month_index(2025, 6)),
            (27, "云岭县医疗保障局", month_index(2024, 8)),
            (22, "云岭县农业农村局", month_index(2019, 3)),
        ] {
            let me = self.inspectors[inspector].person;
            if self.drafts[me].year > 1988 {
                self.drafts[me].year = self.rng.range(1972, 1988);
            }
            let u = self.unit(unit);
            self.forced_prior.push((me, u, last));
            self.planted.push(PlantedConflict::FormerUnit {
                inspector,
                unit: u,
                until: super::last_day(last),
            });
        }

        // Rounds served grow with age, now that ages are final.
        for i in 0..self.inspectors.len() {
            let age = 2026 - self.drafts[self.inspectors[i].person].year;
            let max = ((age - 24) / 3).clamp(0, 8);
            self.inspectors[i].rounds_served = self.rng.range(0, max);
        }
    }

    fn person_traits(&self, p: usize) -> (bool, i32, &'static str) {
        let d = &self.drafts[p];
        (d.male, d.year, d.surname)
    }

    fn marry(&mut self, a: usize, b: usize) {
        self.drafts[a].has_spouse = true;
        self.drafts[b].has_spouse = true;
    }

    /// Random relations until there are `target`, cycling through the four
    /// classes. Half of the relatives are other persons of the registry (so
    /// leaders of different units are related), the rest new persons who
    /// work outside the registry's units.
    pub(super) fn build_relations(&mut self, target: usize) {
        let leaders: Vec<usize> = self.posts.iter().map(|p| p.person).collect();
        let classes: [&[Template]; 4] = [SPOUSE, LINEAL, COLLATERAL, IN_LAW];
        let mut attempt = 0;
        while self.relations.len() < target && attempt < target * 50 {
            attempt += 1;
            // The class with the fewest relations so far, so all four stay balanced.
            let count = |k: Kinship| self.relations.iter().filter(|r| r.kinship == k).count();
            let class = *classes
                .iter()
                .min_by_key(|c| count(c[0].kinship))
                .unwrap_or(&SPOUSE);
            let base = if self.rng.chance(40) {
                leaders[self.rng.below(leaders.len())]
            } else {
                self.rng.below(self.staff_count)
            };
            let t = &class[self.rng.below(class.len())];
            let base_is_a = self.rng.chance(50);
            let Some((male, lo, hi)) = self.relative_shape(t, base, base_is_a) else {
                continue;
            };
            if !self.slot_free(t.slot, base, base_is_a, None) {
                continue;
            }
            let relative = if self.rng.chance(50) {
                self.find_relative(t, base, base_is_a, male, lo, hi)
            } else {
                None
            };
            let relative = match relative {
                Some(r) => r,
                None => self.new_relative(t, base, male, lo, hi),
            };
            let (a, b) = if base_is_a {
                (base, relative)
            } else {
                (relative, base)
            };
            if self.relate(a, b, t.kinship, t.detail) {
                match t.slot {
                    Slot::Spouse => self.marry(a, b),
                    Slot::FatherOfB => self.drafts[b].has_father = true,
                    Slot::MotherOfB => self.drafts[b].has_mother = true,
                    Slot::Free => {}
                }
            }
        }
    }

    /// The relative's gender (`None`: either) and birth-year range, or `None`
    /// when `base` cannot take that side of the template.
    fn relative_shape(
        &self,
        t: &Template,
        base: usize,
        base_is_a: bool,
    ) -> Option<(Option<bool>, i32, i32)> {
        let d = &self.drafts[base];
        let (base_gender, other_gender) = if base_is_a {
            (t.a_male, t.b_male)
        } else {
            (t.b_male, t.a_male)
        };
        if base_gender.is_some_and(|m| m != d.male) || d.year > t.max_year {
            return None;
        }
        let (lo, hi) = if base_is_a {
            (d.year + t.gap.0, d.year + t.gap.1)
        } else {
            (d.year - t.gap.1, d.year - t.gap.0)
        };
        let (lo, hi) = (lo.max(1960), hi.min(2000).min(t.max_year));
        (lo <= hi).then_some((other_gender, lo, hi))
    }

    /// Whether the person on the constrained side has no such relative yet.
    fn slot_free(&self, slot: Slot, base: usize, base_is_a: bool, other: Option<usize>) -> bool {
        let b = if base_is_a { other } else { Some(base) };
        match slot {
            Slot::Free => true,
            Slot::Spouse => {
                !self.drafts[base].has_spouse && other.is_none_or(|o| !self.drafts[o].has_spouse)
            }
            Slot::FatherOfB => b.is_none_or(|b| !self.drafts[b].has_father),
            Slot::MotherOfB => b.is_none_or(|b| !self.drafts[b].has_mother),
        }
    }

    /// An existing staff member of another unit who fits, if any.
    fn find_relative(
        &mut self,
        t: &Template,
        base: usize,
        base_is_a: bool,
        male: Option<bool>,
        lo: i32,
        hi: i32,
    ) -> Option<usize> {
        let n = self.staff_count;
        let start = self.rng.below(n);
        let d = &self.drafts[base];
        (0..n).map(|i| (start + i) % n).find(|&p| {
            let o = &self.drafts[p];
            p != base
                && o.unit != d.unit
                && male.is_none_or(|m| m == o.male)
                && (lo..=hi).contains(&o.year)
                && t.same_surname
                    .is_none_or(|same| same == (o.surname == d.surname))
                && !self.pairs.contains(&(base.min(p), base.max(p)))
                && self.slot_free(t.slot, base, base_is_a, Some(p))
        })
    }

    /// A new person outside the registry's units who fits.
    fn new_relative(
        &mut self,
        t: &Template,
        base: usize,
        male: Option<bool>,
        lo: i32,
        hi: i32,
    ) -> usize {
        let base_surname = self.drafts[base].surname;
        let surname = match t.same_surname {
            Some(true) => base_surname,
            Some(false) => names::surname_other_than(&mut self.rng, base_surname),
            None => names::surname(&mut self.rng),
        };
        let male = male.unwrap_or_else(|| self.rng.chance(50));
        let year = self.rng.range(lo, hi);
        let job = if year < 1966 {
            "退休"
        } else {
            *self.rng.pick(OUTSIDE_JOBS)
        };
        self.new_draft(surname, male, year, None, Some(job.to_owned()))
    }
}
