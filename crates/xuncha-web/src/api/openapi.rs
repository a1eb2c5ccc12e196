//! The OpenAPI 3.1 document of `/api/v1/`. [`ROUTES`] lists every route the
//! API router serves; a test checks each one is documented, so the document
//! stays complete as the API grows.

use axum::Json;
use serde_json::{json, Value};

/// Every (method, path) the API serves, in OpenAPI path syntax.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/openapi.json"),
    ("get", "/units"),
    ("post", "/units"),
    ("get", "/units/{id}"),
    ("get", "/persons"),
    ("post", "/persons"),
    ("get", "/persons/{id}"),
    ("get", "/search"),
    ("get", "/rounds"),
    ("post", "/rounds"),
    ("get", "/rounds/{id}"),
    ("get", "/rounds/{id}/circular"),
    ("get", "/rounds/{id}/ledger/{kind}"),
    ("post", "/rounds/{id}/targets"),
    ("post", "/rounds/{id}/teams"),
    ("post", "/teams/{id}/members"),
    ("get", "/targets/{id}"),
    ("post", "/targets/{id}/team"),
    ("post", "/targets/{id}/fieldwork"),
    ("post", "/targets/{id}/papers"),
    ("post", "/targets/{id}/clues"),
    ("post", "/targets/{id}/reports"),
    ("post", "/targets/{id}/feedback"),
    ("get", "/targets/{id}/rectification"),
    ("post", "/targets/{id}/rect-items"),
    ("post", "/papers/{id}/steps"),
    ("post", "/reports/{id}/submit"),
    ("post", "/reports/{id}/decision"),
    ("get", "/transfers"),
    ("post", "/transfers"),
    ("post", "/transfers/{id}/receive"),
    ("post", "/transfers/{id}/disposal"),
    ("post", "/rect-items/{id}/progress"),
    ("post", "/rect-items/{id}/verification"),
    ("get", "/public/tips/challenge"),
    ("post", "/public/tips"),
    ("post", "/public/tips/receipt"),
    ("post", "/public/surveys/answer"),
    ("get", "/tips"),
    ("get", "/tips/{id}"),
    ("get", "/surveys"),
    ("get", "/surveys/{id}/results"),
    ("get", "/collide/datasets"),
    ("post", "/collide/datasets"),
    ("post", "/collide/datasets/registry"),
    ("delete", "/collide/datasets/{name}"),
    ("get", "/collide/datasets/{name}/problems"),
    ("get", "/collide/rules"),
    ("post", "/collide/rules"),
    ("post", "/collide/rules/preview"),
    ("delete", "/collide/rules/{rule}"),
    ("post", "/collide/runs"),
    ("get", "/collide/runs/{id}"),
    ("get", "/collide/hits"),
    ("get", "/collide/hits/{id}"),
    ("post", "/collide/hits/{id}/triage"),
    ("post", "/collide/hits/{id}/clue"),
    ("post", "/collide/hits/{id}/paper"),
    ("get", "/campaigns"),
    ("get", "/campaigns/{id}"),
    ("get", "/campaigns/{id}/targets"),
    ("get", "/campaigns/{id}/households"),
    ("get", "/campaigns/{id}/followups"),
    ("post", "/campaigns/targets/{id}/inspections"),
    ("post", "/campaigns/households/{id}/visits"),
    ("get", "/campaigns/followups/{id}"),
    ("post", "/campaigns/followups/{id}"),
];

