-- msg
--
-- Revision ID: a@b-c+d:e
-- Revises:

-- migrate:upgrade
SELECT 1;
-- migrate:downgrade
SELECT 2;
