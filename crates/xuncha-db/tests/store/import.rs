//! Imports: the store's upsert and chunking, and the import use case that
//! applies a whole file or nothing.

use std::sync::Arc;

use xuncha_core::auth::Role;
use xuncha_core::import::{ImportKind, RawRow, RawTable};
use xuncha_core::policy::Scope;
use xuncha_core::registry::{Kinship, PageRequest, PersonFilter, UnitKind};
use xuncha_core::store::Store;
use xuncha_core::usecases::import::import;
use xuncha_core::{CoreError, FieldError};

use crate::helpers::{actor, id_number, new_person, nth_id_number, TestDb};

/// A table as a spreadsheet reader would give it: the header on line 1.
fn table(headers: &[&str], rows: &[&[&str]]) -> RawTable {
    RawTable {
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, cells)| RawRow {
                line: i + 2,
                cells: cells.iter().map(|c| c.to_string()).collect(),
            })
            .collect(),
    }
}

async fn person_count(store: &dyn Store) -> i64 {
    store.counts(&Scope::all()).await.unwrap().persons
}

fn invalid(r: Result<xuncha_core::import::ImportReport, CoreError>) -> Vec<FieldError> {
    match r {
        Err(CoreError::Invalid(v)) => v,
        other => panic!("expected the file to be refused, got {other:?}"),
    }
}

store_test!(importing_people_twice_updates_by_id_number);
async fn importing_people_twice_updates_by_id_number(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let town = ctx.unit(Some(&root), "青石镇", UnitKind::Township).await;
    let first = [
        new_person("张三", Some(&nth_id_number(1)), Some(root.id)),
        new_person("李四", Some(&nth_id_number(2)), Some(root.id)),
        new_person("王五", Some(&nth_id_number(3)), None),
    ];
    let mut moved = new_person("张三", Some(&nth_id_number(1)), Some(town.id));
    moved.position = Some("镇长".into());
    let second = [
        moved,
        new_person("李肆", Some(&nth_id_number(2)), Some(root.id)),
        new_person("赵六", Some(&nth_id_number(4)), Some(town.id)),
    ];

    // Act
    let r1 = store.import_people(&first, &ctx.meta()).await.unwrap();
    let r2 = store.import_people(&second, &ctx.meta()).await.unwrap();
    let found = store
        .persons_by_id_numbers(&[nth_id_number(1), nth_id_number(2)])
        .await
        .unwrap();

    // Assert
    assert_eq!((r1.created, r1.updated), (3, 0));
    assert_eq!((r2.created, r2.updated), (1, 2));
    assert_eq!(person_count(store.as_ref()).await, 4);
    let zhang = store.get_person(found[&nth_id_number(1)].0).await.unwrap();
    assert_eq!(zhang.unit_id, Some(town.id));
    assert_eq!(zhang.unit_path.as_deref(), Some(town.path.as_str()));
    assert_eq!(zhang.position.as_deref(), Some("镇长"));
    assert_eq!(
        store
            .get_person(found[&nth_id_number(2)].0)
            .await
            .unwrap()
            .name,
        "李肆"
    );
    let last = store
        .audit_page(PageRequest::new(Some(1), Some(1)))
        .await
        .unwrap();
    assert_eq!(last.items[0].action, "import.people");
    let after: serde_json::Value =
        serde_json::from_str(last.items[0].after.as_deref().unwrap()).unwrap();
    assert_eq!(
        (after["created"].as_i64(), after["updated"].as_i64()),
        (Some(1), Some(2))
    );
}

store_test!(importing_1200_people_crosses_the_500_row_chunks);
async fn importing_1200_people_crosses_the_500_row_chunks(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let rows = |range: std::ops::Range<usize>, tag: &str| -> Vec<_> {
        range
            .map(|i| new_person(&format!("{tag}{i}"), Some(&nth_id_number(i)), Some(root.id)))
            .collect()
    };
    let head_before = store.audit_head().await.unwrap().0;

    // Act
    let r1 = store
        .import_people(&rows(0..1200, "甲"), &ctx.meta())
        .await
        .unwrap();
    // Half of these exist (600..1200), half are new (1200..1800), and the
    // existing ones straddle the chunk boundaries of both imports.
    let r2 = store
        .import_people(&rows(600..1800, "乙"), &ctx.meta())
        .await
        .unwrap();
    let listed = store
        .list_persons(
            &Scope::all(),
            &PersonFilter::default(),
            PageRequest::new(Some(4), Some(500)),
        )
        .await
        .unwrap();
    let renamed = store
        .list_persons(
            &Scope::all(),
            &PersonFilter {
                q: Some("乙".into()),
                unit_id: None,
                ..Default::default()
            },
            PageRequest::new(Some(1), Some(1)),
        )
        .await
        .unwrap();

    // Assert
    assert_eq!((r1.created, r1.updated), (1200, 0));
    assert_eq!((r2.created, r2.updated), (600, 600));
    assert_eq!(listed.total, 1800);
    assert_eq!(
        listed.items.len(),
        300,
        "the fourth page of 500 holds the last 300"
    );
    assert_eq!(
        renamed.total, 1200,
        "the 600 updated rows took the new names"
    );
    assert_eq!(
        store.audit_head().await.unwrap().0,
        head_before + 2,
        "one audit record per import, not per row"
    );
}

