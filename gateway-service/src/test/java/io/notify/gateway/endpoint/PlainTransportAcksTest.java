package io.notify.gateway.endpoint;

import io.notify.gateway.receipts.PlainTransportLongReceiptWindow;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Acks and receipts on the fallback transport: websockets-next's public API only. */
@QuarkusTest
@TestProfile(PlainTransportLongReceiptWindow.class)
class PlainTransportAcksTest extends SocketAcksTest {
}
