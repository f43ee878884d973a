package io.notify.notification.identity;

import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;

import io.quarkus.arc.ClientProxy;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;

/**
 * A WebSocket gateway acting for the user of one of its sockets. The gateway verified that user's token when the
 * socket opened (and again at each {@code refresh_token}); for the socket's actions it calls the store with its own
 * token (role {@code gateway}) and, in the header {@value #HEADER}, the claims of the user's token the store reads:
 * {@code sub}, {@code upn}, {@code company}, {@code groups}, {@code iat} and {@code exp}, as a JSON object. So a
 * gateway keeps no user's token for its socket's life (the largest part of what it held per idle socket).
 *
 * <p>
 * Only a caller holding the {@code gateway} role may act for someone (the header of any other caller is ignored: it
 * names nobody); a gateway's request without the header is the gateway's own. The user it acts for is judged as a
 * request with the user's own token would be: the account's last change applies to claims issued before it
 * ({@link CurrentAccounts}: a disabled account is 401), an expired {@code exp} is 401, and a gateway cannot act as a
 * gateway. Requests the store passes on to auth-service's directory for that user carry the same header with the
 * gateway's token ({@link Caller.Credential}), and auth-service applies the same rule.
 */
public final class ActingFor {

    /** The header naming the user a gateway acts for. */
    public static final String HEADER = "Notify-Acting-For";

    private ActingFor() {
    }

    /**
     * The user {@code header} names, as the principal of the request: its claims, its raw token the gateway's (what
     * the store forwards, with the header, to auth-service).
     *
     * @throws AuthenticationFailedException when the header is not such claims, names no user, or has expired
     */
    static JsonWebToken principal(String header, JsonWebToken gateway) {
        try {
            JwtClaims claims = JwtClaims.parse(header);
            String subject = claims.getSubject();
            if (subject == null || !UUID.fromString(subject).toString().equalsIgnoreCase(subject)) {
                throw refused("its sub is not a user id");
            }
            if (!claims.hasClaim("groups") || claims.getStringListClaimValue("groups").isEmpty()
                    || claims.getStringListClaimValue("groups").contains(Roles.GATEWAY)) {
                throw refused("its groups must name the user's roles");
            }
            NumericDate expires = claims.getExpirationTime();
            if (claims.getIssuedAt() == null || expires == null) {
                throw refused("it needs the token's iat and exp");
            }
            if (expires.isBefore(NumericDate.now())) {
                throw refused("the user's token has expired");
            }
            return new Principal(gateway.getRawToken(), claims, header);
        } catch (InvalidJwtException | MalformedClaimException | IllegalArgumentException e) {
            throw refused("it is not the claims of a user's token (" + e.getMessage() + ")");
        }
    }

    /** The header's value when {@code jwt} (or the request's token it is a proxy of) is a user a gateway acts for, else null. */
    static String header(JsonWebToken jwt) {
        return ClientProxy.unwrap(jwt) instanceof Principal acting ? acting.header : null;
    }

    /** Whether {@code roles} may act for others. */
    static boolean mayAct(Set<String> roles) {
        return roles.contains(Roles.GATEWAY);
    }

    private static AuthenticationFailedException refused(String why) {
        return new AuthenticationFailedException(HEADER + " refused: " + why);
    }

    /** The user a gateway acts for: the claims of the header, the raw token the gateway's. */
    private static final class Principal extends DefaultJWTCallerPrincipal {

        private final String header;

        Principal(String gatewayToken, JwtClaims claims, String header) {
            super(gatewayToken, "JWT", claims);
            this.header = header;
        }
    }
}
