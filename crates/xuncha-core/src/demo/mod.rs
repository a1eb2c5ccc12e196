//! The demo county: a realistic, entirely fictional county (云岭县) generated
//! from a seed, so a fresh installation can be tried out (and tests and
//! benchmarks can run) against a registry that looks like a real one.
//!
//! [`generate`] is pure: the same seed gives the same county on every machine
//! (the randomness is an inline SplitMix64, not `rand`, whose algorithms may
//! change between releases). [`load`] writes a generated county through the
//! [`Store`](crate::store::Store) port.
//!
//! What it holds:
//! * 60 units in a tree: the county committee (root), 8 县委工作部门, 15 县级机关部门,
//!   4 schools and the county hospital under their departments, 3 county state
//!   enterprises, 6 townships with 22 villages and communities;
//! * a leadership team for every unit (exactly one principal, 1–3 deputies,
//!   0–2 members), held by persons of that unit;
//! * about 2,000 persons with valid 18-digit ID numbers (unique, matching
//!   birth date and gender), positions, phones and work histories;
//! * 300 kinship relations covering the four recusal classes, with a few
//!   conflicts between inspectors and unit leaders planted on purpose (see
//!   [`PlantedConflict`] and [`DemoCounty::planted`]);
//! * an inspector pool of 40 with source departments, skills and rounds served;
//! * one user per [`Role`], all with the password [`DEMO_PASSWORD`];
//! * two 巡察 rounds, written by [`load`] through the round use cases: round 1
//!   (第十五届第一轮常规巡察, finished) on 青石镇 and 云岭县农业农村局 from
//!   plan to rectification, accountability and the circular, and round 2
//!   (第十五届第二轮专项巡察, under way) on 云岭县乡村振兴局 and 云岭县民政局,
//!   with 城关镇 given to a team without `zuyuan`, who declared her conflict
//!   with it. Round 1's 第二巡察组 gets three accounts of its own
//!   (`zuzhang2`, `fuzuzhang2`, `zuyuan2`) so it can sign its papers;
//! * three petitions about 白云镇 (no round's target): one under a 督办 past
//!   its reply deadline, one whose 催办 was answered, one just registered;
//!   and a working-day calendar for 2026 marked as demo data.

mod campaigns;
mod kin;
mod load;
mod names;
mod people;
mod petitions;
mod rng;
mod rounds;
mod units;

#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};

use crate::auth::Role;
use crate::registry::{Kinship, NewPerson, PostRank, Skill, UnitKind};

pub use load::{load, DemoSummary};

/// The password of every demo user (it satisfies the password policy).
pub const DEMO_PASSWORD: &str = "Xuncha@2026";

/// The seed used when none is given (`xuncha demo`).
pub const DEFAULT_SEED: u64 = 2026;

/// The date the demo county is generated "as of": current work-history
/// entries start before it, and the planted "worked there recently" entries
/// end in 2024–2025 so they stay inside a three-year recusal window until 2027.
pub const DEMO_TODAY: &str = "2026-11-01";

/// The name of the fictional county.
pub const COUNTY_NAME: &str = "云岭县";

/// How many persons the generator aims at (villagers fill up the rest).
const PERSONS_TARGET: usize = 2000;
/// How many kinship relations it creates (planted ones included).
const RELATIONS_TARGET: usize = 300;

/// A unit of the demo county. Units reference their parent by index into
/// [`DemoCounty::units`]; a parent always comes before its children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoUnit {
    /// Name, unique across the county.
    pub name: String,
    /// Kind.
    pub kind: UnitKind,
    /// Index of the parent unit; `None` for the root.
    pub parent: Option<usize>,
    /// Region code: 6 digits for the county, 9 for townships, 12 for villages.
    pub region_code: Option<String>,
    /// Budget in yuan, for departments, townships, villages, schools and enterprises.
    pub budget_yuan: Option<i64>,
}

/// A kinship relation between two persons (indices into [`DemoCounty::persons`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoRelation {
    /// The first person named by `detail` (the husband, the parent, the elder …).
    pub a: usize,
    /// The other person.
    pub b: usize,
    /// The recusal class.
    pub kinship: Kinship,
    /// The precise relation (夫妻, 父子, 兄妹, 叔侄, 翁婿, 连襟 …).
    pub detail: &'static str,
}

/// A period of work of a person in a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoWork {
    /// Index of the person.
    pub person: usize,
    /// Index of the unit.
    pub unit: usize,
    /// Position held.
    pub position: Option<String>,
    /// From `YYYY-MM-DD`.
    pub from: String,
    /// To `YYYY-MM-DD`; `None` for the current entry.
    pub to: Option<String>,
}

/// A post in a unit's leadership team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoPost {
    /// Index of the unit.
    pub unit: usize,
    /// Index of the person (who belongs to that unit).
    pub person: usize,
    /// Title (党组书记、局长 …).
    pub title: String,
    /// Rank.
    pub rank: PostRank,
}

