/** The companies, test users and service account of dev, test and the local launch (never %prod). */
package io.notify.auth.seed;
