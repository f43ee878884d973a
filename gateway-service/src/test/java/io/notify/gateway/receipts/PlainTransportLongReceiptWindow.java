package io.notify.gateway.receipts;

import java.util.HashMap;
import java.util.Map;

/** {@link LongReceiptWindow} on the fallback transport ({@code plain}), which remembers pushed ids on its own path. */
public class PlainTransportLongReceiptWindow extends LongReceiptWindow {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("notify.gateway.transport", "plain");
        return overrides;
    }
}