/// A member of the inspector pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoInspector {
    /// Index of the person.
    pub person: usize,
    /// Index of the source department (the person's own unit).
    pub source_unit: Option<usize>,
    /// Skills, matching the source department.
    pub skills: Vec<Skill>,
    /// Rounds served, 0–8.
    pub rounds_served: i32,
}

/// A demo login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoUser {
    /// Login name (admin, office, leader, zuzhang …).
    pub username: String,
    /// Display name in Chinese.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Index of the unit the user is bound to; `None` for the administrator.
    pub unit: Option<usize>,
    /// Index of the person the user is (team roles only: an inspector of the pool).
    pub person: Option<usize>,
}

/// A conflict of interest planted on purpose, so the recusal engine has
/// something to find. Indices are into the [`DemoCounty`] vectors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlantedConflict {
    /// The inspector is a relative of someone working in `unit`.
    Kin {
        /// Index into [`DemoCounty::inspectors`].
        inspector: usize,
        /// Index of the relative in [`DemoCounty::persons`].
        relative: usize,
        /// Index of the relative's unit.
        unit: usize,
        /// The relative's rank in that unit's leadership; `None` for ordinary staff.
        rank: Option<PostRank>,
        /// The recusal class.
        kinship: Kinship,
        /// The precise relation.
        detail: &'static str,
    },
    /// The inspector worked in `unit` until `until` (then moved to the source department).
    FormerUnit {
        /// Index into [`DemoCounty::inspectors`].
        inspector: usize,
        /// Index of the former unit.
        unit: usize,
        /// Last day there, `YYYY-MM-DD`.
        until: String,
    },
}

/// A generated demo county.
#[derive(Debug, Clone)]
pub struct DemoCounty {
    /// Units, parents first.
    pub units: Vec<DemoUnit>,
    /// Persons; `unit_id` is `None` here and filled by [`load`] from [`DemoCounty::person_units`].
    pub persons: Vec<NewPerson>,
    /// The unit of each person (index into `units`), parallel to `persons`.
    pub person_units: Vec<Option<usize>>,
    /// Kinship relations.
    pub relations: Vec<DemoRelation>,
    /// Work history: one current entry per person in a unit, and earlier ones.
    pub work_history: Vec<DemoWork>,
    /// Leadership posts.
    pub posts: Vec<DemoPost>,
    /// The inspector pool.
    pub inspectors: Vec<DemoInspector>,
    /// One user per role.
    pub users: Vec<DemoUser>,
    /// The conflicts planted on purpose (others arise by chance).
    pub planted: Vec<PlantedConflict>,
}

impl DemoCounty {
    /// The index of the unit with this name.
    pub fn unit_index(&self, name: &str) -> Option<usize> {
        self.units.iter().position(|u| u.name == name)
    }

    /// The person holding the principal post of a unit.
    pub fn principal_of(&self, unit: usize) -> Option<usize> {
        self.posts
            .iter()
            .find(|p| p.unit == unit && p.rank == PostRank::Principal)
            .map(|p| p.person)
    }
}

/// Generates the demo county for `seed`. Pure and fast (a few milliseconds).
pub fn generate(seed: u64) -> DemoCounty {
    let mut b = Builder::new(seed);
    b.build_units();
    b.build_staff();
    b.build_inspectors();
    b.plant_conflicts();
    b.build_relations(RELATIONS_TARGET);
    b.top_up(PERSONS_TARGET);
    b.build_work_history();
    b.finish()
}

/// A person before their ID number is made (planting conflicts may still
/// change gender, surname and birth year).
#[derive(Debug, Clone)]
struct Draft {
    surname: &'static str,
    given: String,
    male: bool,
    year: i32,
    month: u8,
    day: u8,
    unit: Option<usize>,
    position: Option<String>,
    /// Region code of the ID number (place of first registration).
    region: &'static str,
    /// Rank of the leadership post held, if any.
    rank: Option<PostRank>,
    has_spouse: bool,
    has_father: bool,
    has_mother: bool,
}

/// Generation state shared by the steps in the submodules.
struct Builder {
    rng: rng::Rng,
    units: Vec<DemoUnit>,
    unit_by_name: HashMap<String, usize>,
    drafts: Vec<Draft>,
    /// Persons created as unit staff (`drafts[..staff_count]`).
    staff_count: usize,
    posts: Vec<DemoPost>,
    relations: Vec<DemoRelation>,
    pairs: HashSet<(usize, usize)>,
    work: Vec<DemoWork>,
    inspectors: Vec<DemoInspector>,
    planted: Vec<PlantedConflict>,
    /// Forced earlier entries: (person, unit, last month index of the entry).
    forced_prior: Vec<(usize, usize, i32)>,
}

