package io.notify.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.notify.client.auth.api.AuthApi;
import io.notify.client.auth.model.LoginRequest;
import io.notify.client.auth.model.MeResponse;
import io.notify.client.notification.ApiClient;
import io.notify.client.notification.ApiException;
import io.notify.client.notification.api.NotificationsApi;
import io.notify.client.notification.model.Audience;
import io.notify.client.notification.model.CompanyAudience;
import io.notify.client.notification.model.InboxPage;
import io.notify.client.notification.model.NotificationRequest;
import io.notify.client.notification.model.NotificationView;
import io.notify.client.notification.model.UserAudience;
import io.notify.client.notification.model.ValidationProblem;
import io.notify.client.notification.model.Violation;
import io.notify.infra.launch.Suite;

/**
 * The services' OpenAPI documents are what standard tooling needs: both served documents pass Redocly's
 * {@code recommended} rules with no error (tools/openapi-lint), and the Java clients openapi-generator makes from the
 * exported documents ({@code java}, library {@code native}: system-tests' pom) drive the suite as they are, through
 * the one origin: log in, send to a typed company and a typed user audience, list, mark read (204, whatever the
 * client accepts), and read a 400's {@code violations} as typed objects.
 */
@ExtendWith(SuiteExtension.class)
class OpenApiClientSystemTest {

    static Suite suite;
    static Path repo;
    static Tool redocly;

    @BeforeAll
    static void installLinter(Suite running) throws Exception {
        suite = running;
        repo = running.config().repoRoot();
        redocly = new Tool(repo.resolve("system-tests/target/openapi-lint"),
                Map.of("REDOCLY_TELEMETRY", "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE", "true"));
        redocly.install(repo, "openapi-lint");
    }

    @Test
    void servedDocuments_passRedoclysRecommendedRules_withoutErrors() throws Exception {
        for (String service : List.of("auth-service", "notification-service")) {
            String document = given().baseUri(suite.uri(service).toString()).queryParam("format", "json")
                    .get("/q/openapi").then().statusCode(200).extract().asString();
            Path file = redocly.workDir().resolve(service + ".json");
            Files.writeString(file, document);
            Tool.Result lint = redocly.run(List.of(repo.resolve("tools/openapi-lint/node_modules/.bin/redocly").toString(), "lint",
                    "--extends", "recommended", "--format", "stylish", file.toString()), redocly.workDir().resolve(service + ".log"), 600);
            System.out.println("---- redocly lint (recommended): " + service + " (exit " + lint.exit() + ")\n" + lint.output());
            assertThat(lint.exit()).as(service + ":\n" + lint.output()).isZero();
        }
    }

    @Test
    void generatedJavaClients_logInSendListMarkRead_andReadTypedViolations() throws Exception {
        String origin = suite.origin().toString();
        io.notify.client.auth.ApiClient authClient = new io.notify.client.auth.ApiClient();
        authClient.updateBaseUri(origin);
        AuthApi auth = new AuthApi(authClient);
        String adminToken = auth.login(new LoginRequest().username("admin").password("wkwkwk")).getAccessToken();
        String userToken = auth.login(new LoginRequest().username("user1").password("wkwkwk")).getAccessToken();
        // the native library has no authentication settings: a request interceptor sends the token (an Api copies it)
        authClient.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + userToken));
        MeResponse user1 = new AuthApi(authClient).getCurrentUser();

        NotificationsApi admin = new NotificationsApi(client(origin, adminToken));
        NotificationsApi user = new NotificationsApi(client(origin, userToken));
        String run = UUID.randomUUID().toString().substring(0, 8);
        NotificationView toCompany = admin.sendNotification(new NotificationRequest()
                .audience(new Audience(new CompanyAudience().type(CompanyAudience.TypeEnum.COMPANY).company("company_a")))
                .title("Company news " + run).message("From a generated client")
                .priority(NotificationRequest.PriorityEnum.HIGH));
        NotificationView toUser = admin.sendNotification(new NotificationRequest()
                .audience(new Audience(new UserAudience().type(UserAudience.TypeEnum.USER).userIds(List.of(user1.getId()))))
                .title("For you " + run).message("From a generated client"));
        assertThat(toCompany.getAudience().getType().getValue()).isEqualTo("company");
        assertThat(toUser.getAudience().getType().getValue()).isEqualTo("user");

        InboxPage page = user.listNotifications(null, null, 50, null, null, null, null);
        assertThat(page.getItems()).extracting(NotificationView::getId).contains(toCompany.getId(), toUser.getId());
        assertThat(page.getItems()).filteredOn(n -> n.getId().equals(toUser.getId()))
                .singleElement().extracting(NotificationView::getRead).isEqualTo(false);

        // the generated client accepts only application/problem+json here (the 204 has no body): no 406
        user.markRead(toUser.getId());
        assertThat(user.listNotifications(null, null, 50, null, null, null, true).getItems())
                .extracting(NotificationView::getId).contains(toCompany.getId()).doesNotContain(toUser.getId());

        ApiException invalid = catchThrowableOfType(ApiException.class, () -> admin.sendNotification(new NotificationRequest()
                .audience(new Audience(new CompanyAudience().type(CompanyAudience.TypeEnum.COMPANY).company("company_a")))
                .title(" ").message("no title")));
        assertThat(invalid.getCode()).isEqualTo(400);
        ValidationProblem problem = new ApiClient().getObjectMapper().readValue(invalid.getResponseBody(), ValidationProblem.class);
        assertThat(problem.getStatus()).isEqualTo(400);
        assertThat(problem.getViolations()).singleElement().satisfies(v -> {
            assertThat(v.getField()).isEqualTo("title");
            assertThat(v.getIn()).isEqualTo(Violation.InEnum.BODY);
            assertThat(v.getMessage()).isNotBlank();
        });
    }

    @Test
    void aQueryParameterThatIsNotANumber_isA400ProblemNamingIt() {
        String token = new Api(suite).login("user1", "wkwkwk");
        Map<String, Object> problem = given().baseUri(suite.origin().toString()).auth().oauth2(token)
                .queryParam("after", "abc").get("/api/notifications/resume")
                .then().statusCode(400).contentType("application/problem+json").extract().jsonPath().getMap("");
        assertThat(problem.get("violations")).isEqualTo(List.of(Map.of("field", "after", "in", "query",
                "message", "must be an integer")));
    }

    /** The generated client of notification-service on {@code origin}, sending {@code token} as its bearer token. */
    private static ApiClient client(String origin, String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(origin);
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        return client;
    }
}
