-- The 巡察 round: rounds, teams, targets, recusal decisions, and the records
-- of the work (fieldwork, working papers, clues, reports, transfers,
-- rectification items, accountability). Records share one table: the columns
-- that lists filter and count on are real columns, the rest of each record is
-- its typed JSON (`data`), so adding a field is a core change, not a migration.

alter table inspectors add column user_id bigint references users(id);
-- 成长地/籍贯 or long-term work area, as a region code (recusal).
alter table inspectors add column home_region_code text;
-- One inspector per account.
create unique index inspectors_user on inspectors(user_id);

create table rounds (
    id integer primary key,
    term bigint not null,
    number bigint not null,
    kind text not null,
    title text not null,
    start_date text not null,
    end_date text,
    status text not null,
    created_by bigint not null,
    created_at bigint not null,
    updated_at bigint not null,
    unique (term, number)
);

create table teams (
    id integer primary key,
    round_id bigint not null references rounds(id),
    name text not null,
    created_at bigint not null,
    unique (round_id, name)
);

create table team_members (
    id integer primary key,
    team_id bigint not null references teams(id),
    round_id bigint not null references rounds(id),
    inspector_id bigint not null references inspectors(id),
    role text not null,
    statement_at bigint,
    pledge_at bigint,
    created_at bigint not null,
    -- One team per inspector per round.
    unique (round_id, inspector_id)
);
create index team_members_team on team_members(team_id);
create index team_members_inspector on team_members(inspector_id);

create table round_targets (
    id integer primary key,
    round_id bigint not null references rounds(id),
    unit_id bigint not null references units(id),
    unit_path text not null,
    team_id bigint references teams(id),
    stage text not null,
    report_returns bigint not null default 0,
    feedback_date text,
    rect_rating text,
    created_at bigint not null,
    updated_at bigint not null,
    unique (round_id, unit_id)
);
create index round_targets_unit on round_targets(unit_id);
create index round_targets_team on round_targets(team_id);

-- Conflicts found by the recusal engine or declared, and the decisions on
-- them. A row with decision 'recused' or 'blocked' hides the unit from the
-- inspector's user everywhere.
create table recusals (
    id integer primary key,
    round_id bigint not null references rounds(id),
    inspector_id bigint not null references inspectors(id),
    unit_id bigint not null references units(id),
    unit_path text not null,
    kind text not null,
    severity text not null,
    reason text not null,
    chain_json text not null,
    decision text not null,
    decision_reason text,
    decided_by bigint,
    created_at bigint not null
);
create index recusals_inspector on recusals(inspector_id);
create index recusals_round on recusals(round_id, unit_id);

create table records (
    id integer primary key,
    kind text not null,
    round_id bigint not null references rounds(id),
    target_id bigint not null references round_targets(id),
    unit_id bigint not null references units(id),
    unit_path text not null,
    status text not null,
    -- One kind-specific filter value: a paper's category, a clue's grade, a
    -- transfer's receiver, a fieldwork entry's method.
    tag text,
    due_date text,
    -- What lists show and the search index reads, so neither decodes JSON.
    title text not null,
    body text not null,
    version bigint not null,
    data text not null,
    created_by bigint not null,
    created_at bigint not null,
    updated_at bigint not null
);
create index records_kind_round on records(kind, round_id, id);
create index records_kind_target on records(kind, target_id, id);
create index records_kind_path on records(kind, unit_path, id);
create index records_kind_tag on records(kind, tag, id);
-- Deadlines (alerts, risk): covering for per-unit counts of late items.
create index records_kind_due on records(kind, due_date, unit_id, status);
-- Per-unit counts (risk ranking) without reading the rows.
create index records_kind_unit on records(kind, unit_id, status);
-- A round's records across kinds (the circular).
create index records_round on records(round_id, id);
