package io.notify.auth.rest;

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
 * ({@code WWW-Authenticate}). quarkus-resteasy-problem maps these itself, but its 3.21.0 (the newest the
 * registry serves) reads a {@link ChallengeData} field that Quarkus 3.31 replaced with
 * {@link ChallengeData#getHeaders()}, and answers 500 instead. This does what it does, through the
 * current API, one priority ahead of its mappers (4999). Drop it with a release of the extension built
 * for Quarkus 3.31+.
 */
public class UnauthorizedProblems {

    @ServerExceptionMapper(priority = 4998)
    public Uni<Response> authenticationFailed(RoutingContext context, AuthenticationFailedException e) {
        return problem(context, e);
    }

    @ServerExceptionMapper(priority = 4998)
    public Uni<Response> unauthorized(RoutingContext context, UnauthorizedException e) {
        return problem(context, e);
    }

    private static Uni<Response> problem(RoutingContext context, RuntimeException e) {
        HttpAuthenticator authenticator = context.get(HttpAuthenticator.class.getName());
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
            return ExceptionMapperBase.postProcessorsRegistry
                    .applyPostProcessing(problem.build(), ProblemContext.of(e, context.normalizedPath())).toResponse();
        });
    }
}
