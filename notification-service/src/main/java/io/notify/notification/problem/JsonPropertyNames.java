package io.notify.notification.problem;

import java.lang.reflect.Field;

import org.hibernate.validator.spi.nodenameprovider.JavaBeanProperty;
import org.hibernate.validator.spi.nodenameprovider.Property;
import org.hibernate.validator.spi.nodenameprovider.PropertyNodeNameProvider;

import com.fasterxml.jackson.annotation.JsonProperty;

import jakarta.inject.Singleton;

/** Validation paths use the JSON names clients send ({@code user_ids}, not {@code userIds}). */
@Singleton
public class JsonPropertyNames implements PropertyNodeNameProvider {

    @Override
    public String getName(Property property) {
        if (property instanceof JavaBeanProperty bean) {
            try {
                Field field = bean.getDeclaringClass().getDeclaredField(bean.getName());
                JsonProperty json = field.getAnnotation(JsonProperty.class);
                if (json != null && !json.value().isEmpty()) {
                    return json.value();
                }
            } catch (NoSuchFieldException e) {
                // a getter without a field: its Java name
            }
        }
        return property.getName();
    }
}
