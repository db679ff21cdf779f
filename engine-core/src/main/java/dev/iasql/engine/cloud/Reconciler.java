package dev.iasql.engine.cloud;

import static java.util.Objects.requireNonNull;

import dev.iasql.engine.Call.Progress;
import dev.iasql.engine.Cancellation;
import dev.iasql.engine.Change;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.spi.CloudAccount;
import dev.iasql.engine.spi.CloudContext;
import dev.iasql.engine.spi.CloudCodes;
import dev.iasql.engine.spi.CloudException;
import dev.iasql.engine.spi.Extensions;
import dev.iasql.engine.spi.Mapper;
import dev.iasql.engine.spi.WaitingFor;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apply (DB to cloud) and sync (cloud to DB) for one database, one operation: read both sides (the cloud in bulk, per
 * type and region, in parallel), diff, plan, execute in dependency order with independent steps in parallel, and go
 * round again while steps fail or wait. A round whose steps all succeed is not read back (mappers return the cloud's
 * state from the responses) unless it created something the cloud makes others with (see
 * {@link Mapper#createMakesOthers}), or replaced or deleted something. When a round makes no progress, every failing row is named and the DB keeps the
 * desired state.
 */
public final class Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
  static final int MAX_ROUNDS = 20;

  private final String database;
  private final CloudAccount account;
  private final Extensions extensions;
  private final CloudThreads threads;
  private final List<Mapper<?>> mappers;
  private final Map<String, Integer> levels;
  /** The tables whose creates make other resources too ({@link Mapper#createMakesOthers}). */
  private final Set<String> makersOfOthers;

  /**
   * @param mappers the mappers of the tables to reconcile (the account's own come from {@code account})
   * @param threads the engine's threads for cloud calls
   */
  public Reconciler(String database, CloudAccount account, List<Mapper<?>> mappers, Extensions extensions,
      CloudThreads threads) {
    this.database = requireNonNull(database, "database is null");
    this.threads = requireNonNull(threads, "threads is null");
    this.account = requireNonNull(account, "account is null");
    this.extensions = requireNonNull(extensions, "extensions is null");
    List<Mapper<?>> all = new ArrayList<>(account.accountMappers());
    all.addAll(mappers);
    this.levels = Levels.of(all);
    this.mappers = Levels.ordered(mappers);
    this.makersOfOthers = this.mappers.stream().filter(Mapper::createMakesOthers).map(Mapper::table)
        .collect(Collectors.toUnmodifiableSet());
  }

  /** Whether to change anything or only say what would change. */
  public enum Mode {
    RUN,
    PREVIEW
  }

  /**
   * Makes what a round changed durable before the next round (apply), or does nothing (a preview). A cancel never
   * interrupts it.
   */
  @FunctionalInterface
  public interface Checkpoint {
    Checkpoint NONE = madeSoFar -> {};

    /** @param madeSoFar every cloud change this operation has made, this round's included */
    void reached(List<Change> madeSoFar) throws SQLException;
  }

  /** Pushes the DB to the cloud. Returns the cloud changes made (or, in preview, planned). */
  public List<Change> apply(Connection c, Mode mode, Checkpoint checkpoint, Progress progress,
      Cancellation cancellation) throws SQLException {
    CloudContext first = open(c);
    try (Parallel parallel = new Parallel(first.maxConcurrency(), threads)) {
      CloudContext ctx = first;
      if (mode == Mode.RUN && matchAccountTablesToTheCloud(c, ctx, parallel, progress, cancellation)) {
        checkpoint.reached(List.of()); // region rows only: no cloud change yet
        ctx = open(c); // an enabled region may have gone
      }
      Set<String> regions = Set.copyOf(ctx.regions());
      List<Change> changes = new ArrayList<>();
      List<Failure> lastFailures = List.of();
      List<Change> lastRound = List.of();
      int stalled = 0;
      for (int round = 1; round <= MAX_ROUNDS; round++) {
        cancellation.throwIfCancelled();
        Map<Mapper<?>, List<?>> cloud = readCloud(ctx, mappers, parallel, progress);
        List<Step> steps = plan(c, cloud, regions, Direction.APPLY, round == 1 ? progress : null);
        List<Failure> failures = new ArrayList<>();
        if (mode == Mode.RUN && steps.stream().anyMatch(Step::dbOnly)) {
          // Rows the cloud owns are put back first, so cloud steps are planned from a DB that refers to them.
          failures.addAll(execute(c, ctx, steps.stream().filter(Step::dbOnly).toList(), parallel,
              cancellation).failures());
          steps = plan(c, cloud, regions, Direction.APPLY, null);
        }
        List<Step> cloudSteps = steps.stream().filter(s -> !s.dbOnly()).toList();
        if (mode == Mode.PREVIEW) {
          return changesOf(cloudSteps);
        }
        if (cloudSteps.isEmpty() && failures.isEmpty()) {
          progress.report(changes.isEmpty() ? "the cloud already matches the database" : "done: " + summary(changes));
          return changes;
        }
        progress.report("round " + round + ": " + count(changesOf(cloudSteps).size(), "cloud change") + " to make");
        Executed done = execute(c, ctx, cloudSteps, parallel, cancellation);
        changes.addAll(done.changes());
        failures.addAll(done.failures());
        // What the cloud did is recorded before a cancel may stop the apply: the database never forgets it.
        List<Change> madeSoFar = List.copyOf(changes);
        cancellation.shielded(() -> {
          checkpoint.reached(madeSoFar);
          return null;
        });
        cancellation.throwIfCancelled();
        if (failures.isEmpty() && !movedIdentities(done.changes()) && !madeOthers(done.changes())) {
          progress.report("done: " + summary(changes));
          return changes;
        }
        // Clouds are eventually consistent: one more round may succeed where this one failed; two rounds in a row
        // without a single change will not.
        stalled = done.changes().isEmpty() ? stalled + 1 : 0;
        if (stalled == 2) {
          throw noProgress("apply", failures);
        }
        failures.stream().filter(f -> !f.waiting())
            .forEach(f -> progress.report("will try again: " + f.line()));
        lastFailures = failures;
        lastRound = done.changes();
      }
      throw lastFailures.isEmpty() ? keptChanging(lastRound) : noProgress("apply", lastFailures);
    }
  }

  /**
   * Apply cannot push the account's own tables (there is no creating or deleting a region), so, as IaSQL's apply did,
   * it puts them back as the cloud has them: a region row someone inserted by hand goes, a deleted one comes back, and
   * the user's flags on the others stay. These are DB changes, reported as progress, not cloud changes in the result.
   * Returns whether a row changed.
   */
  private boolean matchAccountTablesToTheCloud(Connection c, CloudContext ctx, Parallel parallel, Progress progress,
      Cancellation cancellation) throws SQLException {
    List<Mapper<?>> accountTables = account.accountMappers();
    if (accountTables.isEmpty()) {
      return false;
    }
    cancellation.throwIfCancelled();
    List<Step> steps = plan(c, readCloud(ctx, accountTables, parallel, progress), Set.copyOf(ctx.regions()),
        Direction.SYNC, null).stream().filter(Step::dbOnly).toList();
    if (steps.isEmpty()) {
      return false;
    }
    Executed done = execute(c, ctx, steps, parallel, cancellation);
    if (!done.failures().isEmpty()) {
      throw noProgress("apply", done.failures());
    }
    done.changes().forEach(ch -> progress.report(("delete".equals(ch.action()) ? "removed " : "restored ")
        + ch.description() + " in " + ch.tableName() + ", as the cloud has it"));
    return true;
  }

  /** Pulls the cloud into the DB: the account's tables first (the region list), then every other table. */
  public List<Change> sync(Connection c, Mode mode, Progress progress, Cancellation cancellation)
      throws SQLException {
    CloudContext first = open(c);
    try (Parallel parallel = new Parallel(first.maxConcurrency(), threads)) {
      List<Change> changes = new ArrayList<>();
      CloudContext ctx = first;
      List<Mapper<?>> accountTables = account.accountMappers();
      if (!accountTables.isEmpty()) {
        changes.addAll(syncTables(c, ctx, accountTables, mode, parallel, progress, cancellation));
        if (mode == Mode.RUN) {
          ctx = open(c); // the enabled regions may have changed
        }
      }
      changes.addAll(syncTables(c, ctx, mappers, mode, parallel, progress, cancellation));
      if (mode == Mode.RUN) {
        progress.report(changes.isEmpty() ? "the database already matches the cloud" : "done: " + summary(changes));
      }
      return changes;
    }
  }

  /** Sync of the account's tables only (regions), for an install of the account module itself. */
  public List<Change> syncAccount(Connection c, Progress progress, Cancellation cancellation) throws SQLException {
    CloudContext ctx = open(c);
    try (Parallel parallel = new Parallel(ctx.maxConcurrency(), threads)) {
      return syncTables(c, ctx, account.accountMappers(), Mode.RUN, parallel, progress, cancellation);
    }
  }

  private List<Change> syncTables(Connection c, CloudContext ctx, List<Mapper<?>> tables, Mode mode,
      Parallel parallel, Progress progress, Cancellation cancellation) throws SQLException {
    cancellation.throwIfCancelled();
    Map<Mapper<?>, List<?>> cloud = readCloud(ctx, tables, parallel, progress);
    List<Step> steps = plan(c, cloud, Set.copyOf(ctx.regions()), Direction.SYNC, progress);
    if (mode == Mode.PREVIEW) {
      return steps.stream().map(Step::change).toList();
    }
    Executed done = execute(c, ctx, steps, parallel, cancellation);
    cancellation.throwIfCancelled();
    if (!done.failures().isEmpty()) {
      throw noProgress("sync", done.failures());
    }
    return done.changes();
  }

  private CloudContext open(Connection c) throws SQLException {
    try {
      return account.open(c, database, extensions);
    } catch (CloudException e) {
      throw translate(e);
    }
  }

  // ---- read and plan ----

  private Map<Mapper<?>, List<?>> readCloud(CloudContext ctx, List<Mapper<?>> tables, Parallel parallel,
      Progress progress) {
    record Read(Mapper<?> mapper, @Nullable String region) {}
    List<Read> reads = new ArrayList<>();
    for (Mapper<?> m : tables) {
      if (m.scope() == Mapper.Scope.GLOBAL) {
        reads.add(new Read(m, null));
      } else {
        ctx.regions().forEach(r -> reads.add(new Read(m, r)));
      }
    }
    long start = System.nanoTime();
    List<Callable<List<?>>> calls = reads.stream()
        .<Callable<List<?>>>map(r -> () -> r.mapper().readCloud(ctx, r.region()))
        .toList();
    List<Parallel.Outcome<List<?>>> outcomes = run(parallel, calls);
    Map<Mapper<?>, List<?>> byMapper = new LinkedHashMap<>();
    tables.forEach(m -> byMapper.put(m, new ArrayList<>()));
    for (int i = 0; i < reads.size(); i++) {
      Parallel.Outcome<List<?>> o = outcomes.get(i);
      if (!o.ok()) {
        throw o.error() instanceof CloudException ce ? translate(ce) : new EngineException(
            ErrorCode.INTERNAL_ERROR, "reading " + reads.get(i).mapper().table() + " from the cloud failed: "
            + o.error(), null, null, o.error());
      }
      addAll(byMapper.get(reads.get(i).mapper()), o.value());
    }
    progress.report("read " + count(tables.size(), "table") + " in " + count(ctx.regions().size(), "region")
        + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    return byMapper;
  }

  @SuppressWarnings("unchecked") // both lists hold the same mapper's values
  private static void addAll(List<?> into, List<?> values) {
    ((List<Object>) into).addAll(values);
  }

  private enum Direction {
    APPLY,
    SYNC
  }

  /**
   * The steps of one round.
   *
   * @param notices where to say which rows are left alone because their region is not enabled; null to stay quiet
   *     (later rounds of the same operation)
   */
  private List<Step> plan(Connection c, Map<Mapper<?>, List<?>> cloud, Set<String> regions, Direction direction,
      @Nullable Progress notices) throws SQLException {
    List<Step> steps = new ArrayList<>();
    Map<String, Map<String, Integer>> outside = new TreeMap<>();
    List<String> adoptions = new ArrayList<>();
    Set<String> recorded = new HashSet<>();
    Map<String, String> replacing = new HashMap<>();
    Set<String> vanishing = new HashSet<>();
    for (Map.Entry<Mapper<?>, List<?>> e : cloud.entrySet()) { // in dependency order
      Table<?> t = table(c, e.getKey(), e.getValue());
      steps.addAll(direction == Direction.APPLY ? t.applySteps(regions, recorded, replacing, vanishing) : t.syncSteps(regions));
      t.outside(regions).forEach((region, n) -> outside.computeIfAbsent(region, r -> new TreeMap<>()).put(t.name(), n));
      adoptions.addAll(t.adoptions());
    }
    if (notices != null) {
      adoptions.forEach(line -> {
        LOG.info("{}: {}", database, line);
        notices.report(line);
      });
      outside.forEach((region, byTable) -> notices.report(count(byTable.values().stream().mapToInt(i -> i).sum(),
          "row") + " of region " + region + " left alone (" + byTable.entrySet().stream()
          .map(b -> b.getKey() + ": " + b.getValue()).collect(Collectors.joining(", "))
          + "): the region is not enabled; to include them: " + account.enableRegionHint(region)));
    }
    return steps;
  }

  private <E> Table<E> table(Connection c, Mapper<E> mapper, List<?> cloud) throws SQLException {
    return Table.of(mapper, database, levels.get(mapper.table()), Table.readDb(mapper, c), cloud);
  }

  // ---- execute ----

  private record Executed(List<Change> changes, List<Failure> failures) {}

  /**
   * DB-only steps upwards, then the teardowns of replacements downwards, then creates upwards, then deletes
   * downwards; within a level the cloud calls run in parallel and their DB writes follow one by one, each in a
   * savepoint so one failing row does not undo the others. A change made of two steps (a replacement) is reported
   * once, and its second half is skipped when its first failed: the old resource is still there.
   */
  private Executed execute(Connection c, CloudContext ctx, List<Step> steps, Parallel parallel,
      Cancellation cancellation) throws SQLException {
    Set<Change> changes = new LinkedHashSet<>();
    List<Failure> failures = new ArrayList<>();
    Set<Change> failed = new HashSet<>();
    for (Step.Phase phase : Step.Phase.values()) {
      TreeMap<Integer, List<Step>> byLevel = steps.stream().filter(s -> s.phase() == phase)
          .filter(s -> !failed.contains(s.change()))
          .collect(Collectors.groupingBy(Step::level, TreeMap::new, Collectors.toList()));
      boolean downwards = phase == Step.Phase.DELETE || phase == Step.Phase.TEARDOWN;
      for (List<Step> level : (downwards ? byLevel.descendingMap() : byLevel).values()) {
        if (cancellation.isCancelled()) {
          // No new cloud work; what earlier levels did is returned, so the caller records it before it stops.
          return new Executed(List.copyOf(changes), failures);
        }
        List<Callable<Object>> calls = new ArrayList<>();
        for (Step s : level) {
          Step.CloudCall call = s.cloud();
          if (s.prepare() != null) {
            try {
              call = s.prepare().prepare(c);
            } catch (SQLException | RuntimeException e) {
              Exception error = e;
              call = ignored -> {
                throw new IllegalStateException("reading the row again failed: " + error.getMessage(), error);
              };
            }
          }
          Step.CloudCall run = call;
          calls.add(() -> run == null ? null : run.run(ctx));
        }
        List<Parallel.Outcome<Object>> outcomes = level.stream().allMatch(Step::dbOnly)
            ? level.stream().map(s -> new Parallel.Outcome<Object>(null, null)).toList()
            : run(parallel, calls);
        // The cloud calls are done: a cancel must not stop the DB from recording them.
        cancellation.shielded(() -> {
          for (int i = 0; i < level.size(); i++) {
            Step s = level.get(i);
            Parallel.Outcome<Object> o = outcomes.get(i);
            if (!o.ok()) {
              failures.add(failure(s.change(), o.error()));
              failed.add(s.change());
              continue;
            }
            Savepoint sp = c.setSavepoint();
            try {
              Integer newRow = s.db().write(c, o.value());
              c.releaseSavepoint(sp);
              Change ch = s.change();
              changes.add(newRow == null || ch.id() != null ? ch
                  : new Change(ch.action(), ch.tableName(), newRow, ch.description()));
            } catch (SQLException | RuntimeException e) {
              c.rollback(sp);
              failures.add(new Failure(s.change(), "the database refused the row: " + e.getMessage(), null, false));
              failed.add(s.change());
            }
          }
          return null;
        });
      }
    }
    return new Executed(List.copyOf(changes), failures);
  }

  /** The changes steps make, each once (a replacement is two steps). */
  private static List<Change> changesOf(List<Step> steps) {
    return steps.stream().map(Step::change).distinct().toList();
  }

  private static <T> List<Parallel.Outcome<T>> run(Parallel parallel, List<Callable<T>> calls) {
    try {
      return parallel.run(calls);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException(ErrorCode.CANCELLED, "interrupted while waiting for the cloud", null, null, e);
    }
  }

  private static Failure failure(Change change, Throwable error) {
    if (error instanceof WaitingFor w) {
      return new Failure(change, w.getMessage(), null, true);
    }
    if (error instanceof CloudException ce) {
      return new Failure(change, ce.getMessage(), ce, false);
    }
    return new Failure(change, String.valueOf(error), null, false);
  }

  // ---- errors ----

  /** The account this reconciler opens its cloud contexts from. */
  public CloudAccount account() {
    return account;
  }

  EngineException translate(CloudException e) {
    return translate(e, account.credentialsHint(), account.codes());
  }

  /**
   * @param credentialsHint how to give the database credentials, in its own release's tables
   * @param codes the cloud module's codes
   */
  public static EngineException translate(CloudException e, String credentialsHint, CloudCodes codes) {
    String hint = e.hint().orElse(e.kind() == CloudException.Kind.CREDENTIALS ? credentialsHint : null);
    return new EngineException(codes.of(e.kind()), e.getMessage(), null, hint, e);
  }

  /** "1 table", "2 tables". */
  static String count(long n, String noun) {
    return n + " " + (n == 1 ? noun : noun + "s");
  }

  /**
   * Every round succeeded, yet each found new differences (its deletes and replaces make the next round read again):
   * the account changes under the apply, say because another tool or another database on the same account works
   * on it. No row failed, so the error names what the last round did instead.
   */
  private EngineException keptChanging(List<Change> lastRound) {
    return new EngineException(account.codes().keptChanging(), "apply did not settle after " + MAX_ROUNDS
        + " rounds: each round found new differences between the database and the cloud",
        "the last round made " + count(lastRound.size(), "cloud change") + ":\n" + lastRound.stream()
            .map(ch -> ch.action() + " " + ch.tableName() + " " + ch.description()).sorted()
            .collect(Collectors.joining("\n")),
        "something else may be changing the same account at the same time (another tool, or another database on"
            + " the same account); what apply did is kept: apply again once it is quiet", null);
  }

  private EngineException noProgress(String verb, List<Failure> failures) {
    List<Failure> sorted = new ArrayList<>(failures);
    sorted.sort(Comparator.comparing(Failure::line));
    if (!sorted.isEmpty() && sorted.stream().allMatch(f -> f.cloud() != null
        && f.cloud().kind() == CloudException.Kind.CREDENTIALS)) {
      return translate(sorted.get(0).cloud());
    }
    String detail = sorted.stream().map(Failure::line).collect(Collectors.joining("\n"));
    Set<String> tables = new LinkedHashSet<>();
    sorted.forEach(f -> tables.add(f.change().tableName()));
    return new EngineException(account.codes().noProgress(), verb + " could not finish: " + sorted.size()
        + " row(s) failed in " + String.join(", ", tables), detail,
        verb.equals("apply") ? "your rows are kept as you wrote them; fix them and apply again"
            : "nothing was changed", null);
  }

  /** Whether a change created a resource the cloud makes others with, which one more round then records. */
  private boolean madeOthers(List<Change> changes) {
    return changes.stream().anyMatch(ch -> makersOfOthers.contains(ch.tableName())
        && (ch.action().equals("create") || ch.action().equals("replace")));
  }

  /**
   * Whether a round gave resources new cloud ids that other rows may have referred to by the old ones (a replaced
   * group's rules): then the next round re-reads, where a round of plain creates and updates need not.
   */
  private static boolean movedIdentities(List<Change> changes) {
    return changes.stream().anyMatch(ch -> ch.action().equals("replace") || ch.action().equals("delete"));
  }

  private static String summary(List<Change> changes) {
    Map<String, Long> counts = new TreeMap<>(changes.stream()
        .collect(Collectors.groupingBy(ch -> ch.action() + " " + ch.tableName(), Collectors.counting())));
    return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
  }
}
