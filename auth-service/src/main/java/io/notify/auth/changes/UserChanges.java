package io.notify.auth.changes;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.notify.auth.company.CompanyChanged;
import io.notify.auth.serviceaccount.ServiceAccount;
import io.notify.auth.serviceaccount.ServiceAccountChanged;
import io.notify.auth.user.UserAccount;
import io.notify.auth.user.UserChanged;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Writes the user-changes outbox: one entry per kind of change, in the transaction that makes the change (the
 * directory's and the service accounts' events are observed synchronously, inside it), so a change is published if
 * and only if it commits. {@link ChangeRelay} relays the entries after the commit.
 */
@ApplicationScoped
public class UserChanges {

    /** Fired inside a transaction that wrote entries: the relay drains once it committed. */
    public record Written() {
    }

    private static final Logger LOG = Logger.getLogger(UserChanges.class);

    private final EntityManager entities;
    private final ObjectMapper json;
    private final Event<Written> written;

    public UserChanges(EntityManager entities, ObjectMapper json, Event<Written> written) {
        this.entities = entities;
        this.json = json;
        this.written = written;
    }

    void userChanged(@Observes UserChanged changed) {
        UserChange.User state = UserChange.User.of(changed.user());
        for (UserChanged.Change change : changed.changes()) {
            String type = switch (change) {
                case ROLES -> "user_roles_changed";
                case COMPANY -> "user_company_changed";
                default -> "user_" + change.name().toLowerCase(Locale.ROOT);
            };
            write(UserChange.of(type, state));
        }
    }

    void serviceAccountChanged(@Observes ServiceAccountChanged changed) {
        UserChange.Account state = UserChange.Account.of(changed.account());
        for (ServiceAccountChanged.Change change : changed.changes()) {
            String type = switch (change) {
                case COMPANIES -> "service_account_companies_changed";
                case SEND_QUOTA -> "service_account_send_quota_changed";
                default -> "service_account_" + change.name().toLowerCase(Locale.ROOT);
            };
            write(UserChange.of(type, state));
        }
    }

    void companyChanged(@Observes CompanyChanged changed) {
        write(new UserChange(UUID.randomUUID(), "company_send_quota_changed", Instant.now(), null, null,
                UserChange.CompanyState.of(changed.company())));
    }

    /**
     * The users and service accounts that existed before this service published user-changes, once per database:
     * the first instance to start takes the snapshot (the row lock of {@code user_changes_snapshot} lets one take it).
     */
    @Transactional
    void publishSnapshotOnce(@Observes StartupEvent start) {
        int first = entities.createNativeQuery("UPDATE user_changes_snapshot SET taken_at = now() WHERE taken_at IS NULL")
                .executeUpdate();
        if (first == 0) {
            return;
        }
        Instant now = Instant.now();
        long users = UserAccount.<UserAccount>streamAll()
                .peek(u -> write(new UserChange(UUID.randomUUID(), "user_snapshot", now, UserChange.User.of(u), null, null)))
                .count();
        long accounts = ServiceAccount.<ServiceAccount>streamAll()
                .peek(a -> write(new UserChange(UUID.randomUUID(), "service_account_snapshot", now, null,
                        UserChange.Account.of(a), null)))
                .count();
        LOG.infof("Publishing the directory's state on user-changes: %d users, %d service accounts", users, accounts);
    }

    private void write(UserChange change) {
        String payload;
        try {
            payload = json.writeValueAsString(change);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A user change could not be written as JSON", e);
        }
        entities.createNativeQuery("INSERT INTO user_changes_outbox (record_key, payload) VALUES (?1, ?2)")
                .setParameter(1, change.key()).setParameter(2, payload).executeUpdate();
        written.fire(new Written());
    }
}
