package io.notify.notification.inbox;

import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.notify.notification.NotificationView;
import io.notify.notification.Preferences;
import io.notify.notification.identity.Caller;
import io.notify.notification.identity.Roles;
import io.notify.notification.identity.VerifiedTokens;
import io.notify.notification.send.NotificationRequest;
import io.notify.notification.send.ScheduledSends;
import io.notify.notification.send.SendPipeline;
import io.quarkiverse.resteasy.problem.HttpProblem;
import io.notify.problem.OpenApiConventions;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/notifications")
@Tag(name = "notifications")
@RolesAllowed({ Roles.USER, Roles.ADMIN, Roles.SERVICE })
@SecurityRequirement(name = "jwt")
@Produces(MediaType.APPLICATION_JSON)
@APIResponse(responseCode = "401", description = "Missing, invalid or expired token")
/** The caller's inbox: pages, counts, read state, preferences and resume (sending: {@code send.SendResource}). */
public class InboxResource {

    private static final String PRIORITY = "low|normal|high|urgent";

    private final InboxService inbox;
    private final InboxConfig config;
    private final JsonWebToken jwt;
    private final VerifiedTokens tokens;
    private final MutedTypesLookup mutedTypes;
    private final ScheduledSends scheduled;

    public InboxResource(InboxService inbox, InboxConfig config, JsonWebToken jwt,
            VerifiedTokens tokens, MutedTypesLookup mutedTypes, ScheduledSends scheduled) {
        this.scheduled = scheduled;
        this.inbox = inbox;
        this.mutedTypes = mutedTypes;
        this.config = config;
        this.jwt = jwt;
        this.tokens = tokens;
    }

    @GET
    @Operation(operationId = "listNotifications", summary = "Inbox", description = "The caller's notifications: those addressed to them, their company, "
            + "their roles and everyone; never expired or deleted ones, nor archived ones unless `archived=true` (then only "
            + "those). Newest first, or urgent ones first with "
            + "`order=urgent_first`. Pass `next_cursor` of a page as `cursor` for the next one.")
    @APIResponse(responseCode = "200", description = "A page of notifications, each with `read`")
    @APIResponse(responseCode = "400", description = "Invalid parameter; `violations` names it")
    public InboxPage list(
            @RestQuery @Size(max = 40) @Parameter(description = "`next_cursor` of the previous page") String cursor,
            @RestQuery("limit") @DefaultValue("50") @Min(1) @Max(200) @Parameter(description = "Page size, 1 to 200") int limit,
            @RestQuery @DefaultValue("false") @Parameter(description = "Only unread ones") boolean unread,
            @RestQuery @Size(max = 20) @Parameter(description = "Only these types (repeatable)")
            Set<@Pattern(regexp = "[a-z][a-z0-9_]{0,63}", message = "must be lower_snake_case") String> type,
            @RestQuery @Parameter(description = "Only these priorities (repeatable)")
            Set<@Pattern(regexp = PRIORITY, message = "must be one of low, normal, high, urgent") String> priority,
            @RestQuery @DefaultValue("newest") @Pattern(regexp = "newest|urgent_first", message = "must be newest or urgent_first")
            @Parameter(description = "newest (default) or urgent_first") String order,
            @RestQuery @DefaultValue("false") @Parameter(description = "The archived ones (and only those)") boolean archived) {
        InboxQueries.Filter filter = new InboxQueries.Filter(unread, emptyToNull(type), emptyToNull(priority), null, archived, null);
        return inbox.page(reader(), cursor, limit, filter, "urgent_first".equals(order));
    }

