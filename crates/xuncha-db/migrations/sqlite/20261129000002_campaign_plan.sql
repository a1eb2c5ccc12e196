-- The day the office plans a building, floor, unit or village to be done
-- (a sweep or visit campaign spread over several days); progress compares
-- it with the counters.
alter table campaign_targets add column planned_on text;
