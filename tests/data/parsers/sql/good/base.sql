-- create users table
--
-- Revision ID: a35234d98c14
-- Revises: 
-- Create Date: 2026-11-24 00:42:40.785656

-- migrate:upgrade
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);

-- migrate:downgrade
DROP TABLE users;
