package io.notify.auth.changes;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;

import io.notify.auth.company.Company;
import io.notify.auth.serviceaccount.ServiceAccount;
import io.notify.auth.user.Roles;
import io.notify.auth.user.UserAccount;
import io.notify.auth.user.UserDirectory.Viewer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The requests auth-service answers itself go by the directory as it is now, not as the token says it was: the token
 * of a user or service account that was disabled (or deleted) since it was issued is refused with 401, and a user's
 * roles and company are the current ones (an admin who lost the role cannot administer with the token they hold; a
 * moved user sees the directory of their new company). The other
 * services learn the same from {@code user-changes}. The gateway client's token names no account and passes as is.
 */
@ApplicationScoped
public class CurrentAccountCheck implements SecurityIdentityAugmentor {

    /**
     * The header a WebSocket gateway names the user it acts for with (notification-service's {@code ActingFor}: the
     * claims of that user's token, as the gateway verified it); notification-service passes it on, with the gateway's
     * token, when it asks the directory for that user.
     */
    public static final String ACTING_FOR = "Notify-Acting-For";

    /**
     * A gateway's read of the directory ({@code GET /api/auth/users…}) naming the user it acts for is that user's, as
     * the directory has it now (a disabled or deleted user: 401); the header of any other caller, or on any other
     * request, is ignored.
     */
    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context,
            Map<String, Object> attributes) {
        RoutingContext request = HttpSecurityUtils.getRoutingContextAttribute(attributes);
        String actingFor = request == null ? null : request.request().getHeader(ACTING_FOR);
        if (actingFor == null || !identity.hasRole(Roles.GATEWAY) || !(identity.getPrincipal() instanceof JsonWebToken gateway)
                || request.request().method() != HttpMethod.GET || !request.normalizedPath().startsWith("/api/auth/users")) {
            return augment(identity, context);
        }
        JwtClaims user;
        Optional<UUID> id;
        try {
            user = JwtClaims.parse(actingFor);
            id = uuid(user.getSubject());
            if (id.isEmpty() || user.getExpirationTime() == null || user.getExpirationTime().isBefore(NumericDate.now())) {
                return Uni.createFrom().failure(new AuthenticationFailedException(ACTING_FOR + " refused: no user id, or expired"));
            }
        } catch (InvalidJwtException | MalformedClaimException e) {
            return Uni.createFrom().failure(new AuthenticationFailedException(ACTING_FOR + " refused: not the claims of a user's token"));
        }
        SecurityIdentity actingAs = QuarkusSecurityIdentity.builder()
                .setPrincipal(new DefaultJWTCallerPrincipal(gateway.getRawToken(), "JWT", user))
                .addCredentials(identity.getCredentials()).addAttributes(identity.getAttributes()).build();
        return context.runBlocking(() -> QuarkusTransaction.joiningExisting().call(() -> current(actingAs, id.get())));
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        Optional<UUID> account = uuid(jwt.getSubject());
        if (account.isEmpty()) {
            return Uni.createFrom().item(identity);
        }
        return context.runBlocking(() -> QuarkusTransaction.joiningExisting().call(() -> current(identity, account.get())));
    }

    private static SecurityIdentity current(SecurityIdentity identity, UUID id) {
        if (identity.hasRole("service")) {
            ServiceAccount account = ServiceAccount.findById(id);
            if (account == null || !account.enabled) {
                throw new AuthenticationFailedException("The service account is disabled");
            }
            return as(identity, identity.getRoles(), account.companies.stream().map(Company::slug).collect(Collectors.toSet()));
        }
        UserAccount user = UserAccount.findById(id);
        if (user == null || !user.enabled) {
            throw new AuthenticationFailedException("The user is disabled");
        }
        return as(identity, Set.copyOf(user.roles), Set.of(user.company.slug));
    }

    /** The identity with the account's current roles, and its current companies for the directory ({@link Viewer}). */
    private static SecurityIdentity as(SecurityIdentity identity, Set<String> roles, Set<String> companies) {
        return QuarkusSecurityIdentity.builder().setPrincipal(identity.getPrincipal())
                .addCredentials(identity.getCredentials()).addAttributes(identity.getAttributes())
                .addAttribute(Viewer.COMPANIES_ATTRIBUTE, Set.copyOf(companies))
                .addRoles(roles).build();
    }

    private static Optional<UUID> uuid(String subject) {
        try {
            return subject == null ? Optional.empty() : Optional.of(UUID.fromString(subject));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
