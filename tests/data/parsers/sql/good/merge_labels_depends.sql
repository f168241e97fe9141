-- merge orders and profiles
--
-- Revision ID: daa092a2017a
-- Revises: a5b70f5b9391, 6b35fdb672ea
-- Branch labels: orders,profiles
-- Depends on: 3bd87e32742f , audit
-- Create Date: 2026-11-24 00:42:45.000000

-- migrate:upgrade

-- migrate:downgrade
