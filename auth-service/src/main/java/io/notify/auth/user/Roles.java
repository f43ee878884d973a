package io.notify.auth.user;

/**
 * The roles access tokens carry in {@code groups}: users hold {@code user} and/or {@code admin},
 * service accounts always and only {@code service}; the WebSocket gateways' own client only {@code gateway}.
 */
public final class Roles {

    public static final String ADMIN = "admin";
    public static final String USER = "user";
    public static final String SERVICE = "service";
    public static final String GATEWAY = "gateway";

    private Roles() {
    }
}
