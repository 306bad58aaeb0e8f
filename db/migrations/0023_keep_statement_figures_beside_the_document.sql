-- A frozen statement's figures, kept by the database beside the document they come from: a year's
-- report reads the figures of every scope's months, and reaching into the document read all of it
-- (every state as text, decompressed from TOAST). Filled for the statements already frozen, too.
ALTER TABLE "sla_statements" ADD COLUMN "figures" jsonb GENERATED ALWAYS AS (document -> 'figures') STORED;