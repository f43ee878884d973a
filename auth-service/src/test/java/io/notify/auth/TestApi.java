package io.notify.auth;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Shared helpers: seeded identities, logins from distinct client addresses, and forged tokens. */
final class TestApi {

    static final String ADMIN_ID = "00000000-0000-4000-8000-00000000a001";
    static final String USER1_ID = "00000000-0000-4000-8000-00000000a002";
    static final String USER2_ID = "00000000-0000-4000-8000-00000000b001";
    static final String BILLING_ID = "00000000-0000-4000-8000-0000000000c1";
    static final Path SIGNING_KEY = Path.of("target/test-keys/jwt-private.pem");

    private static final AtomicInteger ADDRESSES = new AtomicInteger(1);

    private TestApi() {
    }

    /** A client address no other test uses (the trusted local proxy forwards it), so throttle counters stay apart. */
    static String freshAddress() {
        int n = ADDRESSES.getAndIncrement();
        return "198.51." + (n / 250) + "." + (n % 250 + 1);
    }

    static RequestSpecification from(String address) {
        return given().header("X-Forwarded-For", address);
    }

    static Response loginAttempt(String username, String password, String address) {
        return from(address).contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password))
                .post("/api/auth/login");
    }

    /** The whole token response of a successful login. */
    static Map<String, Object> login(String username, String password) {
        return loginAttempt(username, password, freshAddress()).then().statusCode(200).extract().jsonPath().getMap("");
    }

    static String accessToken(String username, String password) {
        return (String) login(username, password).get("access_token");
    }

    static String admin() {
        return accessToken("admin", "wkwkwk");
    }

    static String user1() {
        return accessToken("user1", "wkwkwk");
    }

    static String user2() {
        return accessToken("user2", "password2");
    }

    static String billing() {
        return given().contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", "billing-service")
                .formParam("client_secret", "billing-secret-change-me")
                .post("/api/auth/token")
                .then().statusCode(200).extract().path("access_token");
    }

    static Response refresh(String refreshToken) {
        return given().contentType(ContentType.JSON).body(Map.of("refresh_token", refreshToken)).post("/api/auth/refresh");
    }

    /** Creates a user through the admin API; returns its id. */
    static String createUser(String admin, String username, String password, String company, String... roles) {
        return given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password, "display_name", "Test " + username,
                        "company", company, "roles", roles.length == 0 ? new String[] { "user" } : roles))
                .post("/api/auth/users")
                .then().statusCode(201).extract().path("id");
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    // ---- forged tokens for the security matrix ----

    static JwtClaims claims(String subject, String company, String... groups) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("notify-auth");
        claims.setAudience("notify");
        claims.setSubject(subject);
        claims.setClaim("upn", "forged");
        claims.setStringListClaim("groups", groups);
        claims.setClaim("company", company);
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(10);
        claims.setGeneratedJwtId();
        return claims;
    }

    static String signWithServiceKey(JwtClaims claims) {
        RSAPrivateCrtKey key = serviceKey();
        return sign(claims, key, new RsaJsonWebKey(publicOf(key)));
    }

    static String sign(JwtClaims claims, PrivateKey key, RsaJsonWebKey publicJwk) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(key);
            jws.setKeyIdHeaderValue(publicJwk.calculateBase64urlEncodedThumbprint("SHA-256"));
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String expired() {
        JwtClaims claims = claims(USER1_ID, "company_a", "user");
        claims.setIssuedAt(NumericDate.fromSeconds(System.currentTimeMillis() / 1000 - 3600));
        claims.setExpirationTime(NumericDate.fromSeconds(System.currentTimeMillis() / 1000 - 1800));
        return signWithServiceKey(claims);
    }

    static String wrongIssuer() {
        JwtClaims claims = claims(ADMIN_ID, "company_a", "admin", "user");
        claims.setIssuer("https://evil.example");
        return signWithServiceKey(claims);
    }

    static String wrongAudience() {
        JwtClaims claims = claims(ADMIN_ID, "company_a", "admin", "user");
        claims.setAudience("someone-else");
        return signWithServiceKey(claims);
    }

    /** A real admin-looking payload with user1's valid signature: the signature no longer matches. */
    static String tampered() {
        String[] parts = user1().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"groups\":[\"user\"]", "\"groups\":[\"admin\",\"user\"]");
        return parts[0] + "." + b64(payload) + "." + parts[2];
    }

    static String algNone() {
        return b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(claims(ADMIN_ID, "company_a", "admin", "user").toJson()) + ".";
    }

    /** HS256 keyed with the published RSA public key: the classic algorithm-confusion attack. */
    static String hs256WithPublicKey() {
        try {
            RSAPrivateCrtKey key = serviceKey();
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims(ADMIN_ID, "company_a", "admin", "user").toJson());
            jws.setKey(new HmacKey(publicOf(key).getEncoded()));
            jws.setKeyIdHeaderValue(new RsaJsonWebKey(publicOf(key)).calculateBase64urlEncodedThumbprint("SHA-256"));
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
            jws.setDoKeyValidation(false);
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String foreignKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            RSAPrivateCrtKey foreign = (RSAPrivateCrtKey) generator.generateKeyPair().getPrivate();
            // claims the service's kid, signed by another key
            JwtClaims claims = claims(ADMIN_ID, "company_a", "admin", "user");
            RSAPrivateCrtKey real = serviceKey();
            return sign(claims, foreign, new RsaJsonWebKey(publicOf(real)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static RSAPrivateCrtKey readKey(Path file) {
        try {
            String pem = Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return (RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static java.security.interfaces.RSAPublicKey publicOf(RSAPrivateCrtKey key) {
        try {
            return (java.security.interfaces.RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAPrivateCrtKey serviceKey() {
        return readKey(SIGNING_KEY);
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
