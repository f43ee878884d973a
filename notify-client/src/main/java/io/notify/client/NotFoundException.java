package io.notify.client;

import java.util.Map;

/** 404: no such resource, or not the caller's. */
public class NotFoundException extends NotifyException {

    public NotFoundException(String type, String title, String detail, String instance, Map<String, Object> extensions) {
        super(404, type, title, detail, instance, extensions);
    }
}
