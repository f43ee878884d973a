package io.notify.auth;

/** Shapes of names the API accepts. */
public final class Patterns {

    public static final String USERNAME = "^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$";
    public static final String USERNAME_MESSAGE = "must be 3-64 letters, digits, '.', '_' or '-', starting with a letter or digit";
    public static final String SLUG = "^[a-z0-9][a-z0-9_-]{1,63}$";
    public static final String SLUG_MESSAGE = "must be 2-64 lower-case letters, digits, '_' or '-'";
    public static final String USER_ROLE = "^(user|admin)$";
    public static final String USER_ROLE_MESSAGE = "must be user or admin";

    private Patterns() {
    }
}
