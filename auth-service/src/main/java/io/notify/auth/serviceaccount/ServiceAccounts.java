package io.notify.auth.serviceaccount;

import java.util.List;
import java.util.Optional;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.notify.auth.ClientErrors;
import io.notify.auth.RandomSecrets;
import io.notify.auth.company.Companies;
import io.notify.auth.company.Company;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

/** Administration of service accounts. Secrets are generated here, shown once, stored bcrypt-hashed. */
@ApplicationScoped
public class ServiceAccounts {

    /** An account with the plain secret just generated for it. */
    public record WithSecret(ServiceAccount account, String secret) {
    }

    private final Companies companies;
    private final Event<ServiceAccountChanged> changed;

    public ServiceAccounts(Companies companies, Event<ServiceAccountChanged> changed) {
        this.companies = companies;
        this.changed = changed;
    }

    @Transactional
    public List<ServiceAccount> list() {
        return ServiceAccount.listAll(Sort.by("clientId"));
    }

    @Transactional
    public WithSecret create(CreateServiceAccountRequest request) {
        if (io.notify.auth.login.GatewayClient.isGatewayClientId(request.clientId())
                || ServiceAccount.findByClientId(request.clientId()).isPresent()) {
            throw ClientErrors.conflict("Client id " + request.clientId() + " is taken");
        }
        ServiceAccount account = new ServiceAccount();
        account.id = UUID.randomUUID();
        account.clientId = request.clientId();
        account.name = request.name();
        account.companies.addAll(companies.requireAll(request.companies(), "companies"));
        String secret = RandomSecrets.generate();
        account.secretHash = BcryptUtil.bcryptHash(secret);
        account.persist();
        changed.fire(new ServiceAccountChanged(account, EnumSet.of(ServiceAccountChanged.Change.CREATED)));
        return new WithSecret(account, secret);
    }

    @Transactional
    public Optional<ServiceAccount> update(UUID id, UpdateServiceAccountRequest request) {
        Optional<ServiceAccount> found = ServiceAccount.findByIdOptional(id);
        found.ifPresent(account -> {
            if (request.name() != null) {
                account.name = request.name();
            }
            Set<ServiceAccountChanged.Change> changes = EnumSet.noneOf(ServiceAccountChanged.Change.class);
            if (request.companies() != null) {
                Set<Company> scope = companies.requireAll(request.companies(), "companies");
                if (!slugs(scope).equals(slugs(account.companies))) {
                    account.companies.clear();
                    account.companies.addAll(scope);
                    changes.add(ServiceAccountChanged.Change.COMPANIES);
                }
            }
            if (request.enabled() != null && request.enabled() != account.enabled) {
                account.enabled = request.enabled();
                changes.add(account.enabled ? ServiceAccountChanged.Change.ENABLED : ServiceAccountChanged.Change.DISABLED);
            }
            if (!changes.isEmpty()) {
                changed.fire(new ServiceAccountChanged(account, changes));
            }
        });
        return found;
    }

    private static Set<String> slugs(Set<Company> companies) {
        return companies.stream().map(Company::slug).collect(Collectors.toSet());
    }

    /** Sets (null: clears) the account's send quota; empty when there is no such account. */
    @Transactional
    public Optional<ServiceAccount> setSendQuota(UUID id, Integer perMinute) {
        Optional<ServiceAccount> found = ServiceAccount.findByIdOptional(id);
        found.filter(a -> !java.util.Objects.equals(a.sendQuotaPerMinute, perMinute)).ifPresent(a -> {
            a.sendQuotaPerMinute = perMinute;
            changed.fire(new ServiceAccountChanged(a, EnumSet.of(ServiceAccountChanged.Change.SEND_QUOTA)));
        });
        return found;
    }

    /** A new secret; the old one stops working at once. */
    @Transactional
    public Optional<WithSecret> rotateSecret(UUID id) {
        return ServiceAccount.<ServiceAccount>findByIdOptional(id).map(account -> {
            String secret = RandomSecrets.generate();
            account.secretHash = BcryptUtil.bcryptHash(secret);
            return new WithSecret(account, secret);
        });
    }
}
