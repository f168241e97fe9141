-- create locations table
--
-- Sites where devices are installed. Every device belongs to at most one
-- location; the site code is what technicians write on the labels.
--
-- Revision ID: cf60bc0183a4
-- Revises:
-- Branch labels:
-- Depends on:
-- Create Date: 2026-01-12 09:14:37.482913

-- migrate:upgrade
CREATE TABLE locations (
    id INTEGER PRIMARY KEY,
    site_code VARCHAR(16) NOT NULL UNIQUE,
    name VARCHAR(100) NOT NULL,
    timezone VARCHAR(64) NOT NULL DEFAULT 'UTC'
);

-- migrate:downgrade
DROP TABLE locations;
