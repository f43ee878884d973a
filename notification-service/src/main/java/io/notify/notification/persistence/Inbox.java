package io.notify.notification.persistence;

import java.util.List;
import java.util.Set;

import io.notify.notification.service.Reader;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * The reader's inbox, newest first. Each audience branch walks its own index backwards from the
 * cursor and stops at {@code limit}, so a page costs the same whatever the table size.
 */
@ApplicationScoped
public class Inbox {

    private static final String PAGE = """
            SELECT n.* FROM notifications n WHERE n.seq IN (
              SELECT seq FROM (
                (SELECT r.seq FROM notification_recipients r JOIN notifications x ON x.id = r.notification_id
                  WHERE r.user_id = :userId AND r.seq < :before AND (x.expires_at IS NULL OR x.expires_at > now())
                  ORDER BY r.seq DESC LIMIT :limit)
                UNION ALL
                (SELECT seq FROM notifications
                  WHERE audience_type = 'company' AND audience_company = :company AND seq < :before
                    AND (expires_at IS NULL OR expires_at > now())
                  ORDER BY seq DESC LIMIT :limit)
                UNION ALL
                (SELECT seq FROM notifications
                  WHERE audience_type = 'role' AND audience_role IN (:roles) AND seq < :before
                    AND (audience_company IS NULL OR audience_company = :company)
                    AND (expires_at IS NULL OR expires_at > now())
                  ORDER BY seq DESC LIMIT :limit)
                UNION ALL
                (SELECT seq FROM notifications
                  WHERE audience_type = 'everyone' AND seq < :before AND (expires_at IS NULL OR expires_at > now())
                  ORDER BY seq DESC LIMIT :limit)
              ) branches ORDER BY seq DESC LIMIT :limit)
            ORDER BY n.seq DESC
            """;

    private final EntityManager em;

    public Inbox(EntityManager em) {
        this.em = em;
    }

    @SuppressWarnings("unchecked")
    public List<Notification> page(Reader reader, long beforeSeq, int limit) {
        Set<String> roles = reader.roles().isEmpty() ? Set.of("") : reader.roles();
        return em.createNativeQuery(PAGE, Notification.class)
                .setParameter("userId", reader.userId())
                .setParameter("company", reader.company() == null ? "" : reader.company())
                .setParameter("roles", roles)
                .setParameter("before", beforeSeq)
                .setParameter("limit", limit)
                .getResultList();
    }
}
