-- An experiment only (docs/benchmarks.md §27): ten of the 21 opportunities indexes that reports and
-- lists need, dropped to measure what they cost ingest. Never run on a real database.
DROP INDEX opportunities_platform; DROP INDEX opportunities_score; DROP INDEX opportunities_travel_month;
DROP INDEX opportunities_destination_status; DROP INDEX opportunities_open_psv; DROP INDEX opportunities_open_west;
DROP INDEX opportunities_open_owner; DROP INDEX opportunities_funnel_cover; DROP INDEX opportunities_process; DROP INDEX opportunities_status;
