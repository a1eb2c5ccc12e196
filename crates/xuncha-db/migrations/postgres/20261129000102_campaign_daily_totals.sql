-- Field campaigns: records per day of the whole campaign, kept with each
-- record beside the per-team rows of `campaign_daily`, so the office's
-- coverage page reads one row a day instead of summing every team's
-- (5,400 team-days at 200 teams, `bench/campaigns.sh`; hundreds of
-- thousands at the design size of 100,000 cadres).
create table campaign_daily_totals (
    campaign_id bigint not null references campaigns(id),
    day text not null,
    records bigint not null,
    firsts bigint not null,
    primary key (campaign_id, day)
);
insert into campaign_daily_totals (campaign_id, day, records, firsts)
    select campaign_id, day, sum(records), sum(firsts) from campaign_daily
    group by campaign_id, day;
