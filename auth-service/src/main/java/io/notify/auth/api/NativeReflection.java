package io.notify.auth.api;

import io.notify.auth.company.CompanyView;
import io.notify.auth.company.CreateCompanyRequest;
import io.notify.auth.login.LoginRequest;
import io.notify.auth.login.LogoutRequest;
import io.notify.auth.login.MeResponse;
import io.notify.auth.login.RefreshRequest;
import io.notify.auth.login.TokenResponse;
import io.notify.auth.serviceaccount.CreateServiceAccountRequest;
import io.notify.auth.serviceaccount.ServiceAccountView;
import io.notify.auth.serviceaccount.UpdateServiceAccountRequest;
import io.notify.auth.user.CreateUserRequest;
import io.notify.auth.user.UpdateUserRequest;
import io.notify.auth.user.UserPage;
import io.notify.auth.user.UserResource;
import io.notify.auth.user.UserView;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Every record that crosses JSON, kept for Jackson in a native executable. Quarkus REST finds the
 * declared parameter and return types by itself, but not an entity handed to a {@code Response}
 * (created users, companies, service accounts), so the whole set is listed here, in one place.
 */
@RegisterForReflection(targets = {CompanyView.class, CreateCompanyRequest.class, CreateServiceAccountRequest.class,
        CreateUserRequest.class, LoginRequest.class, LogoutRequest.class, MeResponse.class, RefreshRequest.class,
        ServiceAccountView.class, TokenResponse.class, UpdateServiceAccountRequest.class, UpdateUserRequest.class,
        UserPage.class, UserView.class, UserResource.UserCount.class})
public final class NativeReflection {

    private NativeReflection() {
    }
}
