package io.notify.auth.user;

/**
 * The roles access tokens carry in {@code groups}: users hold {@code user} and/or {@code admin},
 * service accounts always and only {@code service}.
 */
public final class Roles {

    public static final String ADMIN = "admin";
    public static final String USER = "user";
    public static final String SERVICE = "service";

    private Roles() {
    }
}
