-- msg
--
-- Revises: abc

-- migrate:upgrade
SELECT 1;
-- migrate:downgrade
SELECT 2;
