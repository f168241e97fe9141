-- create firmware tables
--
-- Firmware builds are published on channels (stable, beta, nightly);
-- the three channels are reference data every environment needs.
--
-- Revision ID: 0169b51572d2
-- Revises: 83ca92fed024
-- Branch labels:
-- Depends on:
-- Create Date: 2026-02-03 10:47:09.215538

-- migrate:upgrade
CREATE TABLE firmware_channels (
    name VARCHAR(16) PRIMARY KEY,
    description VARCHAR(200) NOT NULL
);

INSERT INTO firmware_channels (name, description) VALUES
    ('stable', 'Released to every device'),
    ('beta', 'Early access for the test fleet'),
    ('nightly', 'Automated builds; lab devices only');

CREATE TABLE firmware_releases (
    id INTEGER PRIMARY KEY,
    channel VARCHAR(16) NOT NULL REFERENCES firmware_channels (name),
    -- Semantic version as printed by the build, e.g. '2.4.1' or '2.5.0-rc1'.
    version VARCHAR(32) NOT NULL,
    checksum_sha256 CHAR(64) NOT NULL,
    released_at TIMESTAMP NOT NULL,
    UNIQUE (channel, version)
);

-- migrate:downgrade
DROP TABLE firmware_releases;

DROP TABLE firmware_channels;
