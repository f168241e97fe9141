-- add contact email to locations
--
-- Revision ID: 9abc688b6311
-- Revises: 2f2467916363
-- Branch labels:
-- Depends on:
-- Create Date: 2026-06-15 17:23:12.806453

-- migrate:upgrade
ALTER TABLE locations ADD COLUMN contact_email VARCHAR(254);

-- migrate:downgrade
ALTER TABLE locations DROP COLUMN contact_email;
