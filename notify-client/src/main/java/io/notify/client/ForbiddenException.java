package io.notify.client;

import java.util.Map;

/** 403: the caller may not do this, e.g. send to that audience. */
public class ForbiddenException extends NotifyException {

    public ForbiddenException(String type, String title, String detail, String instance, Map<String, Object> extensions) {
        super(403, type, title, detail, instance, extensions);
    }
}
