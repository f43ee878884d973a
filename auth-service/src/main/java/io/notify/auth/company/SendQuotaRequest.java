package io.notify.auth.company;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** A send quota: sends per minute notification-service admits, across all its instances (0 stops sending). */
@Schema(description = "Sends per minute notification-service admits, across all its instances; 0 stops sending.",
        example = "{\"per_minute\": 600}")
public record SendQuotaRequest(@JsonProperty("per_minute") @NotNull @Min(0) @Max(10_000_000) Integer perMinute) {
}
