-- msg
--
-- Revision ID: abc
-- Revises: x1
-- Depends on: abc

-- migrate:upgrade
SELECT 1;
-- migrate:downgrade
SELECT 2;
