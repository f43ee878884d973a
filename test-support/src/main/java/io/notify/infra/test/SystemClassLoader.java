package io.notify.infra.test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Calls a static method of a class as loaded by the system class loader. Quarkus loads test
 * resources in application class loaders that come and go; JVM-wide servers must live outside them.
 */
final class SystemClassLoader {

    private SystemClassLoader() {
    }

    @SuppressWarnings("unchecked")
    static <T> T invokeStatic(Class<?> type, String method, Class<?>[] parameterTypes, Object... args) {
        Class<?> shared;
        try {
            shared = Class.forName(type.getName(), true, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException e) {
            shared = type; // not on the JVM class path (unusual launcher): fall back to our own loader
        }
        try {
            Method m = shared.getMethod(method, parameterTypes);
            return (T) m.invoke(null, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot call " + type.getName() + "." + method, e);
        }
    }
}
