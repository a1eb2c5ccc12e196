-- Field campaigns at a million households (bench/campaigns.sh): a team's
-- targets without reading the whole tree, and follow-ups in deadline order
-- so that a page reads the rows it shows and stops (no sort of every
-- follow-up of the campaign), for the whole campaign and for one team.
create index campaign_targets_team on campaign_targets(campaign_id, team_id);
create index campaign_followups_deadline on campaign_followups(campaign_id, deadline, id);
create index campaign_followups_team on campaign_followups(campaign_id, team_id, deadline, id);
