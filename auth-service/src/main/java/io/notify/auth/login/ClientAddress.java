package io.notify.auth.login;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * The caller's address for throttling. Behind a proxy this is the forwarded client address, but
 * only when the proxy is trusted ({@code quarkus.http.proxy.trusted-proxies}); otherwise headers
 * a client sets itself would let it pick a fresh address for every guess.
 */
final class ClientAddress {

    private ClientAddress() {
    }

    static String of(HttpServerRequest request) {
        SocketAddress address = request.remoteAddress();
        return address == null || address.hostAddress() == null ? "unknown" : address.hostAddress();
    }
}
