/** The first seed's broadcast API ({@code /api/broadcast/...}) and its envelope, sent through {@code send}. */
package io.notify.notification.broadcast;