    @GET
    @Path("/external/{externalId}")
    @Operation(operationId = "getNotificationByExternalId", summary = "Find by your own id", description = "The newest "
            + "notification with this `external_id` (the sender's own id: `external_id` of a send, `payload.id` of a "
            + "seed envelope) in the caller's inbox, with `read`; else the newest one the caller sent with it (no "
            + "`read`). Expired and deleted ones are not found. URL-encode the id.")
    @APIResponse(responseCode = "200", description = "The notification")
    @APIResponse(responseCode = "400", description = "Not an external id (1 to 200 characters, no control characters)")
    @APIResponse(responseCode = "404", description = "None in the caller's inbox and none sent by the caller")
    public NotificationView byExternalId(
            @RestPath @Pattern(regexp = NotificationRequest.EXTERNAL_ID, message = NotificationRequest.EXTERNAL_ID_MESSAGE)
            @Parameter(description = "The sender's id for the notification", example = "n-42") String externalId) {
        return inbox.byExternalId(reader(), externalId);
    }

    @GET
    @Path("/unread-count")
    @Operation(operationId = "getUnreadCount", summary = "Unread count", description = "Unread notifications in total and per priority. Types the "
            + "caller switched off are not counted, except urgent ones.")
    @APIResponse(responseCode = "200", description = "The count")
    public UnreadCount unreadCount() {
        return inbox.unreadCount(reader());
    }

    @Produces({ MediaType.APPLICATION_JSON, OpenApiConventions.PROBLEM_JSON }) // 204 or a problem: no 406 for Accept: problem+json
    @POST
    @Path("/{id}/read")
    @Operation(operationId = "markRead", summary = "Mark one read", description = "Idempotent. Every tab and device of the caller is told; the "
            + "notification's `read_users` counts the caller once.")
    @APIResponse(responseCode = "204", description = "Read")
    @APIResponse(responseCode = "404", description = "Not in the caller's inbox")
    public void markRead(@RestPath UUID id) {
        inbox.markRead(reader(), id);
    }

    @POST
    @Path("/read-all")
    @Operation(operationId = "markAllRead", summary = "Mark all read", description = "Marks everything up to `up_to` (default: everything so far) "
            + "read with one write, whatever the inbox size. Answers the caller's read watermark. Delivery statistics "
            + "(`read_users`, the `read` engagement event) count a read for each notification that was unread in that "
            + "range: the set the unread count counts, at most `NOTIFY_INBOX_UNREAD_COUNT_LIMIT` (1000), the newest.")
    @APIResponse(responseCode = "200", description = "The watermark: every notification with a seq up to it is read")
    public ReadAll markAllRead(
            @RestQuery("up_to") @PositiveOrZero @Parameter(description = "Highest seq to mark read") Long upTo) {
        return new ReadAll(inbox.markAllRead(reader(), upTo));
    }

    /** The caller's read watermark. */
    public record ReadAll(@com.fasterxml.jackson.annotation.JsonProperty("read_up_to") long readUpTo) {
    }

    /** {@code POST /seen}'s body; {@code {}} means everything so far. */
    @Schema(example = "{\"up_to\": 1234}")
    public record SeenUpTo(@com.fasterxml.jackson.annotation.JsonProperty("up_to") @PositiveOrZero
            @Schema(description = "Highest seq to mark seen (default: everything so far)") Long upTo) {
    }

    /** The caller's seen watermark. */
    public record SeenAll(@com.fasterxml.jackson.annotation.JsonProperty("seen_up_to") long seenUpTo) {
    }

