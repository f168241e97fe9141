-- msg
--
-- Revision ID: abc
-- Revises: abc

-- migrate:upgrade
-- migrate:downgrade
