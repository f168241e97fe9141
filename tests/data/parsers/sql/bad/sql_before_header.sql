SELECT 0;
-- msg
--
-- Revision ID: abc
-- Revises:

-- migrate:upgrade
SELECT 1;
-- migrate:downgrade
SELECT 2;
