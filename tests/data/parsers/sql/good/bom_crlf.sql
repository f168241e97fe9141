-- BOM and CRLF
--
-- Revision ID: b0b0c7f00002
-- Revises: b0b0b0b0b0b0

-- migrate:upgrade
SELECT 1;
-- migrate:downgrade
SELECT 2;
