-- Café: naïve ünïcode & stuff ✓
--
-- Revision ID: 7777aaaa
-- Revises: 6666ffff
-- Create Date: 2026-11-24 01:42:40.785656+01:00

-- migrate:upgrade
INSERT INTO greetings VALUES ('grüß dich');

-- migrate:downgrade
DELETE FROM greetings WHERE text = 'grüß dich';
