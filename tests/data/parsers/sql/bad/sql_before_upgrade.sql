-- msg
--
-- Revision ID: abc
-- Revises:

CREATE TABLE t (a INT);

-- migrate:upgrade
SELECT 1;
-- migrate:downgrade
SELECT 2;
