-- A file cut off in the middle of a character
--
-- Revision ID: c0ffee01
-- Revises:

-- migrate:upgrade
CREATE TABLE t (id INTEGER);

-- migrate:downgrade
DROP TABLE t; -- caf√