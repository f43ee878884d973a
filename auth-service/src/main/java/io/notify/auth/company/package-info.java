/** Companies (tenants): the entity, its administration and {@code /api/auth/companies}. */
package io.notify.auth.company;
