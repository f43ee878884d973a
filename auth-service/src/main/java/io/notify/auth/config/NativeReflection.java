package io.notify.auth.config;

import io.notify.auth.rest.CompanyView;
import io.notify.auth.rest.CreateCompanyRequest;
import io.notify.auth.rest.CreateServiceAccountRequest;
import io.notify.auth.rest.CreateUserRequest;
import io.notify.auth.rest.LoginRequest;
import io.notify.auth.rest.LogoutRequest;
import io.notify.auth.rest.MeResponse;
import io.notify.auth.rest.RefreshRequest;
import io.notify.auth.rest.ServiceAccountView;
import io.notify.auth.rest.TokenResponse;
import io.notify.auth.rest.UpdateServiceAccountRequest;
import io.notify.auth.rest.UpdateUserRequest;
import io.notify.auth.rest.UserPage;
import io.notify.auth.rest.UserView;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Every record that crosses JSON, kept for Jackson in a native executable. Quarkus REST finds the
 * declared parameter and return types by itself, but not an entity handed to a {@code Response}
 * (created users, companies, service accounts), so the whole set is listed here, in one place.
 */
@RegisterForReflection(targets = {CompanyView.class, CreateCompanyRequest.class, CreateServiceAccountRequest.class,
        CreateUserRequest.class, LoginRequest.class, LogoutRequest.class, MeResponse.class, RefreshRequest.class,
        ServiceAccountView.class, TokenResponse.class, UpdateServiceAccountRequest.class, UpdateUserRequest.class,
        UserPage.class, UserView.class})
public final class NativeReflection {

    private NativeReflection() {
    }
}
