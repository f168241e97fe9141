-- msg
--
-- Revision ID: abc
-- Revises: a1,,b2

-- migrate:upgrade
SELECT 1;
-- migrate:downgrade
SELECT 2;
