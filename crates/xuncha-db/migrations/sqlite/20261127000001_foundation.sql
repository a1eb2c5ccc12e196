-- Foundation: registry, users, sessions, audit chain, settings, attachments, search outbox.
-- Timestamps are milliseconds since the epoch (bigint); dates are ISO text.

create table units (
    id integer primary key,
    parent_id bigint references units(id),
    name text not null,
    kind text not null,
    region_code text,
    path text not null,
    depth bigint not null,
    budget_yuan bigint,
    -- Persons whose current unit this is (kept by the store), so scoped
    -- person totals are a sum over units instead of a count over persons.
    person_count bigint not null default 0,
    created_at bigint not null,
    updated_at bigint not null,
    unique (parent_id, name)
);
create index units_path on units(path);

create table persons (
    id integer primary key,
    name text not null,
    id_number text unique,
    gender text,
    birth_date text,
    unit_id bigint references units(id),
    -- Copy of units.path so scoped lists need no join.
    unit_path text,
    position text,
    phone text,
    created_at bigint not null,
    updated_at bigint not null
);
create index persons_unit_path on persons(unit_path, id);
create index persons_name on persons(name, id);
-- Scoped name searches (a township's office looking for 王…).
create index persons_path_name on persons(unit_path, name);
create index persons_birth on persons(birth_date, id);
create index persons_unit on persons(unit_id);

create table relations (
    id integer primary key,
    person_a_id bigint not null references persons(id),
    person_b_id bigint not null references persons(id),
    kind text not null,
    detail text,
    created_at bigint not null,
    unique (person_a_id, person_b_id, kind)
);
create index relations_b on relations(person_b_id);

create table work_history (
    id integer primary key,
    person_id bigint not null references persons(id),
    unit_id bigint not null references units(id),
    position text,
    from_date text not null,
    to_date text,
    created_at bigint not null
);
create index work_history_person on work_history(person_id);
create index work_history_unit on work_history(unit_id);

create table leadership_posts (
    id integer primary key,
    unit_id bigint not null references units(id),
    person_id bigint not null references persons(id),
    title text not null,
    rank text not null,
    created_at bigint not null
);
create index leadership_posts_unit on leadership_posts(unit_id);

create table inspectors (
    id integer primary key,
    person_id bigint not null unique references persons(id),
    source_unit_id bigint references units(id),
    skills text not null,
    rounds_served bigint not null,
    created_at bigint not null
);

create table users (
    id integer primary key,
    username text not null unique,
    display_name text not null,
    role text not null,
    unit_id bigint references units(id),
    password_hash text not null,
    active boolean not null,
    created_at bigint not null,
    updated_at bigint not null
);

create table sessions (
    token_hash text primary key,
    user_id bigint not null references users(id),
    csrf_token text not null,
    created_at bigint not null,
    expires_at bigint not null
);
create index sessions_user on sessions(user_id);

create table api_tokens (
    token_hash text primary key,
    user_id bigint not null references users(id),
    name text not null,
    created_at bigint not null
);

create table audit_log (
    seq bigint primary key,
    at bigint not null,
    actor_id bigint not null,
    actor_name text not null,
    action text not null,
    object_type text not null,
    object_id text,
    before_json text,
    after_json text,
    prev_hash text not null,
    hash text not null
);
-- An object's history (the timeline beside a record).
create index audit_log_object on audit_log(object_type, object_id);

-- The chain head: one row, locked by every audit write so records are
-- numbered and chained one after another.
create table audit_head (
    id bigint primary key,
    seq bigint not null,
    hash text not null
);
insert into audit_head (id, seq, hash)
values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

create table search_outbox (
    id integer primary key,
    doc_type text not null,
    doc_id text not null,
    op text not null,
    created_at bigint not null
);

create table settings (
    key text primary key,
    value text not null,
    updated_at bigint not null,
    updated_by bigint not null
);

-- One row per upload: the same bytes uploaded twice (by two users, for two
-- units) are stored once on disk but keep both records, so each uploader's
-- access is decided by their own record.
create table attachments (
    id integer primary key,
    sha256 text not null,
    size bigint not null,
    mime text not null,
    original_name text not null,
    unit_id bigint references units(id),
    created_by bigint not null,
    created_at bigint not null
);
create index attachments_sha256 on attachments(sha256);
create index attachments_unit on attachments(unit_id);
