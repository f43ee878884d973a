package io.notify.notification.topics;

import java.util.List;
import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.notify.notification.Audience;
import io.notify.notification.identity.Caller;
import io.notify.notification.identity.DirectoryClient;
import io.notify.notification.identity.Roles;
import io.notify.notification.identity.VerifiedTokens;
import io.notify.problem.InvalidRequest;
import io.notify.problem.OpenApiConventions;
import io.notify.problem.Violation;
import io.quarkiverse.resteasy.problem.HttpProblem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Topic subscriptions: the caller's own, and (admins of the company, the company's service accounts) anyone's of the
 * company. A topic is always a company's: the caller's company; for a service account the one company of its scope,
 * or the {@code company} query parameter when it has several.
 */
@Path("/api/topics")
@Tag(name = "Topics", description = "Subscriptions to topics of a company (`project-42`, `invoice-1001`): a topic "
        + "audience reaches the subscribers who subscribed before it was sent")
@RolesAllowed({ Roles.USER, Roles.ADMIN, Roles.SERVICE })
@SecurityRequirement(name = "jwt")
@Produces({ MediaType.APPLICATION_JSON, OpenApiConventions.PROBLEM_JSON })
@APIResponse(responseCode = "401", description = "Missing, invalid or expired token")
public class TopicResource {

    private static final String KEY_DESCRIPTION = "The topic: 1 to 128 letters, digits, `.`, `_`, `:` or `-`, starting "
            + "with a letter or digit";
    private static final String COMPANY_DESCRIPTION = "For a service account with several companies: the topic's "
            + "company (one of its scope); others may leave it out or give their own company";

    private final TopicService topics;
    private final DirectoryClient directory;
    private final JsonWebToken jwt;
    private final VerifiedTokens tokens;

    public TopicResource(TopicService topics, DirectoryClient directory, JsonWebToken jwt, VerifiedTokens tokens) {
        this.topics = topics;
        this.directory = directory;
        this.jwt = jwt;
        this.tokens = tokens;
    }

    @GET
    @Operation(operationId = "listMyTopicSubscriptions", summary = "My subscriptions", description = "The caller's "
            + "topic subscriptions in their company, by topic.")
    @APIResponse(responseCode = "200", description = "The subscriptions")
    @APIResponse(responseCode = "403", description = "The caller is no user of a company")
    public TopicSubscription.Mine mine() {
        Caller caller = ownCaller();
        return new TopicSubscription.Mine(topics.subscriptions(caller.company(), caller.userId()));
    }

    @PUT
    @Path("/{key}/subscription")
    @Operation(operationId = "subscribeToTopic", summary = "Subscribe", description = "Subscribes the caller to the topic "
            + "of their company: from now on they see its notifications (not earlier ones). Idempotent: when already "
            + "subscribed, answers that subscription (same `since_seq`) and tells nobody; otherwise every tab and "
            + "device of the caller is told (`subscription_changed`) and every gateway routes the topic to them.")
    @APIResponse(responseCode = "200", description = "The subscription")
    @APIResponse(responseCode = "400", description = "Not a topic key; `violations` names `key`")
    @APIResponse(responseCode = "403", description = "The caller is no user of a company")
    public TopicSubscription subscribe(@RestPath @Pattern(regexp = Audience.TOPIC_KEY, message = Audience.TOPIC_KEY_MESSAGE)
            @Parameter(description = KEY_DESCRIPTION, example = "project-42") String key) {
        Caller caller = ownCaller();
        return topics.subscribe(caller.company(), key, caller.userId());
    }

    @DELETE
    @Path("/{key}/subscription")
    @Operation(operationId = "unsubscribeFromTopic", summary = "Unsubscribe", description = "Unsubscribes the caller: the "
            + "topic's notifications leave their inbox. Also 204 when not subscribed (then nobody is told).")
    @APIResponse(responseCode = "204", description = "Not subscribed (any more)")
    @APIResponse(responseCode = "400", description = "Not a topic key; `violations` names `key`")
    @APIResponse(responseCode = "403", description = "The caller is no user of a company")
    public void unsubscribe(@RestPath @Pattern(regexp = Audience.TOPIC_KEY, message = Audience.TOPIC_KEY_MESSAGE)
            @Parameter(description = KEY_DESCRIPTION, example = "project-42") String key) {
        Caller caller = ownCaller();
        topics.unsubscribe(caller.company(), key, caller.userId());
    }

    @PUT
    @Path("/{key}/subscribers/{userId}")
    @Operation(operationId = "subscribeUserToTopic", summary = "Subscribe a user", description = "Subscribes a user of "
            + "the company to its topic, as `PUT /api/topics/{key}/subscription` does for the caller. Admins of the "
            + "company and its service accounts only.")
    @APIResponse(responseCode = "200", description = "The subscription")
    @APIResponse(responseCode = "400", description = "Not a topic key, or `company` is not one of the caller's; "
            + "`violations` names it")
    @APIResponse(responseCode = "403", description = "Neither an admin nor a service account")
    @APIResponse(responseCode = "404", description = "No user of that company has this id")
    public TopicSubscription subscribeUser(
            @RestPath @Pattern(regexp = Audience.TOPIC_KEY, message = Audience.TOPIC_KEY_MESSAGE)
            @Parameter(description = KEY_DESCRIPTION, example = "project-42") String key,
            @RestPath @Size(max = 64) @Parameter(description = "The user's id") String userId,
            @RestQuery @Size(min = 1, max = 64) @Parameter(description = COMPANY_DESCRIPTION) String company) {
        String topicCompany = managedCompany(company);
        return topics.subscribe(topicCompany, key, userOf(topicCompany, userId));
    }

