package io.notify.auth.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.vertx.http.runtime.TrustedProxyCheck;
import io.quarkus.vertx.http.runtime.TrustedProxyCheckPartConverter;

/**
 * The default trusted proxies must be addresses, not names: for a name Quarkus resolves the host on every
 * request that carries forwarding headers, and a lost DNS answer holds that request for 5 s (the footprint
 * bench measured a p99 of 5,009 ms for /api/auth/me with the old default, whose bare {@code 0:0:0:0:0:0:0:1}
 * Quarkus reads as host {@code 0:0:0:0:0:0:0}, port 1).
 */
class TrustedProxiesTest {

    @Test
    void theDefaultTrustedProxies_needNoNameResolution() throws Exception {
        Properties properties = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        Matcher fallback = Pattern.compile("\\$\\{NOTIFY_TRUSTED_PROXIES:(.+)}")
                .matcher(properties.getProperty("quarkus.http.proxy.trusted-proxies"));
        assertThat(fallback.matches()).as("the setting has a default").isTrue();

        Field hostName = TrustedProxyCheck.TrustedProxyCheckPart.class.getDeclaredField("hostName");
        hostName.setAccessible(true);
        for (String entry : fallback.group(1).split(",")) {
            TrustedProxyCheck.TrustedProxyCheckPart part = new TrustedProxyCheckPartConverter().convert(entry.trim());
            assertThat(hostName.get(part)).as("%s is read as a host name to resolve", entry).isNull();
        }
    }
}
