package io.notify.notification.quota;

/**
 * One counter a send is taken from: {@code scope} {@link SendQuotas#COMPANY} (key: the company),
 * {@link SendQuotas#SERVICE_ACCOUNT} (key: the account's token {@code sub}) or {@link SendQuotas#USER} (key: the
 * user's token {@code sub}).
 */
public record QuotaKey(String scope, String key) {

    public static QuotaKey company(String company) {
        return new QuotaKey(SendQuotas.COMPANY, company);
    }

    public static QuotaKey serviceAccount(String subject) {
        return new QuotaKey(SendQuotas.SERVICE_ACCOUNT, subject);
    }

    public static QuotaKey user(String subject) {
        return new QuotaKey(SendQuotas.USER, subject);
    }

    public boolean isCompany() {
        return SendQuotas.COMPANY.equals(scope);
    }
}
