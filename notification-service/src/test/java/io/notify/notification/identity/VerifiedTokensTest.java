package io.notify.notification.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import io.smallrye.jwt.auth.principal.ParseException;

/**
 * The verified-token cache in front of smallrye-jwt's parser: a repeated token skips verification,
 * but never past its expiry, and a failed verification is never remembered. (Forged and tampered
 * tokens against the running service: TokenAttacksTest.)
 */
class VerifiedTokensTest {

    /** Stands in for smallrye-jwt: verifies by counting, fails once told the token has expired. */
    static final class CountingParser {
        final AtomicInteger verifications = new AtomicInteger();
        volatile boolean expired;

        JsonWebToken verify(long expSeconds) throws ParseException {
            verifications.incrementAndGet();
            if (expired) {
                throw new ParseException("expired");
            }
            return new JsonWebToken() {
                @Override
                public String getName() {
                    return "user";
                }

                @Override
                public Set<String> getClaimNames() {
                    return Set.of("exp");
                }

                @Override
                @SuppressWarnings("unchecked")
                public <T> T getClaim(String name) {
                    return "exp".equals(name) ? (T) Long.valueOf(expSeconds) : null;
                }
            };
        }
    }

    @Test
    void aRepeatedToken_isVerifiedOnce() throws Exception {
        CountingParser parser = new CountingParser();
        long exp = System.currentTimeMillis() / 1000 + 600;
        VerifiedTokens.Memo memo = new VerifiedTokens.Memo();

        for (int i = 0; i < 5; i++) {
            assertThat(memo.parse("token-a", t -> parser.verify(exp)).getName()).isEqualTo("user");
        }
        memo.parse("token-b", t -> parser.verify(exp));

        assertThat(parser.verifications).hasValue(2);
    }

    @Test
    void aTokenInUse_staysRemembered_whileManyMoreOneOffTokensThanTheMemoHoldsPass_andTheMemoStaysBounded()
            throws Exception {
        CountingParser hot = new CountingParser();
        CountingParser once = new CountingParser();
        long exp = System.currentTimeMillis() / 1000 + 600;
        VerifiedTokens.Memo memo = new VerifiedTokens.Memo();

        for (int i = 0; i < 3 * VerifiedTokens.MAX_ENTRIES; i++) {
            if (i % 8 == 0) { // a client's next request with its token
                memo.parse("client-token", t -> hot.verify(exp));
            }
            int n = i;
            memo.parse("one-off-" + n, t -> once.verify(exp));
        }

        assertThat(once.verifications).hasValue(3 * VerifiedTokens.MAX_ENTRIES);
        assertThat(hot.verifications).as("verified once, remembered through three memos' worth of other tokens")
                .hasValue(1);
        assertThat(memo.size()).isLessThanOrEqualTo(VerifiedTokens.MAX_ENTRIES);
    }

    @Test
    void aRememberedToken_isVerifiedAgainOnceItExpires_andThenRejected() throws Exception {
        CountingParser parser = new CountingParser();
        long exp = System.currentTimeMillis() / 1000 + 1;
        VerifiedTokens.Memo memo = new VerifiedTokens.Memo();
        VerifiedTokens.Verification smallryeJwt = t -> parser.verify(exp);
        memo.parse("short-lived", smallryeJwt);
        parser.expired = true; // what smallrye-jwt answers from now on (after its clock skew)

        await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> assertThatThrownBy(() -> memo.parse("short-lived", smallryeJwt)).isInstanceOf(ParseException.class));
        assertThatThrownBy(() -> memo.parse("short-lived", smallryeJwt)).as("a failure is not remembered either")
                .isInstanceOf(ParseException.class);
        assertThat(parser.verifications).hasValueGreaterThanOrEqualTo(3);
    }

    @Test
    void aRememberedTokensReader_isDerivedOnce_andAForgottenTokenIsReadAfresh() throws Exception {
        AtomicInteger companyReads = new AtomicInteger();
        long exp = System.currentTimeMillis() / 1000 + 600;
        JsonWebToken jwt = new JsonWebToken() {
            @Override
            public String getName() {
                return "alice";
            }

            @Override
            public Set<String> getClaimNames() {
                return Set.of("exp", "sub", "company", "groups", "raw_token");
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String name) {
                return (T) switch (name) {
                    case "exp" -> Long.valueOf(exp);
                    case "sub" -> "user-1";
                    case "raw_token" -> "token-c";
                    case "groups" -> Set.of("user");
                    case "company" -> {
                        companyReads.incrementAndGet();
                        yield "acme";
                    }
                    default -> null;
                };
            }
        };
        VerifiedTokens.Memo memo = new VerifiedTokens.Memo();
        memo.parse("token-c", t -> jwt);

        var first = memo.caller(jwt);
        assertThat(memo.caller(jwt)).isSameAs(first);
        assertThat(first.userId()).isEqualTo("user-1");
        assertThat(first.company()).isEqualTo("acme");
        assertThat(first.roles()).containsExactly("user");
        assertThat(companyReads).hasValue(1);

        assertThat(new VerifiedTokens.Memo().caller(jwt)).as("not remembered: read from the token")
                .isNotSameAs(first).isEqualTo(first);
        assertThat(companyReads).hasValue(2);

        // a user a gateway acts for has the gateway's raw token, under which the gateway's own caller is remembered
        String user = java.util.UUID.randomUUID().toString();
        JsonWebToken actingFor = ActingFor.principal("{\"sub\":\"" + user + "\",\"upn\":\"bob\",\"company\":\"acme\","
                + "\"groups\":[\"user\"],\"iat\":" + (exp - 600) + ",\"exp\":" + exp + "}", jwt);
        assertThat(actingFor.getRawToken()).isEqualTo("token-c");
        Caller acting = memo.caller(actingFor);
        assertThat(acting.userId()).as("the user acted for, not the remembered caller").isEqualTo(user);
        assertThat(acting.username()).isEqualTo("bob");
        assertThat(acting.credential()).isEqualTo(new Caller.Credential("token-c", ActingFor.header(actingFor)));
        assertThat(memo.caller(jwt)).isSameAs(first);
    }
}
