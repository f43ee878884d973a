package io.notify.auth.login;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** The gateways' client secret, generated for this test JVM (never in git). */
public class GatewayClientSecret implements QuarkusTestResourceLifecycleManager {

    public static final String SECRET = generate();

    private static String generate() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public Map<String, String> start() {
        return Map.of("notify.auth.gateway.client-secret", SECRET);
    }

    @Override
    public void stop() {
    }
}