    @DELETE
    @Path("/{key}/subscribers/{userId}")
    @Operation(operationId = "unsubscribeUserFromTopic", summary = "Unsubscribe a user", description = "Unsubscribes a "
            + "user of the company from its topic, as `DELETE /api/topics/{key}/subscription` does for the caller. "
            + "Admins of the company and its service accounts only.")
    @APIResponse(responseCode = "204", description = "Not subscribed (any more)")
    @APIResponse(responseCode = "400", description = "Not a topic key, or `company` is not one of the caller's; "
            + "`violations` names it")
    @APIResponse(responseCode = "403", description = "Neither an admin nor a service account")
    @APIResponse(responseCode = "404", description = "No user of that company has this id")
    public void unsubscribeUser(
            @RestPath @Pattern(regexp = Audience.TOPIC_KEY, message = Audience.TOPIC_KEY_MESSAGE)
            @Parameter(description = KEY_DESCRIPTION, example = "project-42") String key,
            @RestPath @Size(max = 64) @Parameter(description = "The user's id") String userId,
            @RestQuery @Size(min = 1, max = 64) @Parameter(description = COMPANY_DESCRIPTION) String company) {
        String topicCompany = managedCompany(company);
        topics.unsubscribe(topicCompany, key, userOf(topicCompany, userId));
    }

    @GET
    @Path("/{key}/subscribers")
    @Operation(operationId = "listTopicSubscribers", summary = "Subscribers", description = "The topic's subscribers by "
            + "user id, a page at a time: pass `next_after` as `after`. Admins of the company and its service accounts "
            + "only.")
    @APIResponse(responseCode = "200", description = "A page of subscribers")
    @APIResponse(responseCode = "400", description = "Invalid parameter, or `company` is not one of the caller's; "
            + "`violations` names it")
    @APIResponse(responseCode = "403", description = "Neither an admin nor a service account")
    public TopicSubscription.SubscribersPage subscribers(
            @RestPath @Pattern(regexp = Audience.TOPIC_KEY, message = Audience.TOPIC_KEY_MESSAGE)
            @Parameter(description = KEY_DESCRIPTION, example = "project-42") String key,
            @RestQuery @Size(max = 64) @Parameter(description = "`next_after` of the previous page") String after,
            @RestQuery("limit") @DefaultValue("100") @Min(1) @Max(500)
            @Parameter(description = "Page size, 1 to 500") int limit,
            @RestQuery @Size(min = 1, max = 64) @Parameter(description = COMPANY_DESCRIPTION) String company) {
        return topics.subscribers(managedCompany(company), key, after, limit);
    }

    /** The caller, a user of a company (only they have subscriptions of their own). */
    private Caller ownCaller() {
        Caller caller = tokens.caller(jwt);
        if (caller.company() == null || caller.isService()) {
            throw forbidden("Only a user of a company has topic subscriptions");
        }
        return caller;
    }

    /**
     * The company whose topics the caller manages: an admin's own; a service account's one company, or {@code company}
     * among those of its scope. 403 for anyone else.
     */
    private String managedCompany(String company) {
        Caller caller = tokens.caller(jwt);
        if (caller.isService()) {
            Set<String> scope = caller.scope();
            if (company != null) {
                if (!scope.contains(company)) {
                    throw invalidCompany("is not a company of this service account");
                }
                return company;
            }
            if (scope.size() == 1) {
                return scope.iterator().next();
            }
            if (scope.isEmpty()) {
                throw forbidden("This service account has no company");
            }
            throw invalidCompany("is required: this service account has several companies");
        }
        if (caller.isAdmin() && caller.company() != null) {
            if (company != null && !company.equals(caller.company())) {
                throw invalidCompany("is not your company");
            }
            return caller.company();
        }
        throw forbidden("Only admins of the company and its service accounts manage others' subscriptions");
    }

    /** The id, when it is a user of {@code company} the caller may see; else 404. Asks auth-service (blocking). */
    private String userOf(String company, String userId) {
        String theirs = directory.companies(List.of(userId), tokens.caller(jwt).credential()).get(userId);
        if (!company.equals(theirs)) {
            throw HttpProblem.builder().withStatus(Response.Status.NOT_FOUND).withTitle("Not Found")
                    .withDetail("No user " + userId + " in company " + company).build();
        }
        return userId;
    }

    /** 400 naming the {@code company} query parameter. */
    private static InvalidRequest invalidCompany(String message) {
        return new InvalidRequest(List.of(new Violation("company", "query", message)));
    }

    private static HttpProblem forbidden(String detail) {
        return HttpProblem.builder().withStatus(Response.Status.FORBIDDEN).withTitle("Forbidden").withDetail(detail)
                .build();
    }
}
