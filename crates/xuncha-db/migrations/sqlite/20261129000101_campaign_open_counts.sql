-- Field campaigns: open follow-ups (not done) counted per deadline day, kept
-- by every write that opens or closes one, in its transaction. "Open" is a
-- sum of a campaign's (or team's) rows and "overdue today" the sum of those
-- with a deadline before today, so the coverage page and the desk read a
-- few hundred counters, not the hundreds of thousands of follow-ups a visit
-- campaign of millions of households raises. Two tables, because the whole
-- campaign's sum over every team's rows would grow with the teams (100,000
-- cadres). Team 0: a follow-up without a team.
create table campaign_open_days (
    campaign_id bigint not null references campaigns(id),
    deadline text not null,
    followups bigint not null,
    primary key (campaign_id, deadline)
);
create table campaign_open_team_days (
    campaign_id bigint not null references campaigns(id),
    team_id bigint not null,
    deadline text not null,
    followups bigint not null,
    primary key (campaign_id, team_id, deadline)
);
insert into campaign_open_days (campaign_id, deadline, followups)
    select campaign_id, deadline, count(*) from campaign_followups
    where status <> 'done' group by campaign_id, deadline;
insert into campaign_open_team_days (campaign_id, team_id, deadline, followups)
    select campaign_id, coalesce(team_id, 0), deadline, count(*) from campaign_followups
    where status <> 'done' group by campaign_id, coalesce(team_id, 0), deadline;
-- The follow-ups of the targets a recusal hides, counted apart and taken
-- from the counters (a few villages), and a household's demands.
create index campaign_followups_target on campaign_followups(target_id, status, deadline);
create index campaign_followups_household on campaign_followups(household_id);
