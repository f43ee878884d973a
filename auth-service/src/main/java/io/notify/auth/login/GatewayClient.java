package io.notify.auth.login;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;

import io.notify.auth.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The WebSocket gateways' own client: client id {@value #CLIENT_ID}, the secret from
 * {@code notify.auth.gateway.client-secret}. Its token carries role {@code gateway} and no company; notification-service
 * honours it on one endpoint only, the muted types of the users whose sockets a gateway holds (each user's own token
 * was verified by the gateway when the socket opened), so that a reconnect storm costs the store one token
 * verification per batch of users instead of one per user. No service account may take this client id.
 */
@ApplicationScoped
public class GatewayClient {

    public static final String CLIENT_ID = "notify-gateway";

    private final Optional<byte[]> secretDigest;

    public GatewayClient(AuthConfig config) {
        this.secretDigest = config.gateway().clientSecret().filter(s -> !s.isBlank()).map(GatewayClient::digest);
    }

    public static boolean isGatewayClientId(String clientId) {
        return clientId != null && clientId.toLowerCase(Locale.ROOT).equals(CLIENT_ID);
    }

    /** Whether {@code secret} is the configured one (compared in constant time; never, when none is configured). */
    public boolean authenticates(String secret) {
        return secretDigest.map(expected -> MessageDigest.isEqual(expected, digest(secret))).orElse(false);
    }

    private static byte[] digest(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
