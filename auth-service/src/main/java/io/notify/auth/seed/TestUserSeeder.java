package io.notify.auth.seed;

import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.notify.auth.AuthConfig;
import io.notify.auth.company.Company;
import io.notify.auth.serviceaccount.ServiceAccount;
import io.notify.auth.serviceaccount.ServiceAccountChanged;
import io.notify.auth.user.UserAccount;
import io.notify.auth.user.UserChanged;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

/**
 * Creates the seed's companies, test users and the {@code billing-service} service account when {@code notify.auth.seed-test-users} is on
 * (dev, test and the local launch; never %prod). Fixed ids keep walkthroughs reproducible.
 */
@ApplicationScoped
public class TestUserSeeder {

    private static final Logger LOG = Logger.getLogger(TestUserSeeder.class);

    public static final UUID ADMIN_ID = UUID.fromString("00000000-0000-4000-8000-00000000a001");
    public static final UUID USER1_ID = UUID.fromString("00000000-0000-4000-8000-00000000a002");
    public static final UUID USER2_ID = UUID.fromString("00000000-0000-4000-8000-00000000b001");
    public static final UUID BILLING_SERVICE_ID = UUID.fromString("00000000-0000-4000-8000-0000000000c1");

    private final AuthConfig config;
    private final Event<UserChanged> userCreated;
    private final Event<ServiceAccountChanged> serviceAccountCreated;

    public TestUserSeeder(AuthConfig config, Event<UserChanged> userCreated, Event<ServiceAccountChanged> serviceAccountCreated) {
        this.config = config;
        this.userCreated = userCreated;
        this.serviceAccountCreated = serviceAccountCreated;
    }

    @Transactional
    void onStart(@Observes StartupEvent event) {
        if (!config.seedTestUsers()) {
            return;
        }
        Company a = company("company_a", "Company A");
        Company b = company("company_b", "Company B");
        user(ADMIN_ID, "admin", "Administrator", "wkwkwk", a, Set.of("admin", "user"));
        user(USER1_ID, "user1", "User One", "wkwkwk", a, Set.of("user"));
        user(USER2_ID, "user2", "User Two", "password2", b, Set.of("user"));
        serviceAccount(BILLING_SERVICE_ID, "billing-service", "Billing", "billing-secret-change-me", Set.of(a));
    }

    private void serviceAccount(UUID id, String clientId, String name, String secret, Set<Company> companies) {
        if (ServiceAccount.findByIdOptional(id).isPresent()) {
            return;
        }
        ServiceAccount account = new ServiceAccount();
        account.id = id;
        account.clientId = clientId;
        account.name = name;
        account.secretHash = BcryptUtil.bcryptHash(secret);
        account.companies.addAll(companies);
        account.persist();
        serviceAccountCreated.fire(new ServiceAccountChanged(account, EnumSet.of(ServiceAccountChanged.Change.CREATED)));
        LOG.infof("Seeded test service account %s (%s)", clientId, companies.stream().map(Company::slug).toList());
    }

    private static Company company(String slug, String name) {
        return Company.findBySlug(slug).orElseGet(() -> {
            Company c = new Company();
            c.slug = slug;
            c.name = name;
            c.persist();
            return c;
        });
    }

    private void user(UUID id, String username, String displayName, String password, Company company,
            Set<String> roles) {
        if (UserAccount.findByIdOptional(id).isPresent()) {
            return;
        }
        UserAccount u = new UserAccount();
        u.id = id;
        u.username = username;
        u.displayName = displayName;
        u.email = username + "@" + company.slug.replace('_', '-') + ".example";
        u.passwordHash = BcryptUtil.bcryptHash(password);
        u.company = company;
        u.roles.addAll(roles);
        u.persist();
        userCreated.fire(new UserChanged(u, EnumSet.of(UserChanged.Change.CREATED)));
        LOG.infof("Seeded test user %s (%s, %s)", username, company.slug, roles);
    }
}