/// The round's paths: (path, method, summary, request body fields, response
/// status). Bodies and answers are described as open objects whose fields
/// are named in the summary; the page forms use the same names.
const ROUND_PATHS: &[(&str, &str, &str, &str)] = &[
    ("/rounds", "get", "巡察轮次列表（巡察组仅见本组参加的轮次）", ""),
    ("/rounds", "post", "新建巡察轮次", "term, number, kind, title, start_date, end_date"),
    ("/rounds/{id}", "get", "轮次详情：巡察对象、巡察组、组员、回避事项", ""),
    ("/rounds/{id}/circular", "get", "巡察情况通报的各项数字（由记录自动汇总）", ""),
    ("/rounds/{id}/ledger/{kind}", "get", "台账分页：kind 为 paper、clue、transfer、rect-item、fieldwork、report、accountability", ""),
    ("/rounds/{id}/targets", "post", "添加巡察对象", "unit_id"),
    ("/rounds/{id}/teams", "post", "新建巡察组", "name"),
    ("/teams/{id}/members", "post", "配备组员（自动回避审查：硬性回避拒绝，一般利害关系待决定）", "inspector_id, role(leader|deputy|member)"),
    ("/targets/{id}", "get", "巡察组工作台：情况通报、工作记录、方式使用情况、未谈话班子成员、底稿、线索", ""),
    ("/targets/{id}/team", "post", "为巡察对象分配巡察组（对全体组员做回避审查）", "team_id"),
    ("/targets/{id}/fieldwork", "post", "新增工作记录（13种方式）；answer 含提醒 warnings", "method, date, place, participants, notes, talked_name, petition_count, petition_domain, undercover"),
    ("/targets/{id}/papers", "post", "新建问题底稿", "category, source, summary, facts, basis"),
    ("/targets/{id}/clues", "post", "新建问题线索", "title, summary, grade, persons（每行：姓名 职务）, paper_id"),
    ("/targets/{id}/reports", "post", "根据已审定底稿生成报告草稿", "kind(final|midterm|topic)"),
    ("/targets/{id}/feedback", "post", "登记反馈意见及签收（先主要负责人，后领导班子）", "opinion, principal_date, team_date, receipt_by, receipt_date"),
    ("/targets/{id}/rectification", "get", "整改情况：反馈意见、集中整改期限、问题任务责任清单、问责", ""),
    ("/targets/{id}/rect-items", "post", "新增整改事项（被巡察单位或巡察办）", "paper_id, problem, measures, responsible, kind, deadline"),
    ("/papers/{id}/steps", "post", "底稿签批：两名承办人签名 → 副组长审核 → 组长审定，或退回", "step(sign|review|approve|return), reason"),
    ("/reports/{id}/submit", "post", "组长报领导小组审议", ""),
    ("/reports/{id}/decision", "post", "领导小组审议：通过或退回（退回须说明理由，重新进入了解阶段）", "approve, reason"),
    ("/transfers", "get", "移交事项：纪委监委、组织部、职能部门只见移交给本单位的事项", ""),
    ("/transfers", "post", "移交问题线索或已审定底稿（改变建议对象须说明理由）", "record_id, receiver, receiver_unit_id, change_reason"),
    ("/transfers/{id}/receive", "post", "签收移交事项", ""),
    ("/transfers/{id}/disposal", "post", "反馈处置结果", "disposal, four_forms, feedback"),
    ("/rect-items/{id}/progress", "post", "报送整改进展（done 为 true 时申请验收）", "note, done, evidence"),
    ("/rect-items/{id}/verification", "post", "验收整改事项：通过销号或退回", "accept, reason"),
];

/// Intake: public endpoints (no account; nothing about the caller is kept)
/// and the handlers' lists, in the same form as [`ROUND_PATHS`].
const INTAKE_PATHS: &[(&str, &str, &str, &str)] = &[
    (
        "/public/tips/challenge",
        "get",
        "公开：获取防刷校验题（token、bits）；需找到 nonce 使 SHA-256(token:nonce) 前 bits 位为0",
        "",
    ),
    (
        "/public/tips",
        "post",
        "公开：提交群众举报（JSON 仅文字；带照片时用 multipart/form-data，字段相同，照片字段 photos 可重复，最多6张，每张不超过附件大小上限，服务器重新编码并去除 EXIF、GPS 等元数据；不记录 IP 和设备信息）；answer 为一次性显示的回执码 receipt_code",
        "target_id, body, named, name, contact, pow_token, pow_nonce, photos（仅 multipart）",
    ),
    (
        "/public/tips/receipt",
        "post",
        "公开：凭回执码查询办理状态和留言",
        "code",
    ),
    (
        "/public/surveys/answer",
        "post",
        "公开：凭测评码提交问卷；answers 的字段名同网页（q0s1、q1、q2o0）",
        "code, answers",
    ),
    (
        "/tips",
        "get",
        "群众举报列表（巡察组仅见本组对象；不含举报人信息）",
        "",
    ),
    (
        "/tips/{id}",
        "get",
        "群众举报详情及往来留言（不含举报人信息）",
        "",
    ),
    (
        "/surveys",
        "get",
        "问卷列表（巡察组不见对本组的作风评价）",
        "",
    ),
    (
        "/surveys/{id}/results",
        "get",
        "问卷结果：逐项票数、有效票、得分、各评价对象综合得分、意见建议",
        "",
    ),
];

