package io.nearline.savepoints.cli;

import io.nearline.savepoints.MemberSavepoints;
import io.nearline.schemas.model.ArtifactDescriptor;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code bin/nearline savepoint bootstrap --model URI --interactions URI --out PATH}: a savepoint of warm members. */
@Command(name = "bootstrap", mixinStandardHelpOptions = true,
        description = "Writes a new savepoint for NearlineJob whose members start warm: interactions from offline data, "
                + "factors and rows computed against the model. A job started from it serves them before any event.")
final class BootstrapCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "The model artifact members start with: a local file, "
            + "file:// or s3:// URI. Jobs load it from there, so give the URI they can read.")
    String model;

    @Option(names = "--interactions", required = true, description = "Offline interactions: a MovieLens ratings file "
            + "(u.data or ratings.csv) or a folder of the event archive NearlineJob writes (local path, file:// or s3://).")
    String interactions;

    @Option(names = "--format", description = "RATINGS or ARCHIVE (default: ARCHIVE for a folder, else RATINGS).")
    MemberSavepoints.Interactions format;

    @Option(names = "--out", required = true, description = "Where to write the savepoint: a folder that does not exist yet.")
    String out;

    @Option(names = "--refresh-within", description = "Once the job starts from the savepoint, members' rows are written to "
            + "the stores, spread over this long (default: ${DEFAULT-VALUE}).")
    String refreshWithin = "1 min";

    @Mixin
    ToolOptions options;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CommandLine cli = spec.commandLine();
        Configuration config = options.config(cli);
        String input = interactionsUri(cli);
        MemberSavepoints.Interactions kind = format != null ? format
                : input.startsWith("file:") && Files.isDirectory(Path.of(URI.create(input)))
                        ? MemberSavepoints.Interactions.ARCHIVE : MemberSavepoints.Interactions.RATINGS;
        String target = ToolOptions.output(out, "--out", cli);
        ArtifactDescriptor descriptor = ToolOptions.model(model, config, cli);
        MemberSavepoints.Written written = options.tools(cli).bootstrap(descriptor, input, kind, target,
                ToolOptions.duration(refreshWithin, "--refresh-within", cli));
        System.out.printf("wrote %s: %d members from %s, against %s %s; start NearlineJob from it%n", written.path(),
                written.members(), interactions, descriptor.getName(), descriptor.getVersion());
        return 0;
    }

    private String interactionsUri(CommandLine cli) {
        if (interactions.contains("://")) {
            if (!interactions.startsWith("file:") && !interactions.startsWith("s3://")) {
                throw new CommandLine.ParameterException(cli, "--interactions: only file and s3 URIs, not '" + interactions + "'");
            }
            return interactions;
        }
        Path path = Path.of(interactions).toAbsolutePath();
        if (!Files.exists(path)) {
            throw new CommandLine.ParameterException(cli, "--interactions: no such file or folder " + interactions);
        }
        return path.toUri().toString();
    }
}
