-- msg
--
-- Revision ID: abc
-- Revises:

-- migrate:downgrade
SELECT 2;
-- migrate:upgrade
SELECT 1;
