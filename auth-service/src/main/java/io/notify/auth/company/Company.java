package io.notify.auth.company;

import java.time.OffsetDateTime;
import java.util.Optional;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A tenant. Its {@code slug} is what tokens carry in the {@code company} claim. */
@Entity
@Table(name = "companies")
public class Company extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, unique = true)
    public String slug;

    @Column(nullable = false)
    public String name;

    /** Sends per minute notification-service admits for this company; null: its configured default. */
    @Column(name = "send_quota_per_minute")
    public Integer sendQuotaPerMinute;

    @Column(name = "created_at", nullable = false, updatable = false)
    public OffsetDateTime createdAt = OffsetDateTime.now();

    public String slug() {
        return slug;
    }

    public static Optional<Company> findBySlug(String slug) {
        return find("slug", slug).firstResultOptional();
    }
}
