package io.notify.auth.serviceaccount;

import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.notify.auth.company.Company;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

/** A backend producer authenticating with the client-credentials grant; scoped to companies. */
@Entity
@Table(name = "service_accounts")
public class ServiceAccount extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "client_id", nullable = false)
    public String clientId;

    @Column(nullable = false)
    public String name;

    @Column(name = "secret_hash", nullable = false)
    public String secretHash;

    @Column(nullable = false)
    public boolean enabled = true;

    @ManyToMany(fetch = FetchType.EAGER)
    @JoinTable(name = "service_account_companies", joinColumns = @JoinColumn(name = "service_account_id"),
            inverseJoinColumns = @JoinColumn(name = "company_id"))
    @OrderBy("slug")
    public Set<Company> companies = new LinkedHashSet<>();

    /** Sends per minute notification-service admits from this account; null: its configured default. */
    @Column(name = "send_quota_per_minute")
    public Integer sendQuotaPerMinute;

    @Column(name = "created_at", nullable = false, updatable = false)
    public OffsetDateTime createdAt = OffsetDateTime.now();

    public static Optional<ServiceAccount> findByClientId(String clientId) {
        return find("lower(clientId) = lower(?1)", clientId).firstResultOptional();
    }
}
