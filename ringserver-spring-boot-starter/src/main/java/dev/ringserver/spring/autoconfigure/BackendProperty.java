package dev.ringserver.spring.autoconfigure;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

import java.util.Locale;

/**
 * Where {@code ringserver.backend} was set, for failure reports: the same "Property / Value / Origin"
 * lines Boot prints for binding failures, so that the user finds the line to change.
 */
final class BackendProperty {

    private static final ConfigurationPropertyName NAME = ConfigurationPropertyName.of("ringserver.backend");

    private BackendProperty() {
    }

    /**
     * Appends the property's value and origin to {@code description} when the environment sets it to
     * {@code backend} (so nothing is printed when the backend came from code instead).
     */
    static void describe(Environment environment, String backend, StringBuilder description) {
        ConfigurationProperty property = find(environment);
        if (property == null || property.getValue() == null || !sameName(property.getValue().toString(), backend)) {
            return;
        }
        description.append("\n    Property: ringserver.backend\n    Value: \"").append(property.getValue()).append("\"\n");
        if (property.getOrigin() != null) {
            description.append("    Origin: ").append(property.getOrigin()).append('\n');
        }
    }

    private static ConfigurationProperty find(Environment environment) {
        if (!(environment instanceof ConfigurableEnvironment)) {
            return null;
        }
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty property = source.getConfigurationProperty(NAME);
            if (property != null) {
                return property;
            }
        }
        return null;
    }

    private static boolean sameName(String configured, String backend) {
        String normalize = configured.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        String other = backend.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        return normalize.equals(other) || (normalize.equals("iouring") && other.equals("io_uring"));
    }
}
