/**
 * Service accounts (backend producers using the client-credentials grant): the entity, client secrets
 * and {@code /api/auth/service-accounts}.
 */
package io.notify.auth.serviceaccount;
