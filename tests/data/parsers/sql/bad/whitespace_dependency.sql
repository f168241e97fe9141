-- msg
--
-- Revision ID: abc
-- Revises:
-- Depends on: x1, other branch

-- migrate:upgrade
SELECT 1;
-- migrate:downgrade
SELECT 2;
