/**
 * auth-service: users, companies, roles and service accounts; login, sessions and the RS256 access
 * tokens the other services verify with the JWKS. One package per capability; this root holds only
 * what every capability shares: the typed settings ({@link io.notify.auth.AuthConfig}), the 4xx
 * problems ({@link io.notify.auth.ClientErrors}), the accepted name shapes
 * ({@link io.notify.auth.Patterns}) and opaque random secrets ({@link io.notify.auth.RandomSecrets}).
 */
package io.notify.auth;
