-- Field campaigns (Module 4): checklist inspections and household visits.
-- `campaign_targets` is the tree (building → floor → room, or township →
-- village) with counters kept by each write: `leaves` (rooms, or households
-- of a village) and `done` (rooms inspected, households visited), so
-- progress and coverage pages read a few hundred rows, not millions.
create table campaigns (
    id integer primary key,
    kind text not null,
    status text not null,
    unit_id bigint not null references units(id),
    unit_path text not null,
    title text not null,
    series text not null,
    spec text not null,
    starts_on text not null,
    ends_on text not null,
    version bigint not null,
    created_by bigint not null,
    created_at bigint not null,
    updated_at bigint not null
);
create index campaigns_path on campaigns(unit_path, id);

create table campaign_teams (
    id integer primary key,
    campaign_id bigint not null references campaigns(id),
    name text not null
);
create index campaign_teams_campaign on campaign_teams(campaign_id, id);

create table campaign_members (
    campaign_id bigint not null references campaigns(id),
    team_id bigint not null references campaign_teams(id),
    user_id bigint not null references users(id),
    duty text not null,
    records bigint not null,
    primary key (campaign_id, user_id)
);
create index campaign_members_user on campaign_members(user_id);

create table campaign_targets (
    id integer primary key,
    campaign_id bigint not null references campaigns(id),
    parent_id bigint references campaign_targets(id),
    level text not null,
    name text not null,
    path text not null,
    unit_id bigint references units(id),
    team_id bigint references campaign_teams(id),
    leaves bigint not null,
    done bigint not null,
    score bigint,
    last_day text
);
create index campaign_targets_tree on campaign_targets(campaign_id, path);
create index campaign_targets_parent on campaign_targets(campaign_id, parent_id, name);

create table campaign_households (
    id integer primary key,
    campaign_id bigint not null references campaigns(id),
    area_id bigint not null references campaign_targets(id),
    head_name text not null,
    id_number text,
    address text not null,
    members bigint,
    phone text not null,
    visits bigint not null,
    last_visit text
);
create index campaign_households_area on campaign_households(area_id, head_name);
create index campaign_households_name on campaign_households(campaign_id, head_name);
create unique index campaign_households_id_number
    on campaign_households(campaign_id, id_number) where id_number is not null;

create table campaign_records (
    id integer primary key,
    campaign_id bigint not null references campaigns(id),
    target_id bigint not null references campaign_targets(id),
    household_id bigint references campaign_households(id),
    team_id bigint,
    day text not null,
    score bigint,
    data text not null,
    photos text not null,
    client_key text not null,
    recorded_by bigint not null,
    recorded_at bigint not null
);
create unique index campaign_records_key on campaign_records(campaign_id, client_key);
create index campaign_records_target on campaign_records(target_id, id);
create index campaign_records_household on campaign_records(household_id, id);
create index campaign_records_team on campaign_records(campaign_id, team_id, id);

-- Records per day and team (team 0: none), kept with each record.
create table campaign_daily (
    campaign_id bigint not null references campaigns(id),
    day text not null,
    team_id bigint not null,
    records bigint not null,
    firsts bigint not null,
    primary key (campaign_id, day, team_id)
);

create table campaign_items (
    id integer primary key,
    campaign_id bigint not null references campaigns(id),
    target_id bigint not null references campaign_targets(id),
    record_id bigint not null references campaign_records(id),
    item text not null,
    owner text not null,
    quantity bigint not null,
    photo text,
    taken_by text not null,
    taken_on text not null,
    status text not null,
    guarantee text,
    guarantee_file text,
    returned_to text,
    returned_by text,
    returned_on text,
    version bigint not null
);
create index campaign_items_campaign on campaign_items(campaign_id, status, id);

create table campaign_followups (
    id integer primary key,
    campaign_id bigint not null references campaigns(id),
    kind text not null,
    target_id bigint not null references campaign_targets(id),
    household_id bigint references campaign_households(id),
    record_id bigint not null references campaign_records(id),
    team_id bigint,
    category text,
    department text,
    content text not null,
    deadline text not null,
    status text not null,
    resolution text,
    satisfaction text,
    petition_id bigint references petitions(id),
    version bigint not null,
    created_at bigint not null,
    updated_at bigint not null
);
create index campaign_followups_campaign on campaign_followups(campaign_id, status, deadline);
