-- msg
--
-- Revision ID: abc
-- Revises:

-- migrate:upgrade
SELECT 1;
