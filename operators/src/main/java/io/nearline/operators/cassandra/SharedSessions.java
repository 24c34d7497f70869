package io.nearline.operators.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;

import java.util.HashMap;
import java.util.Map;

/**
 * One CqlSession per connection in a task manager (per job: the map lives in the job's class loader), shared by
 * every Cassandra sink subtask there, as the driver advises: a session holds event loops, connection pools and
 * direct buffers, and a job with several Cassandra sinks per slot otherwise multiplies them until the task
 * manager's direct memory runs out. Reference-counted: the last release closes the session.
 */
final class SharedSessions {

    private static final Map<CassandraConnection, Shared> SESSIONS = new HashMap<>();

    private SharedSessions() {}

    private static final class Shared {
        final CqlSession session;
        int users;

        Shared(CqlSession session) {
            this.session = session;
        }
    }

    /** The session of this connection, with its keyspace as the default, opened on first use. */
    static synchronized CqlSession acquire(CassandraConnection connection) {
        Shared shared = SESSIONS.get(connection);
        if (shared == null || shared.session.isClosed()) {
            shared = new Shared(connection.open(true));
            SESSIONS.put(connection, shared);
        }
        shared.users++;
        return shared.session;
    }

    static synchronized void release(CassandraConnection connection) {
        Shared shared = SESSIONS.get(connection);
        if (shared != null && --shared.users <= 0) {
            SESSIONS.remove(connection);
            shared.session.close();
        }
    }

    /** Sessions open now (for tests). */
    static synchronized int open() {
        return SESSIONS.size();
    }
}
