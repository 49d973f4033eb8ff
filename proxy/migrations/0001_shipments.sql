-- The shipments ledger: every shipment the shop asked for, what its carrier said of it, and the requests
-- already answered (idempotency). Times are Unix milliseconds, except the carriers' own event times (RFC 3339).
CREATE TABLE shipments (
    id TEXT PRIMARY KEY,
    -- The Idempotency-Key the shop sent, or "order:" and its order number.
    idempotency_key TEXT NOT NULL UNIQUE,
    -- SHA-256 of the request as read: the same key with another body is refused.
    request_hash TEXT NOT NULL,
    -- The request as read (JSON): what a registration is made of again after a restart.
    request TEXT NOT NULL,
    order_number TEXT NOT NULL,
    carrier TEXT NOT NULL,
    point_id TEXT NOT NULL,
    state TEXT NOT NULL,
    carrier_ref TEXT,
    track_number TEXT,
    cost_quoted BIGINT NOT NULL,
    cost_final BIGINT,
    -- The carrier's errors (JSON array of {code, message}).
    errors TEXT NOT NULL DEFAULT '[]',
    -- Registrations sent to the carrier: past the first, the carrier is asked whether it already has the order.
    attempts INTEGER NOT NULL DEFAULT 0,
    -- Failed calls in a row: the next check waits longer.
    failures INTEGER NOT NULL DEFAULT 0,
    -- When the carrier is next asked about it; NULL once nothing more will happen to it.
    next_check_at BIGINT,
    -- Until when one task works on it: no other may.
    lease_until BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- One live shipment per order and carrier: the carrier knows the order by its number.
CREATE UNIQUE INDEX shipments_live_order ON shipments (carrier, order_number)
    WHERE state NOT IN ('rejected', 'cancelled');
CREATE INDEX shipments_due ON shipments (next_check_at);
CREATE INDEX shipments_created ON shipments (created_at, id);

CREATE TABLE shipment_history (
    shipment_id TEXT NOT NULL REFERENCES shipments (id),
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    state TEXT NOT NULL,
    carrier_code TEXT NOT NULL,
    text TEXT NOT NULL,
    city TEXT NOT NULL,
    PRIMARY KEY (shipment_id, seq)
);
