/**
 * Users: the entity, the directory (who may see whom), user administration and
 * {@code /api/auth/users}, the password policy and the roles tokens carry.
 */
package io.notify.auth.user;
