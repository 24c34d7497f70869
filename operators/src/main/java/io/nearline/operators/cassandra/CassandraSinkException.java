package io.nearline.operators.cassandra;

/** A write to Cassandra that cannot succeed: fatal at once, or retryable but out of retries. */
public class CassandraSinkException extends RuntimeException {

    public CassandraSinkException(String message) {
        super(message);
    }

    public CassandraSinkException(String message, Throwable cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
