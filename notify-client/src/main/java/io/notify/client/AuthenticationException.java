package io.notify.client;

import java.util.Map;

/** 401: the credentials or the token were refused (wrong client secret, expired token). */
public class AuthenticationException extends NotifyException {

    public AuthenticationException(String type, String title, String detail, String instance, Map<String, Object> extensions) {
        super(401, type, title, detail, instance, extensions);
    }
}
