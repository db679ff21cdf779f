package dev.iasql.engine.kit;

import dev.iasql.engine.spi.CloudContext;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The cloud side of one kit table: what a module writes. Values are {@link Row}s in the table's shape. A module that
 * can change a resource in place also implements {@link InPlace}; without it, any change of a user column replaces
 * the resource. Errors are thrown as {@link dev.iasql.engine.spi.CloudException}s (AWS modules: {@code AwsErrors}).
 */
public interface Resources {
  /** Every resource in one region (null for a global table), read in bulk, every page. Never changes anything. */
  List<Row> list(CloudContext ctx, @Nullable String region);

  /**
   * Creates the resource of a DB row and returns it as the cloud now has it, every readable column filled in; it
   * survives a crash as the table's {@link CrashSafety} says.
   */
  Row create(CloudContext ctx, Row desired);

  /** Deletes the resource; one already gone is no error. */
  void delete(CloudContext ctx, Row actual);

  /** The optional ability to change a resource in place. */
  interface InPlace {
    /**
     * Changes the resource in place and returns it as the cloud now has it.
     *
     * @param changed the user and write-only columns that differ; never one the table replaces on change
     */
    Row update(CloudContext ctx, Row desired, Row actual, Set<String> changed);
  }

  /**
   * The optional ability to tell the resources the cloud owns (a region's default VPC): apply never deletes them, and
   * puts a missing row back instead ({@link dev.iasql.engine.spi.Mapper#ownedByCloud}).
   */
  interface CloudOwned {
    boolean ownedByCloud(Row cloud);
  }

  /**
   * For a resource the cloud makes along with another (a default group's rules): the other's cloud key, as its table's
   * mapper gives it ({@link dev.iasql.engine.spi.Mapper#madeWith}); null for one made on its own.
   */
  interface MadeWith {
    @Nullable String madeWith(Row cloud);
  }

  /**
   * Marks a table whose create makes other resources too (a VPC comes with a default security group): apply reads the
   * cloud again after it ({@link dev.iasql.engine.spi.Mapper#createMakesOthers}).
   */
  interface MakesOthers {}

  /**
   * For values with several spellings (a rule's protocol {@code 6} or {@code tcp}): the one form in which rows and
   * resources compare, applied to both before the kit compares them or takes their key. A row keeps its spelling
   * where it means what the cloud has.
   */
  interface Normalises {
    Row normalise(Row value);
  }
}
