package io.nearline.operators.similars;

import java.util.List;
import java.util.Map;

/** One title of the catalog: its id, its display name, and its facet values (such as genre → [Drama, War]). */
public record CatalogTitle(String id, String name, Map<String, List<String>> facets) {}