/// The cross-checks (office and discipline commission only), in the same
/// form as [`ROUND_PATHS`].
const COLLIDE_PATHS: &[(&str, &str, &str, &str)] = &[
    ("/collide/datasets", "get", "已导入的名册及其来源（来源单位、文件、导入人、时间）", ""),
    (
        "/collide/datasets",
        "post",
        "导入名册（multipart/form-data）：按常见表头自动对应，mapping 可更正；逐行问题随名册保存，answer 为导入结果和问题清单",
        "file, kind(subsidy|payroll|village-cadre|deceased|vehicle|property|company|relatives|generic), name, source, mapping（JSON 对象，项目→表头，空表头表示不导入）",
    ),
    ("/collide/datasets/registry", "post", "从本辖区人员库生成比对名册：村社区干部、机关企事业单位人员、亲属关系（再次生成替换上次的名册）", ""),
    ("/collide/datasets/{name}", "delete", "删除名册（已记录的碰撞结果保留）", ""),
    ("/collide/datasets/{name}/problems", "get", "名册导入时发现的问题（行、列、原因）", ""),
    ("/collide/rules", "get", "比对规则：内置模板（依据、所需名册、参数、SQL）和自定义规则", ""),
    ("/collide/rules", "post", "保存自定义规则：一条只读查询，须返回 subject_name 列", "id, title, basis, sql"),
    ("/collide/rules/preview", "post", "试运行 SQL（不保存结果）：前50条命中和总数", "sql"),
    ("/collide/rules/{rule}", "delete", "删除自定义规则（已记录的碰撞结果保留）", ""),
    ("/collide/runs", "post", "开始比对（后台运行，202 返回 id）；rules 为空运行全部规则；params 为各模板参数 {规则: {参数: 值}}", "rules, params"),
    ("/collide/runs/{id}", "get", "比对进度与结果：done/total、运行与跳过的规则、新发现/仍存在/已消失（仅发起人可查）", ""),
    ("/collide/hits", "get", "碰撞结果（可按 rule、state、change 筛选，分页）", ""),
    ("/collide/hits/{id}", "get", "碰撞结果详情及依据", ""),
    ("/collide/hits/{id}/triage", "post", "核实：state 为 pending、confirmed、unfounded（不属实须写明理由）", "state, note, version"),
    ("/collide/hits/{id}/clue", "post", "将已核实属实的结果转为巡察对象的问题线索，answer 含 clue_id", "target_id, grade"),
    ("/collide/hits/{id}/paper", "post", "将已核实属实的结果写成巡察对象的问题底稿（来源：数据比对；证据和核实情况写入事实），answer 含 paper_id", "target_id, category, basis"),
];

