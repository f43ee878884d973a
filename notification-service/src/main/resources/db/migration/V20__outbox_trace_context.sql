-- The trace context of the send that wrote the entry (a W3C traceparent; NULL when tracing is off): the relay
-- continues that trace when it publishes the entry, one trace from the sender to the gateways' delivery.
ALTER TABLE outbox ADD COLUMN trace_context text;
