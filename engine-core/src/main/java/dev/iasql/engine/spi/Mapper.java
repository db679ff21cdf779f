package dev.iasql.engine.spi;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Links one table to the cloud: how its rows are read, compared and changed on both sides. The engine does the rest
 * (diff, plan, order, parallelism, retries of deferred work, errors), the same for every table.
 *
 * <p>{@code E} is an immutable value for one row or one cloud resource. References to other tables are held by their
 * cloud identity (a VPC's {@code vpc-…} id, not its row id), so a value read from the cloud and one read from the DB
 * compare directly; {@link #readDb} joins to find them and the DB writes resolve them back to row ids.
 *
 * <p>Cloud calls may run in parallel on several threads; DB calls run on the operation's connection, one at a time.
 *
 * @param <E> the row and resource value
 */
public interface Mapper<E> {
  /** The table, as named in the module's migrations. */
  String table();

  /** Tables whose rows this one refers to: they are created before this one and deleted after it. */
  default Set<String> dependsOn() {
    return Set.of();
  }

  /** Where the truth of this table lives. */
  default Source source() {
    return Source.DB;
  }

  /** Whether the cloud is read once per enabled region or once for the account. */
  default Scope scope() {
    return Scope.REGIONAL;
  }

  /**
   * The resource's identity in the cloud, unique in the account across regions (region included), or null for a row
   * that does not exist in the cloud yet. A DB row whose key the cloud lacks is created by apply and deleted by sync.
   */
  @Nullable String cloudKey(E e);

  /** The region of a regional row; rows of regions that are not enabled are left alone. Null for global tables. */
  @Nullable String region(E e);

  /**
   * The row's integer id in the DB, reported in results; null for values read from the cloud or tables without one.
   * Tables whose truth is the cloud ({@link Source#CLOUD}) need not implement this, {@link #create} or
   * {@link #delete}: the engine never asks them to change the cloud.
   */
  default @Nullable Integer rowId(E e) {
    return null;
  }

  /** A short text naming the resource in results and errors: its cloud id or its name. Never a secret. */
  String describe(E e);

  /** How the cloud resource differs from what the DB row asks for. */
  Difference compare(E db, E cloud);

  /**
   * The row a resource was created for, read back from what {@link #create} tagged it with (see
   * {@link CloudContext#database()}), or null when it carries no such tag.
   */
  default @Nullable RowClaim claim(E cloud) {
    return null;
  }

  /**
   * Resources the cloud itself owns (a default VPC): apply never deletes them; when their row is missing, apply puts
   * it back instead.
   */
  default boolean ownedByCloud(E cloud) {
    return false;
  }

  /**
   * For a resource the cloud makes along with another (the rules AWS gives a VPC's default security group): the
   * {@link #cloudKey} of that other one, whose mapper comes before this one. When apply records that other resource
   * in a round (it is {@link #ownedByCloud} and had no row), this one is recorded too, not deleted: a new VPC's group
   * comes with its rules, and one apply converges. With a row for the other kept, a missing row here means delete.
   */
  default @Nullable String madeWith(E cloud) {
    return null;
  }

  /**
   * The resources this row refers to, as their own tables' {@link #cloudKey}s (a subnet: its VPC's). When apply replaces
   * one of them, it replaces this row's resource too, which the cloud would otherwise refuse to let go or leave behind
   * in the old one: torn down before it, made again after it. Keys that match no resource are ignored.
   */
  default Set<String> refersTo(E e) {
    return Set.of();
  }

  /**
   * Whether the cloud makes other resources along with one of these (a VPC comes with a default security group): after
   * apply creates one, it reads the cloud once more to record them ({@link #ownedByCloud}, {@link #madeWith}).
   */
  default boolean createMakesOthers() {
    return false;
  }

  // ---- DB side ----

  List<E> readDb(Connection c) throws SQLException;

  /**
   * Sync: a resource exists in the cloud and has no row; insert one. Returns the new row's id (what
   * {@code iasql_sync()} reports for it), or null for a table without ids or when nothing was inserted.
   */
  @Nullable Integer insertDb(Connection c, E cloud) throws SQLException;

  /** Sync, or apply writing back what the cloud assigned: make the row say what the cloud says. */
  void updateDb(Connection c, E db, E cloud) throws SQLException;

  void deleteDb(Connection c, E db) throws SQLException;

  // ---- cloud side ----

  /** Every resource of this type in one region (null for global tables), read in bulk with pagination. */
  List<E> readCloud(CloudContext ctx, @Nullable String region);

  /**
   * Creates the resource and returns it as the cloud now has it (ids assigned), from the responses, without reading it
   * back. Throws {@link WaitingFor} when a resource it refers to has no cloud id yet. Where the cloud can tag at
   * create, tag it with the database and row id and return them from {@link #claim}: a crash before the write-back
   * then never leads to a second resource.
   */
  default E create(CloudContext ctx, E desired) {
    throw new UnsupportedOperationException(table() + " rows come from the cloud: apply never creates one");
  }

  /** Changes the resource in place ({@link Difference#UPDATE}); returns it as the cloud now has it. */
  default E update(CloudContext ctx, E desired, E actual) {
    throw new UnsupportedOperationException(table() + " rows cannot be updated in place");
  }

  /** Deletes the resource; one that is already gone is not an error. */
  default void delete(CloudContext ctx, E actual) {
    throw new UnsupportedOperationException(table() + " rows come from the cloud: apply never deletes one");
  }

  /** Where the truth of a table lives. */
  enum Source {
    /** Users write the rows; apply pushes them to the cloud. */
    DB,
    /** The cloud decides (availability zones): apply and sync both copy the cloud into the table. */
    CLOUD
  }

  enum Scope {
    REGIONAL,
    GLOBAL
  }
}