store_test!(a_people_file_with_bad_rows_applies_nothing_and_names_each_problem);
async fn a_people_file_with_bad_rows_applies_nothing_and_names_each_problem(
    store: Arc<dyn Store>,
    ctx: &TestDb,
) {
    // Arrange
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    ctx.unit(Some(&root), "县财政局", UnitKind::GovDept).await;
    let good_a = id_number("19800131", 11);
    let good_b = id_number("19810202", 22);
    let mut bad_checksum = id_number("19820303", 33);
    let last = bad_checksum.pop().unwrap();
    bad_checksum.push(if last == '0' { '1' } else { '0' });
    let file = table(
        &["序号", "姓名", "公民身份号码", "工作单位"],
        &[
            &["1", "张三", &good_a, "县财政局"],
            &["2", "李四", &bad_checksum, "县财政局"],
            &["3", "王五", &good_b, "县不存在局"],
            &["4", "张三", &good_a, "县财政局"],
            &["5", "赵六", &id_number("19830404", 44), "县财政局"],
        ],
    );
    let head_before = store.audit_head().await.unwrap();

    // Act
    let errors = invalid(
        import(
            store.as_ref(),
            ctx.clock.as_ref(),
            &actor(Role::Admin, None),
            ImportKind::People,
            &file,
        )
        .await,
    );

    // Assert
    let found: Vec<(Option<usize>, Option<&str>)> = errors
        .iter()
        .map(|e| (e.row, e.column.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (Some(3), Some("公民身份号码")),
            (Some(4), Some("工作单位")),
            (Some(5), Some("公民身份号码"))
        ],
        "{errors:#?}"
    );
    assert!(
        errors[0].message.contains("校验位"),
        "{}",
        errors[0].message
    );
    assert!(
        errors[1].message.contains("县不存在局"),
        "{}",
        errors[1].message
    );
    assert!(errors[2].message.contains("第2行"), "{}", errors[2].message);
    assert_eq!(
        errors[0].to_string().split('：').next(),
        Some("第3行「公民身份号码」列")
    );
    assert_eq!(person_count(store.as_ref()).await, 0, "nothing was applied");
    assert_eq!(
        store.audit_head().await.unwrap(),
        head_before,
        "nothing was audited"
    );
}

store_test!(a_good_people_file_is_imported_and_reports_ignored_columns);
async fn a_good_people_file_is_imported_and_reports_ignored_columns(
    store: Arc<dyn Store>,
    ctx: &TestDb,
) {
    // Arrange
    let root = ctx.unit(None, "中共测试县委", UnitKind::County).await;
    let town = ctx.unit(Some(&root), "青石镇", UnitKind::Township).await;
    let a = id_number("19800131", 11);
    let b = id_number("19810202", 22);
    let file = |position: &str| {
        table(
            &[
                "序号",
                "*姓 名",
                "身份证号码（18位）",
                "所在单位",
                "现任职务",
                "备注",
            ],
            &[
                &["1", "张三", &a, "青石镇", position, ""],
                &["2", "李四", &b, "中共测试县委/青石镇", "", "x"],
            ],
        )
    };
    let office = actor(Role::Office, Some(&town));

    // Act
    let r1 = import(
        store.as_ref(),
        ctx.clock.as_ref(),
        &office,
        ImportKind::People,
        &file("镇长"),
    )
    .await
    .unwrap();
    let r2 = import(
        store.as_ref(),
        ctx.clock.as_ref(),
        &office,
        ImportKind::People,
        &file("书记"),
    )
    .await
    .unwrap();
    let found = store
        .persons_by_id_numbers(std::slice::from_ref(&a))
        .await
        .unwrap();

    // Assert
    assert_eq!((r1.created, r1.updated), (2, 0));
    assert_eq!((r2.created, r2.updated), (0, 2));
    assert_eq!(r1.unmapped_headers, ["序号", "备注"]);
    let zhang = store.get_person(found[&a].0).await.unwrap();
    assert_eq!(zhang.position.as_deref(), Some("书记"));
    assert_eq!(zhang.unit_id, Some(town.id));
    assert_eq!(person_count(store.as_ref()).await, 2);
}