/// Field campaigns (检查活动、走访活动), in the same form as [`ROUND_PATHS`].
const CAMPAIGN_PATHS: &[(&str, &str, &str, &str)] = &[
    (
        "/campaigns",
        "get",
        "检查与走访活动列表（巡察办、领导小组见管辖范围内的活动；工作队队员只见本队参加的活动）",
        "",
    ),
    (
        "/campaigns/{id}",
        "get",
        "活动进度与覆盖：campaign、access、leaves（应查房间或应访户数）、done（已完成）、各工作队 teams、逐日 days、未办结 open_followups、逾期 overdue_followups、在押物品 held_items、按日计划 plan（day、targets 含 complete 与 overdue 逾期未查/未走访、complete、overdue）、对象树 targets（队员仅见本队对象，回避的村不列出）",
        "",
    ),
    (
        "/campaigns/{id}/targets",
        "get",
        "对象分页（楼栋、楼层、房间或乡镇、村）：按树序；team 仅限本人可见范围内筛选；answer 为 items、page、per_page、has_more",
        "",
    ),
    (
        "/campaigns/{id}/households",
        "get",
        "农户分页：q 为户主姓名前缀或身份证号前缀，area 为村的对象 id，team 为工作队 id（队员固定为本队）；身份证号按权限脱敏；最多翻到前5000条",
        "",
    ),
    (
        "/campaigns/{id}/followups",
        "get",
        "诉求与隐患分页（按期限）：kind 为 demand 或 hazard，status 为 open、doing、done，overdue=1 仅列逾期，team 为工作队 id；每条带 overdue",
        "",
    ),
    (
        "/campaigns/targets/{id}/inspections",
        "post",
        "登记房间检查（与手机页面相同的校验）；marks 按检查项顺序，每项一个分数或 1/0；同一 client_key 重发只保存一次：首次 201，重发 200；answer 为 record_id、created",
        "client_key（8–64位字母数字或-）, day, marks, other_hazard, present, outsiders, note, items（item, owner, quantity）",
    ),
    (
        "/campaigns/households/{id}/visits",
        "post",
        "登记入户走访及诉求（与手机页面相同的校验）；answers 按问题顺序；经纬度仅在 consent 为 true 时保存；同一 client_key 重发只保存一次：首次 201，重发 200",
        "client_key, day, answers, met, note, consent, lat, lon, demands（category, content, department）",
    ),
    (
        "/campaigns/followups/{id}",
        "get",
        "一条诉求或隐患（含 overdue）",
        "",
    ),
    (
        "/campaigns/followups/{id}",
        "post",
        "办理诉求或隐患：办结须填写办理结果，诉求办结还须填写群众满意度（satisfied、basic、unsatisfied）；version 为读取时的版本，期间被他人修改则 409",
        "status, department, resolution, satisfaction, version",
    ),
];

fn round_paths() -> Value {
    let mut paths = serde_json::Map::new();
    for (path, method, summary, body) in ROUND_PATHS
        .iter()
        .chain(INTAKE_PATHS)
        .chain(COLLIDE_PATHS)
        .chain(CAMPAIGN_PATHS)
    {
        let mut params = Vec::new();
        for name in ["id", "kind", "name", "rule"] {
            if path.contains(&format!("{{{name}}}")) {
                let ty = if name == "id" { "integer" } else { "string" };
                params.push(json!({ "name": name, "in": "path", "required": true, "schema": { "type": ty } }));
            }
        }
        if path.ends_with("/ledger/{kind}")
            || (*path == "/transfers" && *method == "get")
            || (*path == "/tips" && *method == "get")
            || (*path == "/collide/hits" && *method == "get")
            || CAMPAIGN_LISTS.contains(path)
        {
            if let Some(p) = page_params().as_array() {
                params.extend(p.iter().cloned());
            }
        }
        if CAMPAIGN_LISTS.contains(path) {
            params.extend(campaign_list_params(path));
        }
        let mut op = json!({ "summary": summary, "parameters": params, "responses": ok("Object") });
        if path.starts_with("/public/") {
            op["security"] = json!([]);
        }
        if *method == "delete" {
            op["description"] = json!("使用会话 Cookie 时须带 X-CSRF-Token 请求头。");
        }
        if *method == "post" {
            op["description"] = json!(format!(
                "请求体字段：{}。使用会话 Cookie 时须带 X-CSRF-Token 请求头。",
                if body.is_empty() { "无" } else { body }
            ));
            op["requestBody"] = json!({ "required": !body.is_empty(), "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Object" } } } });
            if *path == "/public/tips" {
                op["requestBody"]["content"]["multipart/form-data"] = public_tip_form();
            }
            if *path == "/collide/datasets" {
                op["requestBody"]["content"] = json!({ "multipart/form-data": { "schema": { "$ref": "#/components/schemas/Object" } } });
            }
        }
        let entry = paths.entry(path.to_string()).or_insert_with(|| json!({}));
        entry[*method] = op;
    }
    Value::Object(paths)
}

