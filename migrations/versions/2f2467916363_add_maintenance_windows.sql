-- add maintenance windows
--
-- Planned downtime per location; alerts raised inside a window are
-- expected and the dashboard greys them out.
--
-- Revision ID: 2f2467916363
-- Revises: 32863478822d
-- Branch labels:
-- Depends on:
-- Create Date: 2026-05-20 09:56:40.117385

-- migrate:upgrade
CREATE TABLE maintenance_windows (
    id INTEGER PRIMARY KEY,
    location_id INTEGER NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    reason VARCHAR(200),
    CHECK (ends_at > starts_at)
);

CREATE INDEX ix_maintenance_windows_location_id_starts_at
    ON maintenance_windows (location_id, starts_at);

-- migrate:downgrade
DROP TABLE maintenance_windows;
