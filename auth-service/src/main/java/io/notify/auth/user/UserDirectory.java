package io.notify.auth.user;

import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.hibernate.Session;

import io.notify.auth.ClientErrors;
import io.notify.auth.company.Companies;
import io.notify.auth.company.Company;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.json.JsonString;
import jakarta.transaction.Transactional;

/**
 * The user directory and its administration. What a caller may see follows from its token: an
 * admin sees everyone, a user the users of its own company, a service account the users of the
 * companies in its {@code companies} claim. Whatever is not visible behaves as if it did not exist.
 */
@ApplicationScoped
public class UserDirectory {

    /** Who is looking: all companies (admin), or a set of company slugs. */
    public record Viewer(UUID id, boolean admin, Set<String> companies) {

        /**
         * The identity attribute holding the caller's companies as they are now (a user's company, a service account's
         * companies), set by {@code changes.CurrentAccountCheck} from the database: the token's claims may predate a
         * change.
         */
        public static final String COMPANIES_ATTRIBUTE = "notify.current-companies";

        /** The caller as the directory has it now: current roles and companies, else (no attribute) the token's. */
        public static Viewer of(SecurityIdentity identity) {
            JsonWebToken jwt = (JsonWebToken) identity.getPrincipal();
            UUID id = UUID.fromString(jwt.getSubject());
            if (identity.hasRole(Roles.ADMIN)) {
                return new Viewer(id, true, Set.of());
            }
            Set<String> current = identity.getAttribute(COMPANIES_ATTRIBUTE);
            if (current != null) {
                return new Viewer(id, false, current);
            }
            String claim = identity.hasRole(Roles.SERVICE) ? "companies" : "company";
            return new Viewer(id, false, strings(jwt.getClaim(claim)));
        }

        /** A string or string-array claim, whichever JSON types the JWT library hands out. */
        private static Set<String> strings(Object claim) {
            if (claim instanceof Collection<?> values) {
                return values.stream().map(Viewer::string).collect(Collectors.toUnmodifiableSet());
            }
            return claim == null ? Set.of() : Set.of(string(claim));
        }

        private static String string(Object value) {
            return value instanceof JsonString json ? json.getString() : String.valueOf(value);
        }

        boolean sees(UserAccount user) {
            return sees(user.company);
        }

        boolean sees(Company company) {
            return admin || companies.contains(company.slug);
        }
    }

    public record Page(List<UserAccount> users, String nextCursor) {
    }

    private final Companies companies;
    private final PasswordPolicy passwords;
    private final Event<UserAccessRevoked> accessRevoked;
    private final Event<UserChanged> changed;

    public UserDirectory(Companies companies, PasswordPolicy passwords, Event<UserAccessRevoked> accessRevoked,
            Event<UserChanged> changed) {
        this.companies = companies;
        this.passwords = passwords;
        this.accessRevoked = accessRevoked;
        this.changed = changed;
    }

    /**
     * Users by id (no paging; invisible and unknown ids are left out), or all visible users page by
     * page in username order (keyset paging: the cursor is the last username of the page).
     */
    @Transactional
    public Page list(Viewer viewer, List<UUID> ids, Optional<String> company, int limit, Optional<String> cursor) {
        if (!viewer.admin() && viewer.companies().isEmpty()) {
            return new Page(List.of(), null);
        }
        Map<String, Object> params = new HashMap<>();
        StringBuilder query = visible(viewer, company, params);
        if (!ids.isEmpty()) {
            query.append(" and id in :ids order by username");
            params.put("ids", ids);
            return new Page(UserAccount.<UserAccount>find(query.toString(), params).list(), null);
        }
        cursor.ifPresent(after -> {
            query.append(" and username > :after");
            params.put("after", decodeCursor(after));
        });
        query.append(" order by username");
        List<UserAccount> users = UserAccount.<UserAccount>find(query.toString(), params).range(0, limit).list();
        if (users.size() <= limit) {
            return new Page(users, null);
        }
        List<UserAccount> page = users.subList(0, limit);
        return new Page(List.copyOf(page), encodeCursor(page.get(limit - 1).username));
    }

