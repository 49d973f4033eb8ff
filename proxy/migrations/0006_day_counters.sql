-- Calls a carrier allows so many of a day (Russian Post's tracking), counted before each is made: one row a
-- counter and day, so that every proxy on the same database counts against the same number.
CREATE TABLE day_counters (
    name TEXT NOT NULL,
    -- The carrier's day, YYYY-MM-DD.
    day TEXT NOT NULL,
    used BIGINT NOT NULL,
    PRIMARY KEY (name, day)
);
