package io.notify.notification.actions;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.eclipse.microprofile.config.ConfigProvider;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * Where a webhook may point: a public address. A service account names the URL and the store calls it, so without this a
 * tenant could make notification-service POST into the cluster (the Kubernetes API, a database's admin port, a cloud
 * metadata endpoint at 169.254.169.254). Checked when the URL is set and again before each call (the name may resolve
 * elsewhere by then; the HTTP client resolves it once more, so a name that flips between the check and the call is a
 * remaining, narrow window). {@code NOTIFY_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES=true} lifts it (the local and test profiles:
 * their receivers listen on 127.0.0.1).
 */
public final class WebhookAddresses {

    private WebhookAddresses() {
    }

    /** The URL's host resolves to public addresses only (unless private ones are allowed); a 400 naming the field. */
    @Target({ ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD })
    @Retention(RetentionPolicy.RUNTIME)
    @Constraint(validatedBy = Public.Validator.class)
    public @interface Public {

        String message() default "must resolve to a public address (not loopback, private or link-local)";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        /**
         * Checks with {@code notify.webhooks.allow-private-addresses} as configured at run time (read on each check:
         * validators are created at static init in a native image, where an injected value would be the build's);
         * the message names no user input.
         */
        class Validator implements ConstraintValidator<Public, String> {

            @Override
            public boolean isValid(String url, ConstraintValidatorContext context) {
                if (url == null || !url.matches("https?://\\S+")) {
                    return true; // @NotNull and @Pattern report these
                }
                boolean allowPrivate = ConfigProvider.getConfig()
                        .getOptionalValue("notify.webhooks.allow-private-addresses", Boolean.class).orElse(false);
                return refusal(url, allowPrivate).isEmpty();
            }
        }
    }

    /** Why {@code url} may not be called (empty: it may): its host does not resolve, or resolves to a private address. */
    public static Optional<String> refusal(String url, boolean allowPrivate) {
        String host;
        try {
            host = URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return Optional.of("must be an http(s) URL");
        }
        if (host == null) {
            return Optional.of("must be an http(s) URL with a host");
        }
        if (allowPrivate) {
            return Optional.empty();
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            return Optional.of("its host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            if (isPrivate(address)) {
                return Optional.of("its host " + host + " resolves to a private address (" + address.getHostAddress()
                        + "): webhooks go to public addresses only");
            }
        }
        return Optional.empty();
    }

    /** Loopback, unspecified, private (RFC 1918, IPv6 unique local), link-local, carrier-grade NAT or multicast. */
    static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isSiteLocalAddress()
                || address.isLinkLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return true; // fc00::/7, unique local
            }
            boolean mapped = true; // ::ffff:a.b.c.d, an IPv4 address in IPv6 clothing
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isPrivate(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
            return false;
        }
        return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64 // 100.64.0.0/10, carrier-grade NAT
                || (b[0] & 0xff) == 0; // 0.0.0.0/8
    }
}
