

-- Leading blank lines are fine
--
-- Revision ID: c0mment5
-- Revises: 9999cccc

-- This comment is not part of the header: Revision ID: ignored
-- (nor is this one)

-- migrate:upgrade
-- a comment inside the upgrade body
-- migration notes are not markers
INSERT INTO t VALUES ('-- migrate:upgrade is only a marker at the start of a line');

-- migrate:downgrade
DELETE FROM t;
