package io.notify.gateway.receipts;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Receipts published only when a test calls {@link ReceiptPublisher#flush()} (as the window's timer and the
 * drain do): a test decides which acks fall into one window, instead of racing the timer.
 */
public class LongReceiptWindow implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("notify.gateway.receipts.window", "1h", "notify.gateway.instance", "gateway-under-test");
    }
}
