-- bad too
--
-- Revision ID: e@d
-- Revises:

-- migrate:upgrade
-- migrate:downgrade
