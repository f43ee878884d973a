/**
 * The HTTP API as a whole: its OpenAPI definition and security schemes, the problem+json
 * documentation of every 4xx, and the JSON records registered for reflection in the native image.
 */
package io.notify.auth.api;
