package io.nearline.savepoints.cli;

import io.nearline.savepoints.MemberSavepoints;
import io.nearline.schemas.model.ArtifactDescriptor;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code bin/nearline savepoint rollout --from PATH --model URI --out PATH}: a savepoint in which the new model
 * serves every member. Rolling back is starting the job from the earlier savepoint, which this never changes.
 */
@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = "Rewrites a savepoint so that every member's factor and rows are recomputed against a new model, "
                + "which becomes the active one. The --from savepoint is left as it was: start from it to roll back.")
final class RolloutCommand implements Callable<Integer> {

    @Option(names = "--from", required = true, description = "The savepoint to start from (folder, _metadata file or file:// URI).")
    String from;

    @Option(names = "--model", required = true, description = "The new model artifact: a local file, file:// or s3:// URI. "
            + "Jobs load it from there, so give the URI they can read.")
    String model;

    @Option(names = "--out", required = true, description = "Where to write the new savepoint: a folder that does not exist yet.")
    String out;

    @Option(names = "--refresh-within", description = "Once the job starts from the new savepoint, members' rows are written "
            + "to the stores again, spread over this long (default: ${DEFAULT-VALUE}).")
    String refreshWithin = "1 min";

    @Mixin
    ToolOptions options;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CommandLine cli = spec.commandLine();
        Configuration config = options.config(cli);
        String source = ToolOptions.savepoint(from, "--from", cli);
        String target = ToolOptions.output(out, "--out", cli);
        ArtifactDescriptor descriptor = ToolOptions.model(model, config, cli);
        MemberSavepoints.Written written;
        try {
            written = options.tools(cli).rollout(source, descriptor, target,
                    ToolOptions.duration(refreshWithin, "--refresh-within", cli));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, "--from: " + e.getMessage());
        }
        System.out.printf("wrote %s: %d members recomputed against %s %s; start NearlineJob from it to roll out, "
                + "from %s to roll back%n", written.path(), written.members(), descriptor.getName(), descriptor.getVersion(), source);
        return 0;
    }
}
