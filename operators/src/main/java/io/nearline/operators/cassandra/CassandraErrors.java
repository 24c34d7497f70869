package io.nearline.operators.cassandra;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.NodeUnavailableException;
import com.datastax.oss.driver.api.core.connection.BusyConnectionException;
import com.datastax.oss.driver.api.core.connection.ClosedConnectionException;
import com.datastax.oss.driver.api.core.connection.HeartbeatException;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.ServerError;
import com.datastax.oss.driver.api.core.servererrors.TruncateException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import com.datastax.oss.driver.api.core.servererrors.WriteFailureException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;

import java.util.concurrent.CompletionException;

/**
 * Which driver errors a write may retry. Retryable: timeouts (client and server), too few replicas
 * alive, an overloaded or failing coordinator, lost or saturated connections, and no node reachable at
 * all (a node restarting). Everything else is fatal: authentication, invalid queries and schema mismatches do not
 * fix themselves, so retrying them would only hide the cause.
 */
public final class CassandraErrors {

    private CassandraErrors() {}

    public static boolean isRetryable(Throwable error) {
        Throwable e = unwrap(error);
        return e instanceof DriverTimeoutException
                || e instanceof WriteTimeoutException
                || e instanceof WriteFailureException
                || e instanceof UnavailableException
                || e instanceof OverloadedException
                || e instanceof ServerError
                || e instanceof TruncateException
                || e instanceof BusyConnectionException
                || e instanceof ClosedConnectionException
                || e instanceof HeartbeatException
                || e instanceof NodeUnavailableException
                || (e instanceof AllNodesFailedException all && all.getAllErrors().values().stream()
                        .flatMap(java.util.List::stream).allMatch(CassandraErrors::isRetryableOrConnection));
    }

    private static boolean isRetryableOrConnection(Throwable e) {
        return isRetryable(e) || e instanceof java.io.IOException || e instanceof java.net.ConnectException
                || e.getClass().getName().startsWith("io.netty");
    }

    static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
