package io.nearline.operators.cache;

import java.io.Serializable;

/** How a record becomes a cache entry: its key and its bytes. */
public interface CacheEntryMapper<T> extends Serializable {

    String key(T record);

    byte[] value(T record);
}
