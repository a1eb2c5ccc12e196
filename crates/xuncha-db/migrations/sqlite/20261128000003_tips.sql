-- Public tips (码上巡察). No column can hold a network address, a user
-- agent or a session: nothing about where a tip came from is kept. A named
-- tipster's identity sits in its own columns (read only by the handlers'
-- audited view); the receipt code is kept only as its SHA-256.
create table tips (
    id integer primary key,
    round_id bigint not null references rounds(id),
    target_id bigint not null references round_targets(id),
    unit_id bigint not null references units(id),
    unit_path text not null,
    status text not null,
    received_date text not null,
    body text not null,
    photos text not null,
    tipster_name text,
    tipster_contact text,
    anonymous boolean not null,
    receipt_hash text not null unique,
    outcome text,
    version bigint not null,
    created_at bigint not null,
    updated_at bigint not null
);
create index tips_path on tips(unit_path, id);
create index tips_round on tips(round_id, status, id);

-- The follow-up exchange between the tipster (with the receipt code) and
-- the handlers. A handler's message names its author; the tipster's none.
create table tip_messages (
    id integer primary key,
    tip_id bigint not null references tips(id),
    from_tipster boolean not null,
    author_id bigint,
    body text not null,
    created_date text not null,
    created_at bigint not null
);
create index tip_messages_tip on tip_messages(tip_id, id);
