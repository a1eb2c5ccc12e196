-- 督办 of petition handling: one row per supervision, its level, state and
-- reply deadline as columns (the desk counts and the register filters the
-- unanswered ones past their deadline); the requirement, the handling unit's
-- replies and the closing are the typed JSON of `data`.
create table petition_supervisions (
    id integer primary key,
    petition_id bigint not null references petitions(id),
    level text not null,
    state text not null,
    issued_date text not null,
    deadline text not null,
    data text not null,
    version bigint not null,
    created_by bigint not null,
    created_at bigint not null,
    updated_at bigint not null
);
create index petition_supervisions_petition on petition_supervisions(petition_id, id);
create index petition_supervisions_open on petition_supervisions(state, deadline, petition_id);
