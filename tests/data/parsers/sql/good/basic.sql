-- Add new column to devices table
--
-- Revision ID: 3f2a9c1b7d4e
-- Revises: 9b1c0d2e4f6a
-- Branch labels:
-- Depends on:
-- Create Date: 2026-11-23 10:00:00.000000

-- migrate:upgrade
ALTER TABLE devices ADD COLUMN firmware TEXT;

-- migrate:downgrade
ALTER TABLE devices DROP COLUMN firmware;
