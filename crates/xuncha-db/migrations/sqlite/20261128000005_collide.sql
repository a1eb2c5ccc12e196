-- Data cross-check runs and their hits (大数据碰撞). The data sets and the
-- engine live under the data directory (xuncha-collide); what is kept here
-- is what people work on: each hit, keyed by rule + subject + matched
-- persons (no row numbers), so that a re-run after new lists marks it new,
-- unchanged or gone while its verification stays.
create table collide_runs (
    id integer primary key,
    unit_id bigint not null references units(id),
    rules text not null,
    hits bigint not null,
    created_by bigint not null,
    created_at bigint not null
);

-- `scope_unit_id` is the jurisdiction whose lists were checked (a re-run
-- compares within it); `unit_id` the unit the subject belongs to, matched
-- from the list's village or unit name (else the jurisdiction itself).
create table collide_hits (
    id integer primary key,
    scope_unit_id bigint not null references units(id),
    unit_id bigint not null references units(id),
    unit_path text not null,
    rule text not null,
    hit_key text not null,
    subject_id_number text,
    subject_name text not null,
    strong boolean not null,
    data text not null,
    state text not null,
    note text not null,
    change text not null,
    clue_id bigint,
    first_run bigint not null references collide_runs(id),
    last_run bigint not null references collide_runs(id),
    version bigint not null,
    updated_at bigint not null,
    unique (scope_unit_id, hit_key)
);
create index collide_hits_path on collide_hits(unit_path, id);
create index collide_hits_rule on collide_hits(scope_unit_id, rule, last_run);
