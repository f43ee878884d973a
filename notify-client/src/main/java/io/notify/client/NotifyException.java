package io.notify.client;

import java.util.Map;

/**
 * A call the service refused, carrying its RFC 9457 problem ({@code type}, {@code title}, {@code detail},
 * {@code instance} and any extension members), or a call that could not be made ({@link #status()} 0). The subclasses
 * name the cases a producer handles differently.
 */
public class NotifyException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final String detail;
    private final String instance;
    private final Map<String, Object> extensions;

    public NotifyException(int status, String type, String title, String detail, String instance,
            Map<String, Object> extensions) {
        this(status, type, title, detail, instance, extensions, null);
    }

    NotifyException(int status, String type, String title, String detail, String instance,
            Map<String, Object> extensions, Throwable cause) {
        super(message(status, title, detail), cause);
        this.status = status;
        this.type = type;
        this.title = title;
        this.detail = detail;
        this.instance = instance;
        this.extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }

    private static String message(int status, String title, String detail) {
        String head = status == 0 ? "no answer" : status + (title == null ? "" : " " + title);
        return detail == null ? head : head + ": " + detail;
    }

    /** The HTTP status; 0 when no answer came (connection refused, timeout). */
    public int status() {
        return status;
    }

    /** The problem type URI reference ({@code about:blank} for a plain status). */
    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    public String instance() {
        return instance;
    }

    /** The problem's other members (e.g. a quota problem's {@code quota}, {@code limit}). */
    public Map<String, Object> extensions() {
        return extensions;
    }
}