impl Builder {
    fn new(seed: u64) -> Builder {
        Builder {
            rng: rng::Rng::new(seed),
            units: Vec::new(),
            unit_by_name: HashMap::new(),
            drafts: Vec::new(),
            staff_count: 0,
            posts: Vec::new(),
            relations: Vec::new(),
            pairs: HashSet::new(),
            work: Vec::new(),
            inspectors: Vec::new(),
            planted: Vec::new(),
            forced_prior: Vec::new(),
        }
    }

    /// The index of a unit the generator itself named.
    fn unit(&self, name: &str) -> usize {
        match self.unit_by_name.get(name) {
            Some(i) => *i,
            None => panic!("demo unit {name} is built before it is referenced"),
        }
    }

    /// The full name of a draft person.
    fn name_of(&self, p: usize) -> String {
        format!("{}{}", self.drafts[p].surname, self.drafts[p].given)
    }

    /// Builds the users and the final persons (with their ID numbers).
    fn finish(mut self) -> DemoCounty {
        let persons = self.make_persons();
        let users = self.make_users();
        DemoCounty {
            units: self.units,
            person_units: self.drafts.iter().map(|d| d.unit).collect(),
            persons,
            relations: self.relations,
            work_history: self.work,
            posts: self.posts,
            inspectors: self.inspectors,
            users,
            planted: self.planted,
        }
    }

    /// One user per role. Team users are inspectors of the pool: 组员 `zuyuan`
    /// is inspector 0, the one married to the 城关镇 party secretary (see
    /// [`Builder::plant_conflicts`]).
    fn make_users(&self) -> Vec<DemoUser> {
        let root = 0;
        let inspector = |i: usize| self.inspectors.get(i).map(|x| x.person);
        let name = |p: Option<usize>, label: &str| match p {
            Some(p) => format!("{label} {}", self.name_of(p)),
            None => label.to_owned(),
        };
        // (login, role, display name or its prefix, unit, person)
        let plan: [UserPlan<'_>; 12] = [
            ("admin", Role::Admin, "系统管理员", None, None),
            ("office", Role::Office, "巡察办 周敏", Some(root), None),
            (
                "leader",
                Role::LeadingGroup,
                "领导小组 刘建国",
                Some(root),
                None,
            ),
            (
                "zuzhang",
                Role::TeamLeader,
                "巡察组组长",
                Some(root),
                inspector(3),
            ),
            (
                "fuzuzhang",
                Role::TeamDeputy,
                "巡察组副组长",
                Some(root),
                inspector(12),
            ),
            (
                "zuyuan",
                Role::TeamMember,
                "巡察组组员",
                Some(root),
                inspector(0),
            ),
            (
                "jiwei",
                Role::Discipline,
                "纪委监委 赵立新",
                Some(root),
                None,
            ),
            (
                "zuzhibu",
                Role::Organisation,
                "组织部 孙丽华",
                Some(root),
                None,
            ),
            (
                "bumen",
                Role::Department,
                "财政局 陈平",
                Some(self.unit("云岭县财政局")),
                None,
            ),
            (
                "beixuncha",
                Role::InspectedUnit,
                "青石镇 吴涛",
                Some(self.unit("青石镇")),
                None,
            ),
            (
                "zoufang",
                Role::VisitingCadre,
                "走访干部 郑欣",
                Some(self.unit("城关镇")),
                None,
            ),
            (
                "jiancha",
                Role::Checker,
                "检查员 冯军",
                Some(self.unit("云岭县教育体育局")),
                None,
            ),
        ];
        plan.into_iter()
            .map(|(username, role, display, unit, person)| DemoUser {
                username: username.to_owned(),
                display_name: name(person, display),
                role,
                unit,
                person,
            })
            .collect()
    }

    /// Records a relation unless it is a self-relation or the pair exists.
    fn relate(&mut self, a: usize, b: usize, kinship: Kinship, detail: &'static str) -> bool {
        let key = (a.min(b), a.max(b));
        if a == b || !self.pairs.insert(key) {
            return false;
        }
        self.relations.push(DemoRelation {
            a,
            b,
            kinship,
            detail,
        });
        true
    }
}

/// A demo user before it is built: login, role, display name (or its
/// prefix, for team users), unit, person.
type UserPlan<'a> = (&'a str, Role, &'a str, Option<usize>, Option<usize>);

/// A month as a single number (`year * 12 + month - 1`), for date arithmetic.
fn month_index(year: i32, month: u8) -> i32 {
    year * 12 + i32::from(month) - 1
}

/// The first day of a month index, `YYYY-MM-01`.
fn first_day(m: i32) -> String {
    format!("{:04}-{:02}-01", m.div_euclid(12), m.rem_euclid(12) + 1)
}

/// The last day of a month index, `YYYY-MM-DD`.
fn last_day(m: i32) -> String {
    let (y, mo) = (m.div_euclid(12), m.rem_euclid(12) + 1);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let d = match mo {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    format!("{y:04}-{mo:02}-{d:02}")
}

/// The month index of [`DEMO_TODAY`].
const TODAY_MONTH: i32 = 2026 * 12 + 10;
