package io.notify.infra.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

class TestResourcesTest {

    @Test
    void kafkaResourceIsOneBrokerPerJvm() throws Exception {
        KafkaTestResource first = new KafkaTestResource();
        Map<String, String> config = first.start();
        first.stop();
        Map<String, String> again = new KafkaTestResource().start();
        assertEquals(config, again);
        String bootstrap = config.get("kafka.bootstrap.servers");
        assertTrue(bootstrap.startsWith("127.0.0.1:"), bootstrap);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            assertEquals(1, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
        }
    }

    @Test
    void postgresResourceCreatesTheConfiguredDatabase() throws Exception {
        PostgresTestResource resource = new PostgresTestResource();
        resource.init(Map.of("database", "orders"));
        Map<String, String> config = resource.start();
        resource.stop();
        assertEquals("postgresql", config.get("quarkus.datasource.db-kind"));
        assertTrue(config.get("quarkus.datasource.jdbc.url").endsWith("/orders"), config.toString());

        PostgresTestResource other = new PostgresTestResource();
        other.init(Map.of());
        Map<String, String> otherConfig = other.start();
        assertTrue(otherConfig.get("quarkus.datasource.jdbc.url").endsWith("/app"), otherConfig.toString());

        try (Connection c = DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"));
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_database()")) {
            assertTrue(rs.next());
            assertEquals("orders", rs.getString(1));
        }
    }
}
