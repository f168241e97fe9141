-- msg
--
-- Revision ID: abc
-- Revises: x
-- Revises: y

-- migrate:upgrade
SELECT 1;
-- migrate:downgrade
SELECT 2;