/// The paged lists of a campaign.
const CAMPAIGN_LISTS: &[&str] = &[
    "/campaigns/{id}/targets",
    "/campaigns/{id}/households",
    "/campaigns/{id}/followups",
];

/// The filters of a campaign list, beside the page.
fn campaign_list_params(path: &str) -> Vec<Value> {
    let q = |name: &str, ty: &str, what: &str| json!({ "name": name, "in": "query", "schema": { "type": ty }, "description": what });
    let mut out = vec![q("team", "integer", "工作队 id（队员固定为本队）")];
    if path.ends_with("/households") {
        out.push(q("area", "integer", "村的对象 id"));
        out.push(q("q", "string", "户主姓名前缀或身份证号前缀"));
    }
    if path.ends_with("/followups") {
        out.push(q("kind", "string", "demand（诉求）或 hazard（隐患）"));
        out.push(q("status", "string", "open、doing、done"));
        out.push(q("overdue", "string", "为 1 时仅列逾期未办结的"));
    }
    out
}

/// The multipart form of `POST /public/tips`: the JSON body's fields as
/// text parts, and the photos.
fn public_tip_form() -> Value {
    json!({
        "schema": { "type": "object", "required": ["target_id", "body", "pow_token", "pow_nonce"], "properties": {
            "target_id": { "type": "integer", "description": "巡察对象 id（二维码页面 /tip/{id} 中的 id）" },
            "body": { "type": "string", "description": "反映的问题，至少10个字" },
            "named": { "type": "string", "enum": ["", "1", "true", "on"], "description": "实名举报时为 1" },
            "name": { "type": "string" },
            "contact": { "type": "string" },
            "pow_token": { "type": "string" },
            "pow_nonce": { "type": "string" },
            "photos": { "type": "array", "maxItems": 6, "items": { "type": "string", "contentMediaType": "image/*", "contentEncoding": "binary" },
                "description": "JPEG、PNG 或 WebP 照片；非图片以 fields 中 field 为 photos 的错误拒收" }
        } },
        "encoding": { "photos": { "contentType": "image/jpeg, image/png, image/webp" } }
    })
}

fn page_params() -> Value {
    json!([
        { "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1 }, "description": "页码，从1开始" },
        { "name": "per_page", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 500 }, "description": "每页条数，默认50" }
    ])
}

