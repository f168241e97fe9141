-- msg
--
-- Revision ID: abc
-- Revises:

-- migrate:up
SELECT 1;
-- migrate:downgrade
