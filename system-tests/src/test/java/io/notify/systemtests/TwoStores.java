package io.notify.systemtests;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

import io.notify.infra.launch.Suite;

/** A second notification-service instance beside the suite's own, for what the instances must share. */
final class TwoStores implements AutoCloseable {

    /** The base of a system test that runs against both instances, as the admin. */
    @ExtendWith(SuiteExtension.class)
    abstract static class Test {
        static Api api;
        static Suite suite;
        static TwoStores twoStores;
        static String admin;

        @BeforeAll
        static void startSecondStore(Suite running) {
            suite = running;
            api = new Api(running);
            twoStores = TwoStores.start(running);
            admin = api.login("admin", "wkwkwk");
        }

        @AfterAll
        static void stopSecondStore() {
            twoStores.close();
        }

        /** Both instances' base URIs: the suite's own first. */
        static List<String> stores() {
            return twoStores.uris();
        }
    }

    private final Suite suite;
    private final String second;

    private TwoStores(Suite suite, String second) {
        this.suite = suite;
        this.second = second;
    }

    static TwoStores start(Suite suite) {
        return new TwoStores(suite, suite.startNotificationServiceInstance());
    }

    /** Both instances' base URIs: the suite's own first. */
    List<String> uris() {
        return List.of(suite.uri("notification-service").toString(), suite.uri(second).toString());
    }

    @Override
    public void close() {
        suite.service(second).stop(Duration.ofSeconds(10));
    }
}
