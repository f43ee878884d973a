package io.notify.gateway.transport;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The gateway on its fallback transport: websockets-next's public API only. */
public class PlainTransport implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("notify.gateway.transport", "plain");
    }
}
