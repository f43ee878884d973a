package io.notify.notification.problem;

import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;

import io.quarkiverse.resteasy.problem.ExceptionMapperBase;
import io.quarkiverse.resteasy.problem.HttpProblem;
import io.quarkiverse.resteasy.problem.postprocessing.ProblemContext;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticator;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A request without valid credentials: 401 as an RFC 9457 problem with the authenticator's challenge
 * ({@code WWW-Authenticate}), as quarkus-resteasy-problem's own mappers did. Its 3.21.0 (the newest the
 * registry serves) reads a {@link ChallengeData} field that Quarkus 3.31 replaced with
 * {@link ChallengeData#getHeaders()}: it answered 500, and a native build fails on the unresolved field.
 * These mappers come one priority ahead of the extension's (4999), and {@link Target_HttpUnauthorizedUtils}
 * lets the native image link. Drop both with a release of the extension built for Quarkus 3.31+.
 */
public class UnauthorizedProblems {

    @ServerExceptionMapper(priority = 4998)
    public Uni<Response> authenticationFailed(RoutingContext context, AuthenticationFailedException e) {
        return response(context, e);
    }

    @ServerExceptionMapper(priority = 4998)
    public Uni<Response> unauthorized(RoutingContext context, UnauthorizedException e) {
        return response(context, e);
    }

    private static Uni<Response> response(RoutingContext context, RuntimeException e) {
        return problem(context, e).map(problem -> ExceptionMapperBase.postProcessorsRegistry
                .applyPostProcessing(problem, ProblemContext.of(e, context.normalizedPath())).toResponse());
    }

    /** What the extension's {@code HttpUnauthorizedUtils.toProblem} does, through the current API. */
    static Uni<HttpProblem> problem(RoutingContext context, Exception e) {
        HttpAuthenticator authenticator = context == null ? null : context.get(HttpAuthenticator.class.getName());
        Uni<ChallengeData> challenge = authenticator == null ? Uni.createFrom().nullItem()
                : authenticator.getChallenge(context).onFailure().recoverWithNull();
        return challenge.map(data -> {
            Response.Status status = data == null ? Response.Status.UNAUTHORIZED : Response.Status.fromStatusCode(data.status);
            HttpProblem.Builder problem = HttpProblem.builder().withStatus(status).withTitle(status.getReasonPhrase());
            if (data == null) {
                problem.withDetail(e.getMessage());
            } else {
                data.getHeaders().forEach((name, value) -> problem.withHeader(name.toString(), value));
            }
            return problem.build();
        });
    }
}

/**
 * In the native image, the extension's helper with the removed field is replaced by {@link UnauthorizedProblems}'
 * (its mappers, which call it, are never chosen: ours come first); without this, image analysis stops on the
 * unresolved {@code ChallengeData.headerName}.
 */
@TargetClass(className = "io.quarkiverse.resteasy.problem.security.HttpUnauthorizedUtils")
final class Target_HttpUnauthorizedUtils {

    @Substitute
    static Uni<HttpProblem> toProblem(RoutingContext context, Exception e) {
        return UnauthorizedProblems.problem(context, e);
    }
}
