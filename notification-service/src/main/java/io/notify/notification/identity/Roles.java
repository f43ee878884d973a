package io.notify.notification.identity;

/**
 * The roles of auth-service's tokens ({@code groups}): users hold {@code user} and/or {@code admin}, service accounts
 * {@code service}, the WebSocket gateways' own client only {@code gateway}. Every endpoint takes the first three; the
 * gateways' token is honoured on the one endpoint made for it (the muted types of the users whose sockets they hold).
 */
public final class Roles {

    public static final String USER = "user";
    public static final String ADMIN = "admin";
    public static final String SERVICE = "service";
    public static final String GATEWAY = "gateway";

    private Roles() {
    }
}