store_test!(imports_check_role_columns_and_jurisdiction);
async fn imports_check_role_columns_and_jurisdiction(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let town = ctx.unit(Some(&root), "青石镇", UnitKind::Township).await;
    ctx.unit(Some(&root), "县财政局", UnitKind::GovDept).await;
    let people = table(
        &["姓名", "身份证号", "工作单位"],
        &[&["张三", &nth_id_number(1), "县财政局"]],
    );
    let no_name = table(
        &["身份证号", "工作单位"],
        &[&[&nth_id_number(1), "县财政局"]],
    );
    let empty = table(&["姓名"], &[]);

    // Act
    let member = import(
        store.as_ref(),
        ctx.clock.as_ref(),
        &actor(Role::TeamMember, Some(&root)),
        ImportKind::People,
        &people,
    )
    .await;
    let outside = import(
        store.as_ref(),
        ctx.clock.as_ref(),
        &actor(Role::Office, Some(&town)),
        ImportKind::People,
        &people,
    )
    .await;
    let missing_column = import(
        store.as_ref(),
        ctx.clock.as_ref(),
        &actor(Role::Admin, None),
        ImportKind::People,
        &no_name,
    )
    .await;
    let no_rows = import(
        store.as_ref(),
        ctx.clock.as_ref(),
        &actor(Role::Admin, None),
        ImportKind::People,
        &empty,
    )
    .await;

    // Assert
    assert!(matches!(member, Err(CoreError::Forbidden)), "{member:?}");
    let e = invalid(outside);
    assert_eq!(
        (e[0].row, e[0].column.as_deref()),
        (Some(2), Some("工作单位"))
    );
    assert!(
        e[0].message.contains("不在您的管辖范围内"),
        "{}",
        e[0].message
    );
    let e = invalid(missing_column);
    assert_eq!((e[0].field.as_str(), e[0].row), ("name", Some(1)));
    assert!(e[0].message.contains("姓名"));
    assert!(matches!(no_rows, Err(CoreError::Invalid(_))));
    assert_eq!(person_count(store.as_ref()).await, 0);
}

store_test!(a_units_file_may_name_earlier_rows_as_parents);
async fn a_units_file_may_name_earlier_rows_as_parents(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange
    let root = ctx.unit(None, "中共测试县委", UnitKind::County).await;
    let file = table(
        &[
            "单位名称",
            "上级单位",
            "单位类型",
            "行政区划代码",
            "年度预算（元）",
        ],
        &[
            &["青石镇", "中共测试县委", "乡镇", "530102001", "12,000,000"],
            &["青石村", "青石镇", "村", "530102001001", ""],
            &["青石社区", "青石镇", "社区", "", ""],
            &["青石村小学", "青石村", "学校", "", "800000"],
        ],
    );

    // Act
    let report = import(
        store.as_ref(),
        ctx.clock.as_ref(),
        &actor(Role::Admin, None),
        ImportKind::Units,
        &file,
    )
    .await
    .unwrap();
    let all = store.all_units(&Scope::all()).await.unwrap();

    // Assert
    assert_eq!(report.created, 4);
    let by_name = |n: &str| all.iter().find(|u| u.name == n).unwrap().clone();
    let town = by_name("青石镇");
    let village = by_name("青石村");
    let school = by_name("青石村小学");
    assert_eq!(town.parent_id, Some(root.id));
    assert_eq!(town.budget_yuan, Some(12_000_000));
    assert_eq!(town.kind, UnitKind::Township);
    assert_eq!(village.path, format!("{}{}/", town.path, village.id));
    assert_eq!(by_name("青石社区").parent_id, Some(town.id));
    assert_eq!(school.path, format!("{}{}/", village.path, school.id));
    assert_eq!(school.depth, 3);
    let last = store
        .audit_page(PageRequest::new(Some(1), Some(1)))
        .await
        .unwrap();
    assert_eq!(last.items[0].action, "import.units");
}

