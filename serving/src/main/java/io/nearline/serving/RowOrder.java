package io.nearline.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Re-orders a member's rows by device and hour of day, from rules such as
 * {@code device=tv,hours=18-23:top-picks,because-you-watched,trending}: the first rule that matches orders the rows
 * it names first, in its order (a name also matches rows named {@code <name>:...}); the rest keep their order.
 */
final class RowOrder {

    record Rule(String device, int fromHour, int toHour, List<String> order) {
        boolean matches(String requestDevice, int hour) {
            if (device != null && !device.equalsIgnoreCase(requestDevice == null ? "" : requestDevice)) {
                return false;
            }
            if (fromHour < 0) {
                return true;
            }
            // end exclusive; 22-6 wraps around midnight
            return fromHour <= toHour ? hour >= fromHour && hour < toHour : hour >= fromHour || hour < toHour;
        }
    }

    private final List<Rule> rules;

    private RowOrder(List<Rule> rules) {
        this.rules = rules;
    }

    /** Parses the rules; a bad one is refused with a message naming it. */
    static RowOrder parse(List<String> specs) {
        List<Rule> rules = new ArrayList<>();
        for (String spec : specs) {
            int colon = spec.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("row-order rule '" + spec + "' has no ':' before its row names");
            }
            String device = null;
            int from = -1;
            int to = -1;
            String conditions = spec.substring(0, colon).trim();
            for (String condition : conditions.isEmpty() ? new String[0] : conditions.split(",")) {
                String[] kv = condition.trim().split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("row-order rule '" + spec + "': '" + condition + "' is not key=value");
                }
                switch (kv[0].trim().toLowerCase(Locale.ROOT)) {
                    case "device" -> device = kv[1].trim();
                    case "hours" -> {
                        String[] range = kv[1].trim().split("-", 2);
                        try {
                            from = Integer.parseInt(range[0].trim());
                            to = Integer.parseInt(range[1].trim());
                        } catch (RuntimeException e) {
                            throw new IllegalArgumentException("row-order rule '" + spec + "': hours must be like 18-23");
                        }
                        if (from < 0 || from > 23 || to < 0 || to > 24) {
                            throw new IllegalArgumentException("row-order rule '" + spec + "': hours must be within 0-24");
                        }
                    }
                    default -> throw new IllegalArgumentException("row-order rule '" + spec + "': unknown condition '"
                            + kv[0].trim() + "' (device, hours)");
                }
            }
            List<String> order = new ArrayList<>();
            for (String name : spec.substring(colon + 1).split(",")) {
                if (!name.isBlank()) {
                    order.add(name.trim());
                }
            }
            if (order.isEmpty()) {
                throw new IllegalArgumentException("row-order rule '" + spec + "' names no rows");
            }
            rules.add(new Rule(device, from, to, List.copyOf(order)));
        }
        return new RowOrder(List.copyOf(rules));
    }

    List<ServedRow> apply(List<ServedRow> rows, String device, int hour) {
        for (Rule rule : rules) {
            if (rule.matches(device, hour)) {
                List<ServedRow> ordered = new ArrayList<>(rows.size());
                List<ServedRow> rest = new ArrayList<>(rows);
                for (String name : rule.order()) {
                    for (ServedRow row : List.copyOf(rest)) {
                        if (row.name().equals(name) || row.name().startsWith(name + ":")) {
                            ordered.add(row);
                            rest.remove(row);
                        }
                    }
                }
                ordered.addAll(rest);
                return ordered;
            }
        }
        return rows;
    }
}
