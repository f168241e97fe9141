-- msg
--
-- Revision ID: feature-1
-- Revises:

-- migrate:upgrade
SELECT 1;
-- migrate:downgrade
SELECT 2;
