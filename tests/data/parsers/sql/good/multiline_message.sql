-- Split the address column
-- into street and city
--
-- The old column is kept until the next release.
--
-- Revision ID: 0badc0ffee01
-- Revises: 3f2a9c1b7d4e
-- Create Date: 2026-11-25 08:30:00

-- migrate:upgrade
ALTER TABLE users ADD COLUMN street TEXT;
ALTER TABLE users ADD COLUMN city TEXT;
-- migrate:downgrade
ALTER TABLE users DROP COLUMN city;
ALTER TABLE users DROP COLUMN street;
