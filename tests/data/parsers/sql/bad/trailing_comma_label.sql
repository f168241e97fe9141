-- msg
--
-- Revision ID: abc
-- Revises:
-- Branch labels: feature,

-- migrate:upgrade
SELECT 1;
-- migrate:downgrade
SELECT 2;
