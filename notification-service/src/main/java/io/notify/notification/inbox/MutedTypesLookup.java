package io.notify.notification.inbox;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.agroal.api.AgroalDataSource;
import io.notify.notification.identity.VerifiedTokens;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The muted types of up to {@link MutedTypes#MAX_TOKENS} users for one request: what a gateway needs when a
 * storm of sockets opens, at a cost per user of one token verification and a few rows. Each token is verified as a
 * bearer token is (signature, expiry, issuer, audience), and its holder's entry is what that holder may read with
 * {@code GET /api/notifications/preferences}: the answer reveals nothing a token's holder could not already read.
 *
 * <p>One SQL statement for all of them, on a pooled connection in auto-commit (a read of committed rows; no
 * transaction to begin and end), and the answer is plain records written by Jackson as they are.
 */
@ApplicationScoped
public class MutedTypesLookup {

    private static final String MUTED = "SELECT user_id, type FROM preferences WHERE user_id = ANY(?) AND NOT enabled";

    private final VerifiedTokens tokens;
    private final AgroalDataSource database;

    public MutedTypesLookup(VerifiedTokens tokens, AgroalDataSource database) {
        this.tokens = tokens;
        this.database = database;
    }

    public MutedTypes.Answer lookUp(List<String> accessTokens) {
        String[] holders = new String[accessTokens.size()];
        Set<String> users = new LinkedHashSet<>();
        for (int i = 0; i < holders.length; i++) {
            holders[i] = holder(accessTokens.get(i));
            if (holders[i] != null) {
                users.add(holders[i]);
            }
        }
        Map<String, List<String>> muted = users.isEmpty() ? Map.of() : muted(users);
        List<MutedTypes.Result> results = new ArrayList<>(holders.length);
        for (String user : holders) {
            results.add(user == null ? MutedTypes.Result.INVALID_TOKEN
                    : MutedTypes.Result.of(user, muted.getOrDefault(user, List.of())));
        }
        return new MutedTypes.Answer(results);
    }

    /** The token's subject, or null when it is not a valid access token (whatever the verifier threw: a bearer token so refused is a 401). */
    private String holder(String token) {
        try {
            JsonWebToken jwt = tokens.parseWithoutRemembering(token);
            return jwt.getSubject();
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    private Map<String, List<String>> muted(Set<String> users) {
        Map<String, List<String>> muted = new HashMap<>();
        try (Connection connection = database.getConnection();
                PreparedStatement query = connection.prepareStatement(MUTED)) {
            Array ids = connection.createArrayOf("varchar", users.toArray());
            query.setArray(1, ids);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    muted.computeIfAbsent(rows.getString(1), u -> new ArrayList<>(2)).add(rows.getString(2));
                }
            }
            ids.free();
        } catch (SQLException e) {
            throw new IllegalStateException("Muted types not read", e);
        }
        return muted;
    }
}
