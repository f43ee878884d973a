package io.notify.notification.persistence;

import java.util.List;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A Kafka record waiting to be relayed; written in the transaction of the change it describes. */
@Entity
@Table(name = "outbox")
public class OutboxEntry extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String topic;

    @Column(name = "record_key")
    public String recordKey;

    @Column(nullable = false)
    public String payload;

    public static OutboxEntry of(String topic, String key, String payload) {
        OutboxEntry e = new OutboxEntry();
        e.topic = topic;
        e.recordKey = key;
        e.payload = payload;
        return e;
    }

    /** The oldest entries, in the order they were written. */
    public static List<OutboxEntry> oldest(int limit) {
        return findAll(Sort.ascending("id")).page(0, limit).list();
    }
}