    /**
     * How many enabled users the viewer may see, in {@code company} (any visible one when empty) holding {@code role}
     * (any when empty): the size of a company, role or everyone audience. A query of counts, not of rows.
     */
    @Transactional
    public long count(Viewer viewer, Optional<String> company, Optional<String> role) {
        if (!viewer.admin() && viewer.companies().isEmpty()) {
            return 0;
        }
        if (company.isPresent()) {
            // by the company's id, not its slug, and planned for that company each time: PostgreSQL estimates a
            // company's size from the id's statistics (through the slug it assumes the average company), and pgjdbc
            // prepares a statement on the server after its fifth use, whose generic plan would assume the average
            // company again (bench/README.md, "Capacity", session 29)
            Optional<Company> counted = Company.findBySlug(company.get()).filter(viewer::sees);
            if (counted.isEmpty()) {
                return 0;
            }
            UserAccount.getEntityManager().unwrap(Session.class).doWork(connection -> {
                try (Statement set = connection.createStatement()) {
                    set.execute("SET LOCAL plan_cache_mode = force_custom_plan");
                }
            });
            if (role.isEmpty()) {
                return UserAccount.count("company.id = ?1 and enabled = true", counted.get().id);
            }
            // from user_roles alone: each role row carries its user's company and state (V5, kept by triggers), and a
            // partial index holds the enabled users' rows by (company, role); joined to users, a count hashed every
            // holder of the role in every company (session 29: 60 ms for a company of 10,000 among 1.1M users)
            return ((Number) UserAccount.getEntityManager().createNativeQuery("SELECT count(*) FROM user_roles"
                    + " WHERE company_id = :company AND role = :role AND user_enabled")
                    .setParameter("company", counted.get().id).setParameter("role", role.get()).getSingleResult())
                    .longValue();
        }
        Map<String, Object> params = new HashMap<>();
        StringBuilder query = visible(viewer, company, params);
        query.append(" and enabled = true");
        role.ifPresent(r -> {
            query.append(" and :role member of roles");
            params.put("role", r);
        });
        return UserAccount.count(query.toString(), params);
    }

    /** The users the viewer may see, in {@code company} when given: a Panache query and its parameters. */
    private static StringBuilder visible(Viewer viewer, Optional<String> company, Map<String, Object> params) {
        StringBuilder query = new StringBuilder("1 = 1");
        if (!viewer.admin()) {
            query.append(" and company.slug in :visible");
            params.put("visible", viewer.companies());
        }
        company.ifPresent(slug -> {
            query.append(" and company.slug = :company");
            params.put("company", slug);
        });
        return query;
    }

    @Transactional
    public Optional<UserAccount> get(Viewer viewer, UUID id) {
        return UserAccount.<UserAccount>findByIdOptional(id).filter(viewer::sees);
    }

    @Transactional
    public UserAccount create(CreateUserRequest request) {
        if (UserAccount.findByUsername(request.username()).isPresent()) {
            throw ClientErrors.conflict("Username " + request.username() + " is taken");
        }
        UserAccount user = new UserAccount();
        user.id = UUID.randomUUID();
        user.username = request.username();
        user.displayName = request.displayName();
        user.email = request.email();
        user.passwordHash = passwords.hash(request.password(), request.username(), "password");
        user.company = companies.require(request.company(), "company");
        user.roles.addAll(request.roles());
        user.persist();
        changed.fire(new UserChanged(user, EnumSet.of(UserChanged.Change.CREATED)));
        return user;
    }

    @Transactional
    public Optional<UserAccount> update(Viewer admin, UUID id, UpdateUserRequest request) {
        Optional<UserAccount> found = UserAccount.findByIdOptional(id);
        found.ifPresent(user -> apply(admin, user, request));
        return found;
    }

    private void apply(Viewer admin, UserAccount user, UpdateUserRequest request) {
        boolean self = user.id.equals(admin.id());
        if (self && (Boolean.FALSE.equals(request.enabled())
                || request.roles() != null && !request.roles().contains(Roles.ADMIN))) {
            throw ClientErrors.conflict("Admins cannot disable themselves or remove their own admin role");
        }
        if (request.displayName() != null) {
            user.displayName = request.displayName();
        }
        if (request.email() != null) {
            user.email = request.email();
        }
        Set<UserChanged.Change> changes = EnumSet.noneOf(UserChanged.Change.class);
        if (request.company() != null) {
            Company company = companies.require(request.company(), "company");
            if (!company.slug.equals(user.company.slug)) {
                changes.add(UserChanged.Change.COMPANY);
            }
            user.company = company;
        }
        if (request.roles() != null && !request.roles().equals(user.roles)) {
            user.roles.clear();
            user.roles.addAll(request.roles());
            changes.add(UserChanged.Change.ROLES);
        }
        boolean endSessions = false;
        if (request.password() != null) {
            user.passwordHash = passwords.hash(request.password(), user.username, "password");
            endSessions = true;
        }
        if (request.enabled() != null && request.enabled() != user.enabled) {
            user.enabled = request.enabled();
            endSessions |= !user.enabled;
            changes.add(user.enabled ? UserChanged.Change.ENABLED : UserChanged.Change.DISABLED);
        }
        if (!changes.isEmpty()) {
            changed.fire(new UserChanged(user, changes));
        }
        if (endSessions) {
            accessRevoked.fire(new UserAccessRevoked(user.id, user.enabled ? "password-changed" : "disabled"));
        }
    }

    private static String encodeCursor(String username) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(username.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeCursor(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ClientErrors.invalidField("cursor", "query", "is not a cursor this API returned");
        }
    }
}
