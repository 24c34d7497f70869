package io.nearline.operators.members;

import io.nearline.schemas.event.PlayCompleted;
import io.nearline.schemas.event.PlayStarted;
import io.nearline.schemas.event.PlayStopped;
import io.nearline.schemas.event.Rating;
import io.nearline.schemas.event.Thumb;
import io.nearline.schemas.event.ListAdd;
import io.nearline.schemas.event.ListRemove;
import io.nearline.schemas.event.UiEvent;
import org.apache.flink.configuration.ReadableConfig;

import java.io.Serializable;

import static io.nearline.operators.config.OptionChecks.finite;

/**
 * Turns a UI event into a weighted interaction, or none, by the weights of {@link WeightOptions}: the checked,
 * serializable settings that functions carry (built at submission; a weight that is not a finite number is refused).
 */
public final class InteractionWeights implements Serializable {

    private static final long serialVersionUID = 1L;

    private final double playStarted;
    private final double playCompleted;
    private final double shortPlay;
    private final double shortPlaySeconds;
    private final double ratingPerStar;
    private final double neutralStars;
    private final double thumbUp;
    private final double thumbDown;
    private final double listAdd;
    private final double listRemove;

    public InteractionWeights(ReadableConfig config) {
        this.playStarted = finite(config, WeightOptions.PLAY_STARTED);
        this.playCompleted = finite(config, WeightOptions.PLAY_COMPLETED);
        this.shortPlay = finite(config, WeightOptions.SHORT_PLAY);
        this.shortPlaySeconds = config.get(WeightOptions.SHORT_PLAY_TIME).toMillis() / 1000.0;
        this.ratingPerStar = finite(config, WeightOptions.RATING_PER_STAR);
        this.neutralStars = finite(config, WeightOptions.RATING_NEUTRAL_STARS);
        this.thumbUp = finite(config, WeightOptions.THUMB_UP);
        this.thumbDown = finite(config, WeightOptions.THUMB_DOWN);
        this.listAdd = finite(config, WeightOptions.LIST_ADD);
        this.listRemove = finite(config, WeightOptions.LIST_REMOVE);
    }

    /** The interaction an event stands for, or null if it is not one (browsing, impressions, ...). */
    public Interaction interaction(UiEvent event) {
        Object payload = event.getPayload();
        String title;
        double weight;
        if (payload instanceof PlayStarted p) {
            title = p.getTitleId();
            weight = playStarted;
        } else if (payload instanceof PlayCompleted p) {
            title = p.getTitleId();
            weight = playCompleted;
        } else if (payload instanceof PlayStopped p) {
            title = p.getTitleId();
            weight = p.getPositionSeconds() < shortPlaySeconds ? shortPlay
                    : playCompleted * fraction(p.getPositionSeconds(), p.getDurationSeconds());
        } else if (payload instanceof Rating r) {
            title = r.getTitleId();
            weight = rating(r);
        } else if (payload instanceof ListAdd l) {
            title = l.getTitleId();
            weight = listAdd;
        } else if (payload instanceof ListRemove l) {
            title = l.getTitleId();
            weight = listRemove;
        } else {
            return null;
        }
        if (weight == 0) {
            return null;
        }
        return new Interaction(title, (float) weight, event.getEventTime().toEpochMilli());
    }

    /** The weight of a star rating alone. */
    public double stars(double stars) {
        return ratingPerStar * (stars - neutralStars);
    }

    private double rating(Rating rating) {
        if (rating.getThumb() != null) {
            return rating.getThumb() == Thumb.UP ? thumbUp : thumbDown;
        }
        if (rating.getStars() != null) {
            return stars(rating.getStars());
        }
        return 0;
    }

    private static double fraction(double position, double duration) {
        if (!(duration > 0)) {
            return 1;
        }
        return Math.min(1, Math.max(0, position / duration));
    }
}
