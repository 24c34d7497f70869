package io.nearline.savepoints.cli;

import io.nearline.operators.members.Interaction;
import io.nearline.savepoints.MemberSavepoints;
import io.nearline.savepoints.MemberSnapshot;
import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.schemas.result.TrendingRow;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code bin/nearline savepoint inspect PATH}: what a savepoint of NearlineJob holds. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Members, state size per operator, model descriptors and trending rows of a savepoint; one member's state with --member.")
final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PATH", description = "The savepoint: its folder, its _metadata file or a file:// URI.")
    String path;

    @Option(names = "--member", description = "Also print this member's state.")
    String member;

    @Mixin
    ToolOptions options;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CommandLine cli = spec.commandLine();
        String savepoint = ToolOptions.savepoint(path, "PATH", cli);
        MemberSavepoints.Summary summary;
        try {
            summary = options.tools(cli).inspect(savepoint, member);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, "PATH: " + e.getMessage());
        }
        print(summary, System.out);
        return 0;
    }

    static void print(MemberSavepoints.Summary s, PrintStream out) {
        out.printf("savepoint %s (checkpoint %d)%n", s.path(), s.checkpointId());
        out.printf("state %s in %d operators%n", bytes(s.stateBytes()), s.operators().size());
        for (MemberSavepoints.OperatorSize op : s.operators()) {
            out.printf("  %-32s parallelism %d, max %d, %s%n", op.name(), op.parallelism(), op.maxParallelism(), bytes(op.stateBytes()));
        }
        out.printf("members %d%n", s.members());
        s.factorVersions().forEach((version, n) -> out.printf("  factor of %s: %d%n", version, n));
        s.rowVersions().forEach((version, n) -> out.printf("  top-picks row from %s: %d%n", version, n));
        out.printf("model descriptors %d%n", s.descriptors().size());
        for (ArtifactDescriptor d : s.descriptors()) {
            out.printf("  %s %s %s, traffic share %s, published %s, %s%n", d.getKind(), d.getName(), d.getVersion(),
                    d.getTrafficShare(), d.getPublishedAt(), d.getUri());
        }
        out.printf("trending rows %d%n", s.trending().size());
        for (TrendingRow row : s.trending()) {
            out.printf("  %s window ending %s: %d titles%n", row.getRegion(), row.getWindowEnd(), row.getTitles().size());
        }
        if (s.member() != null) {
            printMember(s.member(), out);
        }
    }

    private static void printMember(MemberSnapshot m, PrintStream out) {
        out.printf("member %s%n", m.member);
        List<String> history = new ArrayList<>();
        if (m.history != null) {
            for (Interaction i : m.history.toList()) {
                history.add(String.format(Locale.ROOT, "%s %.3f @%s", i.titleId, i.weight, Instant.ofEpochMilli(i.time)));
            }
        }
        out.printf("  history (%d): %s%n", history.size(), String.join(", ", history));
        out.printf("  recent, not yet compacted: %d%n", m.recent == null ? 0 : m.recent.length);
        if (m.factor != null) {
            StringBuilder values = new StringBuilder();
            for (int k = 0; k < Math.min(8, m.factor.factor.length); k++) {
                values.append(k == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", m.factor.factor[k]));
            }
            out.printf("  factor %s %s, rank %d, updated %s: [%s%s]%n", m.factor.modelName, m.factor.modelVersion,
                    m.factor.factor.length, Instant.ofEpochMilli(m.factor.updatedAt), values, m.factor.factor.length > 8 ? ", ..." : "");
        }
        if (m.lastEmitted != null) {
            out.printf("  %s from %s, computed %s: %s%n", m.lastEmitted.rowName, m.lastEmitted.modelVersion,
                    Instant.ofEpochMilli(m.lastEmitted.computedAt), String.join(", ", m.lastEmitted.titles));
        }
    }

    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
