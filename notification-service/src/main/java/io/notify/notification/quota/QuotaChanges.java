package io.notify.notification.quota;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.notify.directory.UserChangeRecord;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The send quotas admins set in auth-service ({@code PUT /api/auth/companies/{slug}/send-quota},
 * {@code …/service-accounts/{id}/send-quota}) reach {@code send_quotas} from {@code user-changes}: one consumer group
 * for all instances, reading the compacted topic from its beginning, so a new database learns every quota set so far.
 * Every service account record carries the account's quota (absent: the default), every company record the company's.
 */
@ApplicationScoped
public class QuotaChanges {

    private static final Logger LOG = Logger.getLogger(QuotaChanges.class);

    private final SendQuotas quotas;
    private final ObjectMapper json;

    public QuotaChanges(SendQuotas quotas, ObjectMapper json) {
        this.quotas = quotas;
        this.json = json;
    }

    @Incoming("user-changes-quotas")
    @Blocking(ordered = true)
    @Retry(maxRetries = -1, delay = 100, maxDuration = 0, jitter = 0)
    @ExponentialBackoff(factor = 2, maxDelay = 5_000)
    public void changed(String value) {
        UserChangeRecord record = UserChangeRecord.parse(value, json);
        if (record == null) {
            return;
        }
        if (record.serviceAccount() != null && record.serviceAccount().id() != null) {
            set(SendQuotas.SERVICE_ACCOUNT, record.serviceAccount().id(), record.serviceAccount().sendQuotaPerMinute());
        } else if (record.company() != null && record.company().slug() != null) {
            set(SendQuotas.COMPANY, record.company().slug(), record.company().sendQuotaPerMinute());
        }
    }

    private void set(String scope, String key, Integer perMinute) {
        try {
            quotas.setLimit(scope, key, perMinute);
        } catch (IllegalArgumentException e) {
            LOG.warnf("Skipped a send quota auth-service should not have published: %s", e.getMessage());
        }
    }
}
