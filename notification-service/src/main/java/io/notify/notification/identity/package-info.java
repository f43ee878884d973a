/**
 * Who is calling: the {@link io.notify.notification.identity.Caller} from the verified JWT, the verified-token cache,
 * and auth-service's user directory ({@link io.notify.notification.identity.DirectoryApi}, a REST client with fault
 * tolerance, behind {@link io.notify.notification.identity.DirectoryClient}).
 */
package io.notify.notification.identity;
