package io.nearline.topology.cli;

import io.nearline.operators.config.TrainOptions;
import io.nearline.operators.members.Interaction;
import io.nearline.operators.members.InteractionWeights;
import io.nearline.operators.members.Recommender;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.offline.OfflineInteractions;
import io.nearline.schemas.EventKind;
import io.nearline.schemas.UiEvents;
import io.nearline.topology.demo.DemoData;
import io.nearline.topology.train.ModelTrainer;
import io.nearline.topology.train.TrainJob;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code bin/nearline demo} promises: each showcased member who spends the session on a genre they never
 * watched has that genre in at least 10 of their 25 top picks after their 8 plays. The demo's own data, its model
 * trained by TrainJob as the demo trains it, and the member operator's recompute ({@link Recommender}) on the job's
 * default options.
 */
class DemoGenreTurnTest {

    @TempDir
    Path dir;

    @Test
    void everyShowcasedMemberWhoTurnsToANewGenreSeesItInTheirTopPicks() throws Exception {
        DemoData data = DemoCommand.data(1_800_000_000_000L, 1000);
        StringBuilder history = new StringBuilder();
        for (DemoData.Play play : data.history()) {
            history.append(play.member()).append('\t').append(play.title()).append("\t5\t").append(play.time() / 1000).append('\n');
        }
        Path ratings = Files.writeString(dir.resolve("history.data"), history);
        Configuration config = new Configuration();
        config.set(TrainOptions.RANK, DemoCommand.TRAIN_RANK);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, config);
        ModelArtifact model = ModelTrainer.train(env, config, OfflineInteractions.ratings(env, config, ratings.toUri().toString()), false).model();

        Configuration job = new Configuration();
        InteractionWeights weights = new InteractionWeights(job);
        Recommender recommender = new Recommender(job);
        Map<String, List<Interaction>> state = new HashMap<>();
        Map<String, List<String>> picks = new HashMap<>();
        for (DemoData.Play play : data.live()) {
            if (!data.showcase().contains(play.member())) {
                continue;
            }
            Interaction interaction = weights.interaction(UiEvents.event("e", play.member(), Instant.ofEpochMilli(play.time()),
                    UiEvents.payload(EventKind.PLAY_COMPLETED, play.title())));
            List<Interaction> compacted = recommender.history().merge(state.getOrDefault(play.member(), List.of()),
                    List.of(interaction));
            state.put(play.member(), compacted);
            picks.put(play.member(), recommender.recommend(model, compacted, play.time(), null).titles());
        }

        assertThat(data.showcase()).hasSize(3);
        for (String member : data.showcase()) {
            String newGenre = data.genreOf(state.get(member).get(state.get(member).size() - 1).titleId);
            long inNewGenre = picks.get(member).stream().filter(t -> data.genreOf(t).equals(newGenre)).count();
            assertThat(picks.get(member)).hasSize(25);
            assertThat(inNewGenre).as("%s's top 25 in %s: %s", member, newGenre, picks.get(member)).isGreaterThanOrEqualTo(10);
        }
    }
}
