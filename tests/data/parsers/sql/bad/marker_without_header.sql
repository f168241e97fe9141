-- migrate:upgrade
SELECT 1;
-- migrate:downgrade
