package io.notify.notification.identity;

import java.util.Map;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.notify.directory.RecentChanges;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every request is judged by the account as it is now, not as its token says it was: auth-service publishes each
 * change on {@code user-changes}, and a token issued before its account's last change is refused with 401 when the
 * account is disabled, and otherwise carries the account's current roles ({@code @RolesAllowed}) and, through
 * {@link VerifiedTokens#caller}, its current company (the inbox it reads, what it may send). A change applies on
 * every instance within the time the record takes to arrive (milliseconds), not when the token expires.
 */
@ApplicationScoped
public class CurrentAccounts implements SecurityIdentityAugmentor {

    private final RecentChanges changes;
    private final ObjectMapper json;

    public CurrentAccounts(RecentChanges changes, ObjectMapper json) {
        this.changes = changes;
        this.json = json;
    }

    /** Every instance reads every change (a consumer group of its own, from the look-back: directory-changes/README). */
    @Incoming("user-changes")
    void changed(String value) {
        changes.apply(value, json);
    }

    /**
     * A gateway's request naming the user it acts for ({@link ActingFor}) is that user's, judged as below; any other
     * caller's {@value ActingFor#HEADER} is ignored.
     */
    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context,
            Map<String, Object> attributes) {
        RoutingContext request = HttpSecurityUtils.getRoutingContextAttribute(attributes);
        String actingFor = request == null ? null : request.request().getHeader(ActingFor.HEADER);
        if (actingFor != null && ActingFor.mayAct(identity.getRoles()) && identity.getPrincipal() instanceof JsonWebToken gateway) {
            try {
                JsonWebToken user = ActingFor.principal(actingFor, gateway);
                identity = QuarkusSecurityIdentity.builder().setPrincipal(user).addCredentials(identity.getCredentials())
                        .addAttributes(identity.getAttributes()).addRoles(user.getGroups()).build();
            } catch (AuthenticationFailedException e) {
                return Uni.createFrom().failure(e);
            }
        }
        return augment(identity, context);
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        RecentChanges.Account account = changes.overriding(jwt.getSubject(), jwt.getIssuedAtTime());
        if (account == null) {
            return Uni.createFrom().item(identity);
        }
        if (!account.enabled()) {
            return Uni.createFrom().failure(new AuthenticationFailedException("The account was disabled"));
        }
        if (account.serviceAccount() || account.roles().equals(identity.getRoles())) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder().setPrincipal(identity.getPrincipal())
                .addCredentials(identity.getCredentials()).addAttributes(identity.getAttributes())
                .addRoles(account.roles()).build());
    }
}
