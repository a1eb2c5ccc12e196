//! The unit tree of 云岭县 and the titles of each unit's leadership team.

use super::names::{COUNTY_CODE, TOWNSHIPS};
use super::{Builder, DemoUnit};
use crate::registry::UnitKind;

/// 县委工作部门 (the discipline commission is listed with them).
const PARTY_DEPTS: &[&str] = &[
    "云岭县纪委监委",
    "中共云岭县委办公室",
    "中共云岭县委组织部",
    "中共云岭县委宣传部",
    "中共云岭县委统战部",
    "中共云岭县委政法委员会",
    "中共云岭县委机构编制委员会办公室",
    "中共云岭县委巡察工作领导小组办公室",
];

/// 县级机关部门 (government departments and directly affiliated bodies).
const GOV_DEPTS: &[&str] = &[
    "云岭县人民政府办公室",
    "云岭县发展和改革局",
    "云岭县财政局",
    "云岭县教育体育局",
    "云岭县民政局",
    "云岭县人力资源和社会保障局",
    "云岭县自然资源局",
    "云岭县住房和城乡建设局",
    "云岭县农业农村局",
    "云岭县卫生健康局",
    "云岭县审计局",
    "云岭县医疗保障局",
    "云岭县乡村振兴局",
    "云岭县公安局",
    "云岭县市场监督管理局",
];

/// Schools, under the education bureau.
const SCHOOLS: &[&str] = &[
    "云岭县第一中学",
    "云岭县第二中学",
    "云岭县职业高级中学",
    "云岭县实验小学",
];

/// County state enterprises.
const ENTERPRISES: &[&str] = &[
    "云岭县城市建设投资有限公司",
    "云岭县水务集团有限公司",
    "云岭县交通旅游投资有限公司",
];

/// The county hospital, under the health commission.
const HOSPITAL: &str = "云岭县人民医院";

/// Departments with large budgets (education, health, construction …).
const BIG_SPENDERS: &[&str] = &[
    "云岭县财政局",
    "云岭县教育体育局",
    "云岭县住房和城乡建设局",
    "云岭县农业农村局",
    "云岭县卫生健康局",
    "云岭县乡村振兴局",
    "云岭县公安局",
];

/// The titles of a leadership team: principal, deputies, members.
pub(super) struct TeamTitles {
    pub(super) principal: &'static str,
    pub(super) deputies: &'static [&'static str],
    pub(super) members: &'static [&'static str],
}

impl Builder {
    /// Adds a unit and returns its index.
    fn add_unit(
        &mut self,
        name: &str,
        kind: UnitKind,
        parent: Option<usize>,
        region_code: Option<String>,
        budget_wan: Option<(i32, i32)>,
    ) -> usize {
        let budget_yuan = budget_wan.map(|(lo, hi)| i64::from(self.rng.range(lo, hi)) * 10_000);
        self.units.push(DemoUnit {
            name: name.to_owned(),
            kind,
            parent,
            region_code,
            budget_yuan,
        });
        let i = self.units.len() - 1;
        self.unit_by_name.insert(name.to_owned(), i);
        i
    }

    /// Builds the fixed tree of 60 units (budgets vary with the seed).
    pub(super) fn build_units(&mut self) {
        let root = self.add_unit(
            "中共云岭县委",
            UnitKind::County,
            None,
            Some(COUNTY_CODE.to_owned()),
            None,
        );
        for name in PARTY_DEPTS {
            let budget = if name.contains("纪委") {
                (800, 2_000)
            } else {
                (200, 1_500)
            };
            self.add_unit(name, UnitKind::PartyDept, Some(root), None, Some(budget));
        }
        for name in GOV_DEPTS {
            let budget = if BIG_SPENDERS.contains(name) {
                (8_000, 60_000)
            } else {
                (800, 6_000)
            };
            self.add_unit(name, UnitKind::GovDept, Some(root), None, Some(budget));
        }
        let education = self.unit("云岭县教育体育局");
        for name in SCHOOLS {
            self.add_unit(
                name,
                UnitKind::School,
                Some(education),
                None,
                Some((800, 6_000)),
            );
        }
        let health = self.unit("云岭县卫生健康局");
        self.add_unit(
            HOSPITAL,
            UnitKind::Other,
            Some(health),
            None,
            Some((12_000, 30_000)),
        );
        for name in ENTERPRISES {
            self.add_unit(
                name,
                UnitKind::Enterprise,
                Some(root),
                None,
                Some((20_000, 200_000)),
            );
        }
        for (township, code, villages) in TOWNSHIPS {
            let t_code = format!("{COUNTY_CODE}{code}");
            let t = self.add_unit(
                township,
                UnitKind::Township,
                Some(root),
                Some(t_code.clone()),
                Some((3_000, 15_000)),
            );
            let (mut communities, mut rural) = (0, 0);
            for village in *villages {
                let (kind, code, budget) = if village.ends_with("社区") {
                    communities += 1;
                    (UnitKind::Community, communities, (20, 200))
                } else {
                    rural += 1;
                    (UnitKind::Village, 200 + rural, (30, 600))
                };
                self.add_unit(
                    village,
                    kind,
                    Some(t),
                    Some(format!("{t_code}{code:03}")),
                    Some(budget),
                );
            }
        }
    }

