-- msg
--
-- Revision ID: abc
-- Revises:

-- migrate:upgrade
SELECT 1;
-- migrate:upgrade
SELECT 2;
-- migrate:downgrade
