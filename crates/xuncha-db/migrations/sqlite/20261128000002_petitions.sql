-- Petitions (信访). The petitioner's identity sits in its own columns so that
-- no list, search text or export reads it by accident; the lifecycle and
-- the content are the typed JSON of `data`.
create table petitions (
    id integer primary key,
    unit_id bigint references units(id),
    unit_path text,
    category text not null,
    channel text not null,
    status text not null,
    domain text,
    registered_date text not null,
    due_date text,
    title text not null,
    body text not null,
    petitioner_name text,
    petitioner_contact text,
    anonymous boolean not null,
    duplicate_of bigint references petitions(id),
    data text not null,
    version bigint not null,
    created_by bigint not null,
    created_at bigint not null,
    updated_at bigint not null
);
create index petitions_path on petitions(unit_path, id);
create index petitions_due on petitions(due_date, id);
create index petitions_unit on petitions(unit_id, registered_date);
