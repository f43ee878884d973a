package io.notify.auth.company;

/**
 * Fired inside the transaction that changed a company's send quota; the user-changes outbox observes it (package
 * {@code changes}) and notification-service enforces the quota it carries.
 */
public record CompanyChanged(Company company) {
}
