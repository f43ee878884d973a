package io.notify.gateway.endpoint;

import io.notify.gateway.transport.PlainTransport;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The socket protocol's tests on the plain transport (notify.gateway.transport=plain): same frames, same answers. */
@QuarkusTest
@TestProfile(PlainTransport.class)
class PlainTransportSocketTest extends GatewaySocketTest {
}