    /// How many persons work in a unit (leadership team included).
    pub(super) fn staff_size(&mut self, unit: usize) -> usize {
        let name = self.units[unit].name.as_str();
        let (lo, hi) = match self.units[unit].kind {
            UnitKind::County => (12, 12),
            UnitKind::PartyDept if name.contains("纪委") => (45, 45),
            UnitKind::PartyDept if name.ends_with("组织部") => (28, 28),
            UnitKind::PartyDept => (12, 24),
            UnitKind::GovDept if name.ends_with("公安局") => (90, 90),
            UnitKind::GovDept => (20, 40),
            UnitKind::Township => (55, 75),
            UnitKind::Village => (5, 8),
            UnitKind::Community => (6, 9),
            UnitKind::School => (70, 110),
            UnitKind::Enterprise => (35, 60),
            UnitKind::Other => (110, 110),
        };
        self.rng.range(lo, hi) as usize
    }
}

/// The titles of a unit's leadership team, by kind and name.
pub(super) fn team_titles(unit: &DemoUnit) -> TeamTitles {
    let name = unit.name.as_str();
    let (principal, deputies, members): (&str, &[&str], &[&str]) = match unit.kind {
        UnitKind::County => (
            "县委书记",
            &["县委副书记、县长", "县委副书记", "县委常委、常务副县长"],
            &["县委常委", "县委常委"],
        ),
        UnitKind::PartyDept if name.contains("纪委") => (
            "县委常委、县纪委书记、县监委主任",
            &["县纪委副书记、县监委副主任"; 3],
            &["县纪委常委", "县监委委员"],
        ),
        UnitKind::PartyDept if name.ends_with("组织部") => (
            "县委常委、组织部部长",
            &["常务副部长", "副部长", "副部长"],
            &["部务委员"],
        ),
        UnitKind::PartyDept if name.ends_with("宣传部") => (
            "县委常委、宣传部部长",
            &["常务副部长", "副部长"],
            &["部务委员"],
        ),
        UnitKind::PartyDept if name.ends_with("统战部") => (
            "县委常委、统战部部长",
            &["常务副部长", "副部长"],
            &["部务委员"],
        ),
        UnitKind::PartyDept if name.ends_with("政法委员会") => (
            "县委常委、政法委书记",
            &["政法委副书记", "政法委副书记"],
            &["政法委委员"],
        ),
        UnitKind::PartyDept | UnitKind::GovDept if name.ends_with("办公室") => {
            ("主任", &["副主任"; 3], &["四级调研员"])
        }
        UnitKind::GovDept if name.ends_with("公安局") => (
            "党委书记、局长",
            &["党委副书记、政委", "党委委员、副局长", "党委委员、副局长"],
            &["党委委员、交警大队大队长", "党委委员、刑侦大队大队长"],
        ),
        UnitKind::PartyDept | UnitKind::GovDept => (
            "党组书记、局长",
            &["党组成员、副局长"; 3],
            &["党组成员", "派驻纪检监察组组长"],
        ),
        UnitKind::Township if name.ends_with('乡') => (
            "党委书记",
            &["党委副书记、乡长", "党委副书记", "副乡长"],
            &["党委委员、纪委书记", "党委委员、组织委员"],
        ),
        UnitKind::Township => (
            "党委书记",
            &["党委副书记、镇长", "党委副书记", "副镇长"],
            &["党委委员、纪委书记", "党委委员、组织委员"],
        ),
        UnitKind::Village => (
            "党支部书记、村委会主任",
            &["党支部副书记", "村委会副主任"],
            &["村委委员"; 2],
        ),
        UnitKind::Community => (
            "党委书记、居委会主任",
            &["党委副书记", "居委会副主任"],
            &["居委委员"; 2],
        ),
        UnitKind::School => (
            "党总支书记、校长",
            &["副校长"; 3],
            &["工会主席", "党总支委员"],
        ),
        UnitKind::Enterprise => (
            "党委书记、董事长",
            &["党委副书记、总经理", "副总经理", "副总经理"],
            &["监事会主席", "财务总监"],
        ),
        UnitKind::Other => (
            "党委书记",
            &["党委副书记、院长", "副院长", "副院长"],
            &["党委委员、纪委书记", "总会计师"],
        ),
    };
    TeamTitles {
        principal,
        deputies,
        members,
    }
}
