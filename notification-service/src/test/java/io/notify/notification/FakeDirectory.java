package io.notify.notification;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import io.notify.notification.identity.Caller;
import io.notify.notification.identity.DirectoryClient;
import io.quarkus.test.junit.QuarkusMock;
import io.vertx.core.Context;

/**
 * Stands in for auth-service's user directory in these service tests (the system tests use the
 * real one): every user a {@link Tenant} created is known with their company. Like the real one, it
 * must never be asked on an event loop (sends run there; a send that asks is moved to a worker).
 */
public final class FakeDirectory extends DirectoryClient {

    /** The credential of the last question asked about users' companies (what auth-service would be asked with). */
    public static volatile Caller.Credential lastAsked;

    private FakeDirectory() {
        super(null);
    }

    public static void install() {
        QuarkusMock.installMockForType(new FakeDirectory(), DirectoryClient.class);
    }

    /** Users of a company (any role: tenants' users all have the user role); null for other questions. */
    @Override
    public Integer count(String company, String role, Caller.Credential credential) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("The user directory was asked on an event loop");
        }
        if (company == null) {
            return null;
        }
        return (int) Tenant.DIRECTORY.values().stream().filter(company::equals).count();
    }

    @Override
    public Map<String, String> companies(Collection<String> userIds, Caller.Credential credential) {
        if (Context.isOnEventLoopThread()) { // the real directory blocks on an HTTP call
            throw new IllegalStateException("The user directory was asked on an event loop");
        }
        lastAsked = credential;
        Map<String, String> known = new HashMap<>();
        userIds.forEach(id -> {
            String company = Tenant.DIRECTORY.get(id);
            if (company != null) {
                known.put(id, company);
            }
        });
        return known;
    }
}
