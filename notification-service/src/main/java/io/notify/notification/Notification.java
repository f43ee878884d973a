package io.notify.notification;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.notify.notification.actions.Action;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "notifications")
public class Notification extends PanacheEntityBase {

    @Id
    public UUID id;

    /** From the global event sequence, drawn under its lock (see SequencedOutbox). */
    @Column(nullable = false, updatable = false)
    public Long seq;

    @Column(name = "audience_type", nullable = false)
    public String audienceType;

    @Column(name = "audience_company")
    public String audienceCompany;

    @Column(name = "audience_role")
    public String audienceRole;

    /** The topic of a topic audience (within {@link #audienceCompany}; see V31). */
    @Column(name = "audience_topic")
    public String audienceTopic;

    @Column(nullable = false)
    public String title;

    @Column(nullable = false)
    public String message;

    @Column(nullable = false)
    public String type;

    @Column(nullable = false)
    public String priority;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Object> data;

    public String link;

    @Column(nullable = false)
    public String sender;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    /** Whose key it is: keys are unique per sender, never across senders (see V4). */
    @Column(name = "idempotency_scope")
    public String idempotencyScope;

    /** The sender's own id for it (the seed's {@code payload.id}); not unique (see V24). */
    @Column(name = "external_id")
    public String externalId;

    /** Its buttons (null: none; see V28). */
    @JdbcTypeCode(SqlTypes.JSON)
    public List<Action> actions;

    /** The sending user's or service account's id (null from the Kafka intake); written by the send statement only. */
    @Column(name = "sender_id", insertable = false, updatable = false)
    public String senderId;
}
