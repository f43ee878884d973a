package io.notify.auth.signing;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/auth/jwks")
@Tag(name = "keys", description = "The public keys (JWKS) that verify access tokens")
@Produces(MediaType.APPLICATION_JSON)
public class JwksResource {

    private final SigningKeys keys;

    public JwksResource(SigningKeys keys) {
        this.keys = keys;
    }

    @GET
    @Operation(operationId = "getJwks", summary = "JSON Web Key Set", description = "Public keys that verify the access tokens (RS256, selected by `kid`).")
    public Map<String, Object> jwks() {
        return keys.jwks();
    }

    /** The same document at the well-known location. */
    @Path("/.well-known/jwks.json")
    @Tag(name = "keys")
    @Produces(MediaType.APPLICATION_JSON)
    public static class WellKnown {

        private final SigningKeys keys;

        public WellKnown(SigningKeys keys) {
            this.keys = keys;
        }

        @GET
        @Operation(operationId = "getWellKnownJwks", summary = "JSON Web Key Set (well-known path)", description = "Same document as /api/auth/jwks.")
        public Map<String, Object> jwks() {
            return keys.jwks();
        }
    }
}