store_test!(a_units_file_with_bad_rows_creates_no_unit);
async fn a_units_file_with_bad_rows_creates_no_unit(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let town = ctx.unit(Some(&root), "青石镇", UnitKind::Township).await;
    let file = table(
        &["单位名称", "上级单位", "单位类型"],
        &[
            &["一村", "青石镇", "村"],
            &["二村", "白沙镇", "村"],
            &["一村", "青石镇", "村"],
            &["三村", "青石镇", "星球"],
        ],
    );
    let unbound_root = table(&["单位名称", "单位类型"], &[&["新县委", "县委"]]);

    // Act
    let errors = invalid(
        import(
            store.as_ref(),
            ctx.clock.as_ref(),
            &actor(Role::Admin, None),
            ImportKind::Units,
            &file,
        )
        .await,
    );
    let office_root = invalid(
        import(
            store.as_ref(),
            ctx.clock.as_ref(),
            &actor(Role::Office, Some(&town)),
            ImportKind::Units,
            &unbound_root,
        )
        .await,
    );

    // Assert
    let found: Vec<(Option<usize>, Option<&str>)> = errors
        .iter()
        .map(|e| (e.row, e.column.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (Some(3), Some("上级单位")),
            (Some(4), Some("单位名称")),
            (Some(5), Some("单位类型"))
        ],
        "{errors:#?}"
    );
    assert!(errors[1].message.contains("第2行"));
    assert!(
        office_root[0].message.contains("不在您的管辖范围内"),
        "{office_root:?}"
    );
    assert_eq!(store.all_units(&Scope::all()).await.unwrap().len(), 2);
}

store_test!(a_relations_file_links_persons_by_id_number);
async fn a_relations_file_links_persons_by_id_number(store: Arc<dyn Store>, ctx: &TestDb) {
    // Arrange
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let ids: Vec<String> = (0..3).map(nth_id_number).collect();
    let people: Vec<_> = ["张父", "张子", "李妻"]
        .iter()
        .zip(&ids)
        .map(|(n, i)| new_person(n, Some(i), Some(root.id)))
        .collect();
    store.import_people(&people, &ctx.meta()).await.unwrap();
    let headers = [
        "本人姓名",
        "本人身份证号",
        "亲属姓名",
        "亲属身份证号",
        "关系",
        "称谓",
    ];
    let good = table(
        &headers,
        &[
            &["张父", &ids[0], "张子", &ids[1], "直系血亲关系", "父子"],
            &["张子", &ids[1], "李妻", &ids[2], "夫妻", "夫妻"],
        ],
    );
    let unknown = nth_id_number(500);
    let bad = table(
        &headers,
        &[
            &["张父", &ids[0], "某人", &unknown, "夫妻", ""],
            &["张父", &ids[0], "张父", &ids[0], "夫妻", ""],
            &["张父", &ids[0], "李妻", &ids[2], "朋友", ""],
        ],
    );
    let admin = actor(Role::Admin, None);

    // Act
    let report = import(
        store.as_ref(),
        ctx.clock.as_ref(),
        &admin,
        ImportKind::Relations,
        &good,
    )
    .await
    .unwrap();
    let errors = invalid(
        import(
            store.as_ref(),
            ctx.clock.as_ref(),
            &admin,
            ImportKind::Relations,
            &bad,
        )
        .await,
    );
    let found = store.persons_by_id_numbers(&ids).await.unwrap();
    let of_son = store.relations_of(found[&ids[1]].0).await.unwrap();

    // Assert
    assert_eq!(report.created, 2);
    let kinds: Vec<(Kinship, Option<&str>)> = of_son
        .iter()
        .map(|r| (r.kind, r.detail.as_deref()))
        .collect();
    assert_eq!(
        kinds,
        [
            (Kinship::Lineal, Some("父子")),
            (Kinship::Spouse, Some("夫妻"))
        ]
    );
    let rows: Vec<(Option<usize>, Option<&str>)> = errors
        .iter()
        .map(|e| (e.row, e.column.as_deref()))
        .collect();
    assert_eq!(
        rows,
        [
            (Some(2), Some("亲属身份证号")),
            (Some(3), Some("亲属身份证号")),
            (Some(4), Some("关系"))
        ],
        "{errors:#?}"
    );
    assert!(errors[0].message.contains(&unknown));
    assert_eq!(
        store.relations_of(found[&ids[0]].0).await.unwrap().len(),
        1,
        "nothing more was applied"
    );
}

store_test!(one_import_call_with_a_repeated_id_number_is_refused_whole);
async fn one_import_call_with_a_repeated_id_number_is_refused_whole(
    store: Arc<dyn Store>,
    ctx: &TestDb,
) {
    // Arrange: the use case refuses such files, but the port takes any rows.
    let root = ctx.unit(None, "县委", UnitKind::County).await;
    let rows = [
        new_person("张三", Some(&nth_id_number(1)), Some(root.id)),
        new_person("张叁", Some(&nth_id_number(1)), Some(root.id)),
    ];

    // Act
    let result = store.import_people(&rows, &ctx.meta()).await;

    // Assert: like every other duplicate ID number, a conflict, on both backends.
    assert!(
        matches!(result, Err(xuncha_core::StoreError::Conflict(_))),
        "{:?}: {result:?}",
        store.backend()
    );
    assert_eq!(person_count(store.as_ref()).await, 0);
}
