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
];

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
    json!({
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
                    { "name": "type", "in": "query", "schema": { "type": "string", "enum": ["person", "unit"] } },
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
                    "code": { "type": "string", "enum": ["unauthenticated", "forbidden", "not_found", "invalid", "conflict", "csrf", "throttled", "internal"] },
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
                    "unit_id": { "type": ["integer", "null"] }, "position": { "type": "string" }, "phone": { "type": "string" } } }
            }
        }
    })
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
}
