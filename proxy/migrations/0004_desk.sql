-- The owner's desk finds a shipment by the shop's order number or the carrier's track number, and lists
-- each state and carrier newest first, a page at a time, among a hundred thousand.
CREATE INDEX shipments_order_number ON shipments (order_number);
CREATE INDEX shipments_track_number ON shipments (track_number);
CREATE INDEX shipments_state_created ON shipments (state, created_at, id);
CREATE INDEX shipments_carrier_created ON shipments (carrier, created_at, id);
