package io.notify.gateway.routing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * The gateway's part of a notification's trace: one {@code notification-events deliver} span per event and gateway
 * (not per socket), a child of the {@code traceparent} header the outbox relay set on the record. It spans routing
 * the event and handing the poll's frames to the sockets' event loops. Only called with tracing on.
 */
final class DeliverySpans {

    static final String HEADER = "traceparent";

    private static final TextMapGetter<ConsumerRecord<String, String>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(ConsumerRecord<String, String> record) {
            List<String> keys = new ArrayList<>();
            record.headers().forEach(h -> keys.add(h.key()));
            return keys;
        }

        @Override
        public String get(ConsumerRecord<String, String> record, String key) {
            Header header = record == null ? null : record.headers().lastHeader(key);
            return header == null || header.value() == null ? null
                    : new String(header.value(), StandardCharsets.US_ASCII);
        }
    };

    private DeliverySpans() {
    }

    /** Starts the record's delivery span when it carries a trace; returns the poll's spans (made on first use). */
    static List<Span> start(Tracer tracer, ConsumerRecord<String, String> record, List<Span> spans) {
        if (record.headers().lastHeader(HEADER) == null) {
            return spans;
        }
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), record, HEADERS);
        Span span = tracer.spanBuilder(record.topic() + " deliver").setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation", "deliver")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.kafka.destination.partition", record.partition())
                .setAttribute("messaging.kafka.message.offset", record.offset())
                .startSpan();
        List<Span> started = spans == null ? new ArrayList<>() : spans;
        started.add(span);
        return started;
    }

    /** Ends the poll's spans once its frames are handed to the sockets' event loops. */
    static void end(List<Span> spans) {
        for (Span span : spans) {
            span.end();
        }
    }
}
