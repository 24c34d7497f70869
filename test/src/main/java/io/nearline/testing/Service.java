package io.nearline.testing;

/** The local services that {@code bin/nearline services} runs, by the names that script uses. */
public enum Service {
    KAFKA("kafka"),
    CASSANDRA("cassandra"),
    MEMCACHED("memcached"),
    S3("s3"),
    FLINK("flink");

    private final String scriptName;

    Service(String scriptName) {
        this.scriptName = scriptName;
    }

    /** The name {@code bin/nearline services} knows this service by. */
    public String scriptName() {
        return scriptName;
    }

    public static Service fromScriptName(String name) {
        for (Service service : values()) {
            if (service.scriptName.equals(name)) {
                return service;
            }
        }
        throw new IllegalArgumentException("unknown service '" + name + "'");
    }
}
