-- msg
--
-- Revision ID: abc
-- Revises:

-- migrate:upgrade
SELECT ÿþ;
-- migrate:downgrade
