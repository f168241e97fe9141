--   Spaced   out   
--
--   Revision ID:    abc123   
--Revises:x1,  y2  
--  Branch labels:   feature   
-- Depends on:
-- Create Date:   2026-01-01 00:00:00   

-- migrate:upgrade   
SELECT 1;
--   migrate:downgrade
SELECT 2;
