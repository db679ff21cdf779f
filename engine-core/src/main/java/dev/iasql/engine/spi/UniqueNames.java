package dev.iasql.engine.spi;

import org.jspecify.annotations.Nullable;

/**
 * An optional ability of a {@link Mapper} whose resources have a name unique in their region, given by the user: how
 * a create survives a crash before its write-back when the resource cannot carry a {@link RowClaim}. A row without a
 * cloud id is matched to the resource of its region with the same name that no row holds, and adopts it, so the next
 * apply never creates it twice and sync never drops the row and imports the resource as a new one.
 *
 * @param <E> the mapper's value
 */
public interface UniqueNames<E> {
  /** The name, unique in the resource's region; null when the value has none. */
  @Nullable String uniqueName(E e);
}
