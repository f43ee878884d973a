package io.notify.auth.serviceaccount;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.notify.auth.ClientErrors;
import io.notify.auth.RandomSecrets;
import io.notify.auth.company.Companies;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Administration of service accounts. Secrets are generated here, shown once, stored bcrypt-hashed. */
@ApplicationScoped
public class ServiceAccounts {

    /** An account with the plain secret just generated for it. */
    public record WithSecret(ServiceAccount account, String secret) {
    }

    private final Companies companies;

    public ServiceAccounts(Companies companies) {
        this.companies = companies;
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
        return new WithSecret(account, secret);
    }

    @Transactional
    public Optional<ServiceAccount> update(UUID id, UpdateServiceAccountRequest request) {
        Optional<ServiceAccount> found = ServiceAccount.findByIdOptional(id);
        found.ifPresent(account -> {
            if (request.name() != null) {
                account.name = request.name();
            }
            if (request.companies() != null) {
                account.companies.clear();
                account.companies.addAll(companies.requireAll(request.companies(), "companies"));
            }
            if (request.enabled() != null) {
                account.enabled = request.enabled();
            }
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
