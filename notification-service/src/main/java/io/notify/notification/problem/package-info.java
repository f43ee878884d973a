/**
 * RFC 9457 problem+json answers (invalid input as {@link io.notify.notification.problem.Violation}s, wrong body types,
 * 401s), their OpenAPI description, and the validation setup that names fields as clients write them.
 */
package io.notify.notification.problem;
