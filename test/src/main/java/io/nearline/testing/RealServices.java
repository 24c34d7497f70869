package io.nearline.testing;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an {@code *ITCase} that talks to real services on loopback. Services already running are
 * used as they are; missing ones are started once per test run and stopped at its end. The test
 * class gets a {@link TestServices} parameter with its own fresh topic, keyspace and bucket.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(NearlineServicesExtension.class)
@Tag("services")
public @interface RealServices {

    /** The services the class needs. */
    Service[] value() default {Service.KAFKA, Service.CASSANDRA, Service.MEMCACHED, Service.S3, Service.FLINK};
}
