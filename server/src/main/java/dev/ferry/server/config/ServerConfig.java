package dev.ferry.server.config;

import java.util.Map;

/** Stand-in until the directive table lands. */
public final class ServerConfig {
    private final Map<String, String> values;

    public ServerConfig(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Directive<T> d) {
        String v = values.get(d.name());
        if (v == null) {
            return d.defaultValue();
        }
        Object def = d.defaultValue();
        if (def instanceof Integer) {
            return (T) Integer.valueOf(v);
        }
        if (def instanceof Boolean) {
            return (T) Boolean.valueOf(v.equalsIgnoreCase("YES"));
        }
        return (T) v;
    }
}
