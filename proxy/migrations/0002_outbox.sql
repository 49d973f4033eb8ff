-- The shop's webhook events, written in the same transaction as the state change they tell of, and
-- delivered from here at least once: a crash or a shop that is down loses none.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    shipment_id TEXT NOT NULL REFERENCES shipments (id),
    -- The JSON body POSTed, as signed.
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    -- When to try next; NULL once delivered or given up.
    next_attempt_at BIGINT,
    lease_until BIGINT NOT NULL DEFAULT 0,
    delivered_at BIGINT,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at);
