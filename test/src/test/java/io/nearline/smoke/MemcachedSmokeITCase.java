package io.nearline.smoke;

import io.nearline.testing.RealServices;
import io.nearline.testing.Service;
import io.nearline.testing.TestServices;
import net.rubyeye.xmemcached.MemcachedClient;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

@RealServices(Service.MEMCACHED)
class MemcachedSmokeITCase {

    @Test
    void setValuesAreReturnedByMultiGetAndDeletesRemoveThem(TestServices services) throws Exception {
        MemcachedClient client = services.memcached();
        String prefix = "smoke:" + System.nanoTime() + ":";
        Random random = new Random(7);
        List<String> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            byte[] value = new byte[2048];
            random.nextBytes(value);
            keys.add(prefix + i);
            values.add(value);
            assertThat(client.set(prefix + i, 300, value)).isTrue();
        }

        Map<String, byte[]> read = client.get(keys);
        assertThat(read).hasSize(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            assertThat(Arrays.equals(read.get(keys.get(i)), values.get(i))).as("value of %s", keys.get(i)).isTrue();
        }

        assertThat(client.delete(keys.get(0))).isTrue();
        assertThat((Object) client.get(keys.get(0))).isNull();
    }

    @Test
    void valuesExpireAfterTheirTtl(TestServices services) throws Exception {
        MemcachedClient client = services.memcached();
        String key = "smoke:ttl:" + System.nanoTime();
        // memcached's clock ticks once a second, so a 2 s TTL lives between 1 and 2 seconds.
        assertThat(client.set(key, 2, "soon gone")).isTrue();
        assertThat((Object) client.get(key)).isEqualTo("soon gone");
        Thread.sleep(3_100);
        assertThat((Object) client.get(key)).isNull();
    }
}
