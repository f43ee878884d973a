package io.notify.notification.outbox;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * A send's trace context as it travels with its outbox row and its {@code notification-events} record: a W3C
 * {@code traceparent} ({@code 00-<trace id>-<span id>-<flags>}). Null wherever tracing is off (no valid span).
 */
public final class TraceParent {

    /** The record header (W3C Trace Context's name for it). */
    public static final String HEADER = "traceparent";

    private static final TextMapGetter<String> VALUE = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return java.util.List.of(HEADER);
        }

        @Override
        public String get(String carrier, String key) {
            return HEADER.equals(key) ? carrier : null;
        }
    };

    private TraceParent() {
    }

    /** The current span's traceparent; null when there is none (tracing off, or no trace to continue). */
    public static String current() {
        return of(Span.current().getSpanContext());
    }

    public static String of(SpanContext span) {
        return span.isValid() ? "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex()
                : null;
    }

    /** A context whose remote parent is {@code traceparent} (the root context when it does not parse). */
    public static Context parent(String traceparent) {
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, VALUE);
    }
}
