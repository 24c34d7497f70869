package io.nearline.serving;

import java.util.List;

/**
 * The answer to {@code GET /v1/members/{member}/rows}. {@code fallback} says the rows are the precomputed fallback,
 * and {@code reason} why (the stores did not answer within the deadline, or know no rows for the member);
 * {@code nearCache} that the service answered from its own memory; {@code filtered} the titles left out because
 * the member is watching them.
 */
public record RowsAnswer(String member, List<ServedRow> rows, boolean fallback, String reason, boolean nearCache,
        List<String> filtered, long elapsedMicros) {}
