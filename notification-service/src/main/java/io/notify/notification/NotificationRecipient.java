package io.notify.notification;

import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** An explicit recipient of a {@code user} or {@code users} notification. */
@Entity
@Table(name = "notification_recipients")
@IdClass(NotificationRecipient.Key.class)
public class NotificationRecipient extends PanacheEntityBase {

    @Id
    @Column(name = "user_id")
    public String userId;

    @Id
    public long seq;

    @Column(name = "notification_id", nullable = false)
    public UUID notificationId;

    public static class Key implements Serializable {
        public String userId;
        public long seq;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.seq == seq && Objects.equals(k.userId, userId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(userId, seq);
        }
    }
}