fn errors() -> Value {
    json!({
        "401": { "description": "未登录或令牌无效", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
        "403": { "description": "无权操作", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
        "404": { "description": "不存在或不在管辖范围内", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
        "422": { "description": "输入有误，fields 列出每一处问题", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
    })
}

fn with(mut base: Value, extra: Value) -> Value {
    if let (Some(b), Some(e)) = (base.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    base
}

fn ok(schema: &str) -> Value {
    with(
        errors(),
        json!({ "200": { "description": "成功", "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } } } }),
    )
}

fn created(schema: &str) -> Value {
    with(
        errors(),
        json!({ "201": { "description": "已创建", "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } } } }),
    )
}

/// Builds the document.
pub fn build() -> Value {
    let id_param =
        json!([{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }]);
    let mut unit_params = page_params();
    if let Some(a) = unit_params.as_array_mut() {
        a.push(json!({ "name": "q", "in": "query", "schema": { "type": "string" }, "description": "单位名称包含" }));
        a.push(json!({ "name": "kind", "in": "query", "schema": { "$ref": "#/components/schemas/UnitKind" } }));
        a.push(json!({ "name": "parent_id", "in": "query", "schema": { "type": "integer" }, "description": "仅列出该单位的直接下级" }));
        a.push(json!({ "name": "sort", "in": "query", "schema": { "type": "string", "enum": ["name", "-name", "kind", "-kind", "budget", "-budget"] }, "description": "排序；默认按单位树，前加 - 表示降序" }));
    }
    let mut person_params = page_params();
    if let Some(a) = person_params.as_array_mut() {
        a.push(json!({ "name": "q", "in": "query", "schema": { "type": "string" }, "description": "姓名前缀或身份证号前缀" }));
        a.push(json!({ "name": "unit_id", "in": "query", "schema": { "type": "integer" } }));
        a.push(json!({ "name": "sort", "in": "query", "schema": { "type": "string", "enum": ["name", "-name", "birth_date", "-birth_date", "unit", "-unit"] }, "description": "排序；默认按单位（检索时按姓名或身份证号），前加 - 表示降序" }));
    }
    let write_note = "使用会话 Cookie 时须带 X-CSRF-Token 请求头；使用 Bearer 令牌时不需要。";
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": { "title": "xuncha 巡察工作平台 API", "version": "1" },
        "servers": [{ "url": "/api/v1" }],
        "security": [{ "bearer": [] }, { "session": [] }],
        "paths": {
            "/openapi.json": { "get": { "summary": "本文档", "security": [], "responses": { "200": { "description": "OpenAPI 文档" } } } },
            "/units": {
                "get": { "summary": "单位列表（仅管辖范围内）", "parameters": unit_params, "responses": ok("UnitPage") },
                "post": { "summary": "新建单位", "description": write_note, "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NewUnit" } } } }, "responses": created("Unit") }
            },
            "/units/{id}": { "get": { "summary": "单位详情", "parameters": id_param, "responses": ok("Unit") } },
            "/persons": {
                "get": { "summary": "人员列表（仅管辖范围内；身份证号按权限脱敏）", "parameters": person_params, "responses": ok("PersonPage") },
                "post": { "summary": "新建人员", "description": write_note, "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/NewPerson" } } } }, "responses": created("Person") }
            },
            "/persons/{id}": { "get": { "summary": "人员详情", "parameters": id_param, "responses": ok("Person") } },
            "/search": { "get": {
                "summary": "检索（仅管辖范围内；支持繁体、异体字和拼音）",
                "parameters": [
                    { "name": "q", "in": "query", "required": true, "schema": { "type": "string" } },
                    { "name": "type", "in": "query", "schema": { "type": "string", "enum": ["person", "unit", "petition", "tip", "demand", "hazard", "fieldwork", "paper", "clue", "report", "feedback", "transfer", "rect-item", "accountability", "briefing", "prep-list"] } },
                    { "name": "unit", "in": "query", "description": "单位 id（含下级单位）", "schema": { "type": "integer" } },
                    { "name": "round", "in": "query", "description": "巡察轮次 id", "schema": { "type": "integer" } },
                    { "name": "from", "in": "query", "description": "起始日期 YYYY-MM-DD", "schema": { "type": "string", "format": "date" } },
                    { "name": "to", "in": "query", "description": "截止日期 YYYY-MM-DD", "schema": { "type": "string", "format": "date" } },
                    { "name": "status", "in": "query", "description": "状态标识（随类型而定）", "schema": { "type": "string" } },
                    { "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1 } },
                    { "name": "per_page", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 100 } }
                ],
                "responses": ok("SearchPage") } }
        },
        "components": {
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer", "description": "xuncha token create 生成的个人令牌" },
                "session": { "type": "apiKey", "in": "cookie", "name": "xuncha_session" }
            },
            "schemas": {
                "Error": { "type": "object", "properties": { "error": { "type": "object", "properties": {
                    "code": { "type": "string", "enum": ["unauthenticated", "forbidden", "not_found", "no_route", "invalid", "conflict", "csrf", "throttled", "internal"] },
                    "message": { "type": "string" },
                    "fields": { "type": ["array", "null"], "items": { "$ref": "#/components/schemas/FieldError" } } } } } },
                "FieldError": { "type": "object", "properties": { "field": { "type": "string" }, "row": { "type": ["integer", "null"] }, "column": { "type": ["string", "null"] }, "message": { "type": "string" } } },
                "UnitKind": { "type": "string", "enum": ["county", "party-dept", "gov-dept", "township", "village", "community", "school", "enterprise", "other"] },
                "Unit": { "type": "object", "properties": {
                    "id": { "type": "integer" }, "parent_id": { "type": ["integer", "null"] }, "name": { "type": "string" },
                    "kind": { "$ref": "#/components/schemas/UnitKind" }, "region_code": { "type": ["string", "null"] },
                    "path": { "type": "string" }, "depth": { "type": "integer" }, "budget_yuan": { "type": ["integer", "null"] },
                    "created_at": { "type": "integer", "description": "毫秒时间戳" }, "updated_at": { "type": "integer" } } },
                "UnitPage": { "type": "object", "properties": { "items": { "type": "array", "items": { "$ref": "#/components/schemas/Unit" } }, "total": { "type": "integer" } } },
                "NewUnit": { "type": "object", "required": ["name", "kind"], "properties": {
                    "parent_id": { "type": ["integer", "null"] }, "name": { "type": "string" }, "kind": { "type": "string", "description": "类型标识或中文名称" },
                    "region_code": { "type": "string" }, "budget_yuan": { "type": ["integer", "null"] } } },
                "Person": { "type": "object", "properties": {
                    "id": { "type": "integer" }, "name": { "type": "string" }, "id_number": { "type": ["string", "null"], "description": "无权查看时脱敏" },
                    "gender": { "type": ["string", "null"], "enum": ["male", "female", null] }, "birth_date": { "type": ["string", "null"], "format": "date" },
                    "unit_id": { "type": ["integer", "null"] }, "unit_name": { "type": ["string", "null"] }, "position": { "type": ["string", "null"] },
                    "phone": { "type": ["string", "null"] }, "created_at": { "type": "integer" }, "updated_at": { "type": "integer" } } },
                "PersonPage": { "type": "object", "properties": { "items": { "type": "array", "items": { "$ref": "#/components/schemas/Person" } }, "total": { "type": "integer" }, "total_capped": { "type": "boolean", "description": "为 true 时表示匹配超过 10000 条，total 只计到 10000" } } },
                "SearchPage": { "type": "object", "properties": { "total": { "type": "integer" }, "items": { "type": "array", "items": { "type": "object", "properties": {
                    "doc_type": { "type": "string" }, "doc_id": { "type": "string" }, "title": { "type": "string" },
                    "snippet_html": { "type": "string", "description": "已转义的原文片段，匹配处以 <mark> 标出" } } } } } },
                "NewPerson": { "type": "object", "required": ["name"], "properties": {
                    "name": { "type": "string" }, "id_number": { "type": "string" }, "gender": { "type": "string" }, "birth_date": { "type": "string" },
                    "unit_id": { "type": ["integer", "null"] }, "position": { "type": "string" }, "phone": { "type": "string" } } },
                "Object": { "type": "object", "additionalProperties": true }
            }
        }
    });
    if let (Some(paths), Value::Object(more)) = (doc["paths"].as_object_mut(), round_paths()) {
        paths.extend(more);
    }
    doc
}

/// `GET /api/v1/openapi.json`.
pub async fn document() -> Json<Value> {
    Json(build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_documented() {
        let doc = build();
        for (method, path) in ROUTES {
            assert!(
                doc["paths"][path][method].is_object(),
                "{method} {path} is not in openapi.json"
            );
        }
        let documented: usize = doc["paths"]
            .as_object()
            .map(|p| {
                p.values()
                    .map(|m| m.as_object().map(|o| o.len()).unwrap_or(0))
                    .sum()
            })
            .unwrap_or(0);
        assert_eq!(
            documented,
            ROUTES.len(),
            "openapi.json documents a route the router does not serve"
        );
    }

    #[test]
    fn public_tips_document_the_photo_upload() {
        let doc = build();
        let body = &doc["paths"]["/public/tips"]["post"]["requestBody"]["content"];
        assert!(body["application/json"].is_object());
        let form = &body["multipart/form-data"]["schema"]["properties"];
        assert_eq!(form["photos"]["maxItems"], 6);
        assert!(form["target_id"].is_object() && form["pow_nonce"].is_object());
    }
}
