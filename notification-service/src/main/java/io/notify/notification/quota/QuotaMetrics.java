package io.notify.notification.quota;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/**
 * Sends per company on {@code /q/metrics}, as the company quota saw them: {@code notify_company_sends_accepted_total
 * {company}} (within every quota the send counts against), {@code notify_company_sends_refused_total{company, quota}}
 * (a REST send answered 429; {@code quota} names the one used up: company, service_account or user) and
 * {@code notify_company_sends_deferred_total{company}} (a Kafka request kept for a later window, counted once; accepted
 * when stored). One series per company that sent: as many as there are tenants, which is the point.
 */
@Singleton
public class QuotaMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public QuotaMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void accepted(String company) {
        counter("accepted", company, null).increment();
    }

    public void refused(String company, String quota) {
        counter("refused", company, quota).increment();
    }

    public void deferred(String company) {
        counter("deferred", company, null).increment();
    }

    private Counter counter(String outcome, String company, String quota) {
        return counters.computeIfAbsent(outcome + ' ' + company + ' ' + quota, k -> {
            Counter.Builder builder = Counter.builder("notify.company.sends." + outcome)
                    .description("Sends counted against a company's quota, " + outcome).tag("company", company);
            return (quota == null ? builder : builder.tag("quota", quota)).register(registry);
        });
    }
}
