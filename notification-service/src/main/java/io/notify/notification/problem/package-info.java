/**
 * This service's side of RFC 9457 problem+json: the validation setup that names fields as clients write them
 * ({@link io.notify.notification.problem.JsonPropertyNames}, {@link io.notify.notification.problem.RequestTraversal})
 * and the problems' OpenAPI description. The mappers themselves, and the one error shape
 * ({@link io.notify.problem.Violation}), are the suite's {@code http-problems/} sources in {@code io.notify.problem}.
 */
package io.notify.notification.problem;
