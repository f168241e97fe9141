-- bad
--
-- Revises:

-- migrate:upgrade
-- migrate:downgrade
