package io.notify.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.notify.infra.launch.Suite;
import io.vertx.core.json.JsonObject;

/**
 * Fuzzes every HTTP service of the running suite from the OpenAPI document it serves at
 * {@code /q/openapi}, with Schemathesis (pinned in tools/fuzz/requirements.txt): examples,
 * boundary values and random valid and invalid requests, as an admin and as a plain user. Any
 * response >= 500 and any response that breaks the documented schema fails the test, which prints
 * what Schemathesis found and how to reproduce it.
 * <p>
 * It runs last but for LogSecretsSystemTest, which reads only logs ({@link Order}; the class orderer is set in
 * junit-platform.properties): fuzzing creates users and companies and sends notifications, which no other test
 * should see. Requests
 * go straight to each service (not the proxy) with a made-up client address in X-Forwarded-For
 * (the services trust the local proxy hop), so fuzzed logins only ever throttle that address.
 */
@ExtendWith(SuiteExtension.class)
@Order(Integer.MAX_VALUE - 1)
class OpenApiFuzzSystemTest {

    /** Test cases per operation and phase: the whole run stays within about two minutes. */
    static final int EXAMPLES = Integer.getInteger("notify.fuzz.examples", 25);
    static final String CHECKS = "not_a_server_error,response_schema_conformance";

    static Suite suite;
    static Api api;
    static Path repo;
    static Tool fuzzer;

    @BeforeAll
    static void installFuzzer(Suite running) throws Exception {
        suite = running;
        api = new Api(running);
        repo = running.config().repoRoot();
        // in the build's output: Schemathesis keeps a cache (.schemathesis/) in its working directory
        fuzzer = new Tool(repo.resolve("system-tests/target/fuzz"), Map.of());
        fuzzer.install(repo, "fuzz");
    }

    /** The number of operations in the OpenAPI document the service serves. */
    static int operations(String service) {
        JsonObject paths = new JsonObject(given()
                .baseUri(suite.uri(service).toString()).accept("application/json").get("/q/openapi")
                .then().statusCode(200).extract().asString()).getJsonObject("paths", new JsonObject());
        return paths.stream().mapToInt(p -> ((JsonObject) p.getValue()).size()).sum();
    }

    /** Runs Schemathesis against one service as one identity; returns its report (empty when clean). */
    static String fuzz(String service, String who, String token) throws Exception {
        String base = suite.uri(service).toString();
        List<String> command = new ArrayList<>(List.of(repo.resolve("tools/fuzz/.venv/bin/st").toString(), "run",
                base + "/q/openapi", "--url", base,
                "--checks", CHECKS,
                "--max-examples", String.valueOf(EXAMPLES),
                "--phases", "examples,coverage,fuzzing",
                "--seed", "20261121",
                "--workers", "1", // Hypothesis' lambda introspection is not thread-safe on Python 3.11
                "--request-timeout", "20",
                "--no-color",
                "--output-truncate", "true",
                "--generation-database", "none",
                "--exclude-path-regex", "^/q/",
                "-H", "X-Forwarded-For: 203.0.113.77",
                "--report", "junit",
                "--report-junit-path", fuzzer.workDir().resolve(service + "-" + who + ".xml").toString()));
        if (token != null) {
            command.addAll(List.of("-H", "Authorization: Bearer " + token));
        }
        Tool.Result result = fuzzer.run(command, fuzzer.workDir().resolve(service + "-" + who + ".log"), 900);
        System.out.println("---- schemathesis: " + service + " as " + who + " (exit " + result.exit() + ")");
        System.out.println(summary(result.output()));
        return result.exit() == 0 ? "" : service + " as " + who + ":\n" + result.output();
    }

    /** Schemathesis ends with its failures (each with a curl line to reproduce it) and a summary. */
    static String summary(String output) {
        int failures = output.indexOf("FAILURES");
        return failures >= 0 ? output.substring(failures) : output.substring(Math.max(0, output.length() - 3_000));
    }

    @Test
    void everyServicesOpenApi_fuzzed_asAdminAndAsUser_hasNoServerErrorsAndNoSchemaViolations() throws Exception {
        String admin = api.login("admin", "wkwkwk");
        String user = api.login("user1", "wkwkwk");
        List<String> findings = new ArrayList<>();
        String gateway = suite.gateways().get(0);
        // the gateway's API is its WebSocket (SocketAbuseTest, SocketLimitsTest): no HTTP operations yet;
        // should it grow some, they are fuzzed like the others
        int gatewayOperations = operations(gateway);
        System.out.println("gateway-service serves " + gatewayOperations + " HTTP operations");
        for (String service : gatewayOperations == 0 ? List.of("auth-service", "notification-service")
                : List.of("auth-service", "notification-service", gateway)) {
            assertThat(operations(service)).as(service + " serves its operations").isPositive();
            for (String who : List.of("admin", "user")) {
                String found = fuzz(service, who, who.equals("admin") ? admin : user);
                if (!found.isEmpty()) {
                    findings.add(found);
                }
            }
        }
        assertThat(findings).as(String.join("\n\n", findings)).isEmpty();
    }
}
