package io.nearline.topology.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.nearline.operators.cache.CacheOptions;
import io.nearline.operators.cassandra.CassandraConnection;
import io.nearline.schemas.CacheKeys;
import io.nearline.schemas.result.RecommendationRow;
import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.XMemcachedClientBuilder;
import net.rubyeye.xmemcached.command.BinaryCommandFactory;
import net.rubyeye.xmemcached.utils.AddrUtil;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bin/nearline rows MEMBER}: a member's rows as Cassandra holds them, and whether the cache has the same. */
@Command(name = "rows", mixinStandardHelpOptions = true, description = "Prints a member's rows from Cassandra and the cache.")
final class RowsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MEMBER", description = "The member id.")
    String member;

    @Option(names = {"-D", "--set"}, description = "Options such as nearline.cassandra.keyspace=nearline; repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        Configuration config = DemoCommand.config(settings, new CommandLine(this));
        XMemcachedClientBuilder builder = new XMemcachedClientBuilder(AddrUtil.getAddresses(String.join(" ", config.get(CacheOptions.SERVERS))));
        builder.setCommandFactory(new BinaryCommandFactory());
        MemcachedClient cache = builder.build();
        int rows = 0;
        try (CqlSession session = CassandraConnection.from(config).open(true)) {
            for (Row row : session.execute("SELECT row_name, titles, model_name, model_version, computed_at, newest_event_time "
                    + "FROM recommendations WHERE member_id = ?", member)) {
                rows++;
                String name = row.getString("row_name");
                byte[] cached = null;
                try {
                    cached = cache.get(CacheKeys.row(name, member));
                } catch (Exception e) {
                    // reported as not in the cache
                }
                String inCache = cached == null ? "not in the cache"
                        : io.nearline.schemas.RecommendationRowCodec.decode(cached).getTitles().equals(row.getList("titles", String.class))
                        ? "the cache has the same" : "the cache has another version";
                System.out.printf("%s [%s %s, computed %s, newest event %s; %s]%n  %s%n", name, row.getString("model_name"),
                        row.getString("model_version"), row.getInstant("computed_at"), row.getInstant("newest_event_time"), inCache,
                        String.join(", ", row.getList("titles", String.class)));
            }
        } finally {
            cache.shutdown();
        }
        if (rows == 0) {
            System.out.println("no rows for " + member + " in keyspace " + CassandraConnection.from(config).keyspace());
            return 1;
        }
        return 0;
    }

    /**
     * Waits until Cassandra holds the titles the cache has for a member's row, at most {@code wait}: Cassandra is
     * written behind the cache ({@code nearline.cassandra.write-behind}). Returns whether it does.
     */
    static boolean awaitCassandraAsCache(Configuration config, String member, String rowName, java.time.Duration wait)
            throws Exception {
        XMemcachedClientBuilder builder = new XMemcachedClientBuilder(AddrUtil.getAddresses(String.join(" ", config.get(CacheOptions.SERVERS))));
        builder.setCommandFactory(new BinaryCommandFactory());
        MemcachedClient cache = builder.build();
        long deadline = System.nanoTime() + wait.toNanos();
        try (CqlSession session = CassandraConnection.from(config).open(true)) {
            while (true) {
                byte[] cached = cache.get(CacheKeys.row(rowName, member));
                Row row = session.execute("SELECT titles FROM recommendations WHERE member_id = ? AND row_name = ?", member,
                        rowName).one();
                if (cached != null && row != null && io.nearline.schemas.RecommendationRowCodec.decode(cached).getTitles()
                        .equals(row.getList("titles", String.class))) {
                    return true;
                }
                if (System.nanoTime() >= deadline) {
                    return false;
                }
                Thread.sleep(250);
            }
        } finally {
            cache.shutdown();
        }
    }
}
