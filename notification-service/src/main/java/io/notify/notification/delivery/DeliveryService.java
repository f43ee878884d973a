package io.notify.notification.delivery;

import java.util.List;
import java.util.UUID;

import io.notify.notification.Audience;
import io.notify.notification.SqlTimes;
import io.notify.notification.identity.Caller;
import io.notify.notification.inbox.InboxService;
import io.quarkiverse.resteasy.problem.HttpProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response;

/**
 * Clicks, and the delivery statistics of a notification. Who may see a notification's statistics: its sender (the
 * user or service account whose token sent it) and an admin of the company it concerns (the company it was addressed
 * to, or the company of the user who sent it); anyone else gets the same 404 as for a notification that does not
 * exist.
 */
@ApplicationScoped
public class DeliveryService {

    private final InboxService inbox;
    private final Receipts receipts;
    private final DeliveryConfig config;
    private final EntityManager em;

    public DeliveryService(InboxService inbox, Receipts receipts, DeliveryConfig config, EntityManager em) {
        this.inbox = inbox;
        this.receipts = receipts;
        this.config = config;
        this.em = em;
    }

    /** The reader opened the notification's link: counted once per user; 404 when it is not in their inbox. */
    @Transactional
    public void clicked(Caller reader, UUID id) {
        inbox.inInbox(reader, id);
        receipts.clicked(reader.userId(), reader.company(), id);
    }

    @Transactional
    public DeliveryView delivery(Caller caller, UUID id) {
        List<?> rows = em.createNativeQuery("""
                SELECT audience_type, audience_company, audience_role, audience_size, sender_id, sender_company,
                       created_at, audience_topic FROM notifications WHERE id = :id""").setParameter("id", id).getResultList();
        if (rows.isEmpty()) {
            throw notFound(id);
        }
        Object[] n = (Object[]) rows.get(0);
        String type = (String) n[0];
        String audienceCompany = (String) n[1];
        if (!maySee(caller, audienceCompany, (String) n[4], (String) n[5])) {
            throw notFound(id);
        }
        boolean listed = type.equals("user") || type.equals("users");
        List<String> userIds = null;
        if (listed) {
            userIds = em.createNativeQuery(
                    "SELECT user_id FROM notification_recipients WHERE notification_id = :id ORDER BY user_id", String.class)
                    .setParameter("id", id).getResultList();
        }
        Audience audience = new Audience(type, userIds, audienceCompany, (String) n[2], (String) n[7]);
        Receipts.Counters c = receipts.counters(id);
        List<String> undelivered = listed ? receipts.undelivered(id, SqlTimes.utc(n[6]).plus(config.timeout())) : null;
        return new DeliveryView(id, audience, n[3] == null ? null : ((Number) n[3]).intValue(), c.deliveredUsers(),
                c.deliveredSockets(), c.readUsers(), c.clickedUsers(), c.firstDeliveredAt(), c.lastDeliveredAt(),
                undelivered);
    }

    /** The sender, or an admin of the company it was addressed to or sent from. */
    static boolean maySee(Caller caller, String audienceCompany, String senderId, String senderCompany) {
        if (caller.userId() != null && caller.userId().equals(senderId)) {
            return true;
        }
        String company = caller.company();
        return caller.isAdmin() && company != null && (company.equals(audienceCompany) || company.equals(senderCompany));
    }

    private static HttpProblem notFound(UUID id) {
        return HttpProblem.builder().withStatus(Response.Status.NOT_FOUND).withTitle("Not Found")
                .withDetail("No notification " + id + " whose delivery you may see").build();
    }
}
