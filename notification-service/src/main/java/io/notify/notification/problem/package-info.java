/**
 * This service's side of RFC 9457 problem+json: the validation setup that names fields as clients write them
 * ({@link io.notify.notification.problem.JsonPropertyNames}, {@link io.notify.notification.problem.RequestTraversal}).
 * The mappers, the one error shape ({@link io.notify.problem.Violation}) and the problems' OpenAPI correction are the
 * suite's {@code http-problems/} sources in {@code io.notify.problem}.
 */
package io.notify.notification.problem;