    @POST
    @Path("/seen")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "markSeen", summary = "Mark seen", description = "Marks everything up to `up_to` (`{}`: everything so far) "
            + "seen with one write: the caller's seen watermark. Seen is not read: `unread-count`'s `unseen` (the bell's "
            + "badge) counts the unread ones above it. Every tab and device of the caller is told (`all_seen`); when the "
            + "watermark already covers `up_to` nothing changes.")
    @APIResponse(responseCode = "200", description = "The watermark: every notification with a seq up to it is seen")
    @APIResponse(responseCode = "400", description = "Invalid `up_to`; `violations` names it")
    public SeenAll markSeen(@Valid @NotNull SeenUpTo body) {
        return new SeenAll(inbox.markAllSeen(reader(), body.upTo()));
    }

    @Produces({ MediaType.APPLICATION_JSON, OpenApiConventions.PROBLEM_JSON }) // 204 or a problem: no 406 for Accept: problem+json
    @POST
    @Path("/{id}/archive")
    @Operation(operationId = "archiveNotification", summary = "Archive", description = "Takes the notification out of the caller's list "
            + "and counts (it is marked read) until unarchived; `GET /api/notifications?archived=true` lists it. Idempotent. "
            + "Every tab and device of the caller is told (`notification_archived`).")
    @APIResponse(responseCode = "204", description = "Archived")
    @APIResponse(responseCode = "404", description = "Not in the caller's inbox")
    public void archive(@RestPath UUID id) {
        inbox.archive(reader(), id);
    }

    @Produces({ MediaType.APPLICATION_JSON, OpenApiConventions.PROBLEM_JSON }) // 204 or a problem: no 406 for Accept: problem+json
    @POST
    @Path("/{id}/unarchive")
    @Operation(operationId = "unarchiveNotification", summary = "Unarchive", description = "Brings an archived notification back to the "
            + "caller's list, still read. Idempotent. Every tab and device of the caller is told (`notification_unarchived`).")
    @APIResponse(responseCode = "204", description = "Back in the list")
    @APIResponse(responseCode = "404", description = "Not in the caller's inbox")
    public void unarchive(@RestPath UUID id) {
        inbox.unarchive(reader(), id);
    }

    @Produces({ MediaType.APPLICATION_JSON, OpenApiConventions.PROBLEM_JSON }) // 204 or a problem: no 406 for Accept: problem+json
    @POST
    @Path("/{id}/snooze")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "snoozeNotification", summary = "Snooze", description = "Takes the notification out of the "
            + "caller's list and counts until `until` (in the future, at most 30 days ahead); then it comes back unread "
            + "(even when everything was marked read meanwhile) and is pushed again, as a `notification` frame with "
            + "`resurfaced: true`. Snoozing again moves the time. Every tab and device of the caller is told "
            + "(`notification_snoozed`).")
    @APIResponse(responseCode = "204", description = "Snoozed")
    @APIResponse(responseCode = "400", description = "Invalid `until`; `violations` names it")
    @APIResponse(responseCode = "404", description = "Not in the caller's inbox")
    public void snooze(@RestPath UUID id, @Valid @NotNull Snooze body) {
        inbox.snooze(reader(), id, body.until());
    }

    @Produces({ MediaType.APPLICATION_JSON, OpenApiConventions.PROBLEM_JSON }) // 204 or a problem: no 406 for Accept: problem+json
    @POST
    @Path("/{id}/unsnooze")
    @Operation(operationId = "unsnoozeNotification", summary = "Unsnooze", description = "Brings a snoozed notification "
            + "back to the caller's list now, as it was (no push). Idempotent. Every tab and device of the caller is "
            + "told (`notification_unsnoozed`).")
    @APIResponse(responseCode = "204", description = "Back in the list")
    @APIResponse(responseCode = "404", description = "Not in the caller's inbox")
    public void unsnooze(@RestPath UUID id) {
        inbox.unsnooze(reader(), id);
    }

    @Produces({ MediaType.APPLICATION_JSON, OpenApiConventions.PROBLEM_JSON }) // 204 or a problem: no 406 for Accept: problem+json
    @DELETE
    @Path("/{id}")
    @Operation(operationId = "deleteNotification", summary = "Delete", description = "Removes the notification from the caller's inbox only (a broadcast "
            + "stays for its other readers). Every tab and device of the caller is told. When `id` is a scheduled "
            + "send of the caller's not sent yet, cancels it (204); when it already went out, 409.")
    @APIResponse(responseCode = "204", description = "Deleted (or the caller's scheduled send cancelled)")
    @APIResponse(responseCode = "404", description = "Not in the caller's inbox, nor a scheduled send of the caller's")
    @APIResponse(responseCode = "409", description = "The caller's scheduled send already went out")
    public void delete(@RestPath UUID id) {
        Caller reader = reader();
        try {
            inbox.delete(reader, id);
        } catch (HttpProblem notInInbox) {
            if (notInInbox.getStatusCode() != 404) {
                throw notInInbox;
            }
            // not in the inbox: the caller's scheduled send, maybe
            switch (scheduled.cancel(SendPipeline.scope(reader), id)) {
                case CANCELLED -> {
                }
                case ALREADY_SENT -> throw HttpProblem.builder().withStatus(409).withTitle("Already sent")
                        .withDetail("The scheduled send " + id + " already went out").build();
                case NONE -> throw notInInbox;
            }
        }
    }

    @GET
    @Path("/preferences")
    @Operation(operationId = "getPreferences", summary = "Preferences", description = "Every known type with on/off, plus the caller's own types.")
    @APIResponse(responseCode = "200", description = "The caller's preferences")
    public Preferences preferences() {
        return inbox.preferences(jwt.getSubject());
    }

    @PUT
    @Path("/preferences")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updatePreferences", summary = "Change preferences", description = "Switches the listed types on or off (others keep their "
            + "setting). A type switched off is neither pushed nor counted unread; urgent ones always get through. "
            + "`quiet_hours`, when given, replaces the caller's quiet hours: during them pushes that are not urgent "
            + "are silent (no toast); absent or null keeps them.")
    @APIResponse(responseCode = "200", description = "The caller's preferences after the change")
    @APIResponse(responseCode = "400", description = "Invalid type name or value, or invalid quiet hours "
            + "(`quiet_hours.start`/`end` not HH:mm, `end` equal to `start`, `quiet_hours.timezone` not an IANA zone)")
    public Preferences updatePreferences(@Valid @NotNull Preferences preferences) {
        return inbox.updatePreferences(jwt.getSubject(), preferences);
    }

    @DELETE
    @Path("/preferences/quiet-hours")
    @Operation(operationId = "clearQuietHours", summary = "Remove quiet hours", description = "Pushes are no longer "
            + "silent at any time of day. Answers the caller's preferences after the change (also when there were none).")
    @APIResponse(responseCode = "200", description = "The caller's preferences after the change, without `quiet_hours`")
    public Preferences clearQuietHours() {
        return inbox.clearQuietHours(jwt.getSubject());
    }

    @POST
    @Path("/preferences/muted")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.GATEWAY)
    @Operation(operationId = "lookUpMutedTypes", summary = "Muted types of many users", description = "For each user id, in order: the types that user "
            + "switched off. For the WebSocket gateways only (their own token, role `gateway`, from auth-service's "
            + "client `notify-gateway`): a gateway verified each user's token when their socket opened and loads the "
            + "users whose sockets opened this way, up to 100 per request. Any other caller gets 403.")
    @APIResponse(responseCode = "200", description = "One result per user id, in the order of the ids")
    @APIResponse(responseCode = "400", description = "No user ids or more than 100; `violations` names it")
    @APIResponse(responseCode = "403", description = "The caller is not a gateway")
    public MutedTypes.Answer mutedTypes(@Valid @NotNull MutedTypes.Request request) {
        return mutedTypes.lookUp(request.userIds());
    }

    @GET
    @Path("/resume")
    @Operation(operationId = "resumeNotifications", summary = "Resume", description = "Everything addressed to the caller after seq `after`, oldest first: "
            + "created notifications and the caller's read / all_read / all_seen / archived / unarchived / snoozed / "
            + "unsnoozed / resurfaced / deleted / preferences_updated events. "
            + "Answers status `resync` (reload the inbox, continue from `last_seq`) when that cannot be served.")
    @APIResponse(responseCode = "200", description = "The missed events, or resync")
    public ResumeResult resume(
            @RestQuery("after") @NotNull @PositiveOrZero @Parameter(description = "The last seq the client saw") Long after,
            @RestQuery("limit") @Min(1) @Max(1000) @Parameter(description = "Most events to answer (default 500)") Integer limit) {
        return inbox.resume(reader(), after, limit != null ? limit : config.resumeLimit());
    }

    private Caller reader() {
        return tokens.caller(jwt);
    }

    private static <T> Set<T> emptyToNull(Set<T> values) {
        return values == null || values.isEmpty() ? null : values;
    }
}
