package io.nearline.events;

import io.nearline.operators.archive.ArchiveBucketAssigner;
import io.nearline.operators.archive.EventArchive;
import io.nearline.schemas.event.UiEvent;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.specific.SpecificDatumReader;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/** Reads the committed part files of an archive, checking each event sits in its own partition. */
public final class ArchiveReader {

    private ArchiveReader() {}

    /**
     * Reads the committed part files under a local archive folder. The file sink may be renaming in-progress
     * files while this lists them: a file or folder that vanishes between the listing and the read is passed over
     * (a committed part file is only ever created by such a rename, and never removed).
     */
    static List<UiEvent> readLocal(Path root) throws IOException {
        List<UiEvent> events = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return events;
        }
        List<Path> parts = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                String name = file.getFileName().toString();
                if (attributes.isRegularFile() && name.startsWith(EventArchive.PART_PREFIX)
                        && name.endsWith(EventArchive.PART_SUFFIX)) {
                    parts.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
                if (failure instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // an in-progress file renamed while we listed
                }
                throw failure;
            }
        });
        for (Path file : parts) {
            String bucketPath = root.relativize(file.getParent()).toString();
            try (var in = Files.newInputStream(file);
                    DataFileStream<UiEvent> stream = new DataFileStream<>(in, new SpecificDatumReader<>(UiEvent.class))) {
                for (UiEvent event : stream) {
                    check(event, bucketPath);
                    events.add(event);
                }
            }
        }
        return events;
    }

    private static void check(UiEvent event, String bucketPath) {
        if (!ArchiveBucketAssigner.bucketOf(event).equals(bucketPath)) {
            throw new AssertionError("event " + event.getEventId() + " archived under " + bucketPath);
        }
    }

    public static List<UiEvent> read(S3Client s3, String bucket, String prefix) {
        List<UiEvent> events = new ArrayList<>();
        for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + "/"))) {
            for (S3Object object : page.contents()) {
                String key = object.key();
                String name = key.substring(key.lastIndexOf('/') + 1);
                if (!name.startsWith(EventArchive.PART_PREFIX) || !name.endsWith(EventArchive.PART_SUFFIX)) {
                    continue; // in-progress and temporary objects of the writer
                }
                String bucketPath = key.substring(prefix.length() + 1, key.lastIndexOf('/'));
                try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key));
                        DataFileStream<UiEvent> file = new DataFileStream<>(in, new SpecificDatumReader<>(UiEvent.class))) {
                    for (UiEvent event : file) {
                        check(event, bucketPath);
                        events.add(event);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + key, e);
                }
            }
        }
        return events;
    }
}
