package io.notify.auth.api;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

import jakarta.ws.rs.core.Application;

/** OpenAPI security schemes referenced by the operations. */
@OpenAPIDefinition(info = @Info(title = "Notify auth-service", version = "0.1.0"), components = @Components(securitySchemes = {
        @SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
                description = "An access token from /api/auth/login, /api/auth/refresh or /api/auth/token"),
        @SecurityScheme(securitySchemeName = "client", type = SecuritySchemeType.HTTP, scheme = "basic",
                description = "Service account client_id and client_secret (or send them as form fields)") }))
public class AuthApi extends Application {
}
