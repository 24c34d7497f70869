package io.nearline.smoke;

import io.nearline.testing.RealServices;
import io.nearline.testing.Service;
import io.nearline.testing.TestServices;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@RealServices(Service.S3)
class S3SmokeITCase {

    @Test
    void putObjectsAreListedPageByPageAndReadBack(TestServices services) {
        S3Client s3 = services.s3();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String key = String.format("archive/part-%02d.txt", i);
            s3.putObject(b -> b.bucket(services.bucket()).key(key), RequestBody.fromString("content " + i));
            keys.add(key);
        }

        List<String> listed = new ArrayList<>();
        int pages = 0;
        for (var page : s3.listObjectsV2Paginator(b -> b.bucket(services.bucket()).prefix("archive/").maxKeys(10))) {
            page.contents().stream().map(S3Object::key).forEach(listed::add);
            pages++;
        }
        assertThat(listed).containsExactlyElementsOf(keys);
        assertThat(pages).isEqualTo(3);

        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            assertThat(s3.getObjectAsBytes(b -> b.bucket(services.bucket()).key(key)).asUtf8String())
                    .isEqualTo("content " + i);
        }
    }

    @Test
    void largeObjectsRoundTripByteForByte(TestServices services) throws Exception {
        byte[] data = new byte[8 * 1024 * 1024 + 17];
        new Random(11).nextBytes(data);
        services.s3().putObject(b -> b.bucket(services.bucket()).key("models/large.bin"), RequestBody.fromBytes(data));

        byte[] read = services.s3().getObjectAsBytes(b -> b.bucket(services.bucket()).key("models/large.bin")).asByteArray();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        assertThat(read.length).isEqualTo(data.length);
        assertThat(sha.digest(read)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    void requestsWithWrongCredentialsAreRefused(TestServices services) {
        S3Client intruder = services.s3Client(services.endpoints().s3AccessKey(), "not-the-secret");
        assertThatThrownBy(() -> intruder.listObjectsV2(b -> b.bucket(services.bucket())))
                .isInstanceOf(S3Exception.class)
                .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(403));
    }
}
