-- Surveys (民主测评、问卷调查). The form is the typed JSON of `form`.
-- `issued` and `returned` are counters kept with each change (a survey with
-- 100,000 sheets is not counted at every answer). One-time codes are kept only as hashes with a used flag (no time of use),
-- and a sheet has no column that points at its code: once stored, an answer
-- cannot be traced to the slip it came from.
create table surveys (
    id integer primary key,
    kind text not null,
    status text not null,
    round_id bigint references rounds(id),
    target_id bigint references round_targets(id),
    unit_id bigint not null references units(id),
    unit_path text not null,
    title text not null,
    form text not null,
    issued bigint not null,
    returned bigint not null,
    version bigint not null,
    created_by bigint not null,
    created_at bigint not null,
    updated_at bigint not null
);
create index surveys_path on surveys(unit_path, id);

create table survey_codes (
    id integer primary key,
    survey_id bigint not null references surveys(id),
    code_hash text not null unique,
    used boolean not null
);
create index survey_codes_survey on survey_codes(survey_id, used);

create table survey_sheets (
    id integer primary key,
    survey_id bigint not null references surveys(id),
    choices text not null,
    texts text,
    keyed boolean not null,
    submitted_date text not null
);
create index survey_sheets_survey on survey_sheets(survey_id, id);
