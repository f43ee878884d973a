package io.notify.gateway.endpoint;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * GatewaySocketTest's black-box assertions against the packaged application: the jar by default, the
 * native executable when built with -Pnative. The test resources start PostgreSQL/Kafka in the
 * test JVM and hand their addresses to the launched process.
 */
@QuarkusIntegrationTest
class GatewaySocketIT extends GatewaySocketTest {
}
