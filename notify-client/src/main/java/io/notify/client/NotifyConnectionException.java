package io.notify.client;

import java.util.Map;

/** No answer: the connection failed or timed out on every attempt ({@link #status()} 0). */
public class NotifyConnectionException extends NotifyException {

    public NotifyConnectionException(String detail, Throwable cause) {
        super(0, null, null, detail, null, Map.of(), cause);
    }
}
