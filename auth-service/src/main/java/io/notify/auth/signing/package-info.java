/**
 * The RS256 signing key, the JWKS the other services verify with, and how auth-service verifies its
 * own tokens with the same keys.
 */
package io.notify.auth.signing;
