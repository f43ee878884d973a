/**
 * Signing in and staying signed in: password login, the OAuth 2.0 token endpoint, refresh and logout,
 * {@code /me}, refresh sessions and tokens, the access tokens issued, the credential checks and
 * their throttle.
 */
package io.notify.auth.login;
