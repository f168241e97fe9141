-- msg
--
-- Revision ID: abc
-- Revises:

-- migrate:upgrade
SELECT 1;
-- migrate:downgrade
SELECT 2;
-- migrate:downgrade
SELECT 3;
