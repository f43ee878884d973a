package io.notify.notification.service;

import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who is reading: the identity an inbox is computed from (fan-out on read). */
public record Reader(String userId, String username, String company, Set<String> roles) {

    public static Reader of(JsonWebToken jwt) {
        String company = jwt.getClaim("company");
        return new Reader(jwt.getSubject(), jwt.getName(), company, jwt.getGroups());
    }

    public boolean isAdmin() {
        return roles.contains("admin");
    }
}
