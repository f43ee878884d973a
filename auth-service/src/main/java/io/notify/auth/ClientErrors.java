package io.notify.auth;

import java.util.List;
import java.util.Map;

import io.quarkiverse.resteasy.problem.HttpProblem;
import jakarta.ws.rs.core.Response;

/**
 * The 4xx problems (RFC 9457) the capabilities raise themselves: a field that names what is wrong (400,
 * shaped like the validation problems of http-problems' {@code ViolationProblems}), not found (404) and
 * conflict (409).
 */
public final class ClientErrors {

    private ClientErrors() {
    }

    /** 400 naming the offending field under {@code violations}, like a Bean Validation failure. */
    public static HttpProblem invalidField(String field, String in, String message) {
        return HttpProblem.builder()
                .withStatus(Response.Status.BAD_REQUEST)
                .withTitle("Bad Request")
                .with("violations", List.of(Map.of("field", field, "in", in, "message", message)))
                .build();
    }

    public static HttpProblem invalidBodyField(String field, String message) {
        return invalidField(field, "body", message);
    }

    public static HttpProblem notFound(String what) {
        return HttpProblem.builder()
                .withStatus(Response.Status.NOT_FOUND)
                .withTitle("Not Found")
                .withDetail(what + " not found")
                .build();
    }

    public static HttpProblem conflict(String detail) {
        return HttpProblem.builder()
                .withStatus(Response.Status.CONFLICT)
                .withTitle("Conflict")
                .withDetail(detail)
                .build();
    }
}
