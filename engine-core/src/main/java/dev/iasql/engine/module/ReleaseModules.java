package dev.iasql.engine.module;

import static java.util.Objects.requireNonNull;

import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.Mapper;
import dev.iasql.engine.spi.EngineExtension;
import dev.iasql.engine.spi.Module;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The modules of each supported release, and an installer for each. A module belongs to the release its
 * {@link Module#version()} names; platform modules belong to every release (a database records them at its own).
 */
public final class ReleaseModules {
  private final ReleaseCatalog releases;
  private final Map<String, ModuleCatalog> catalogs = new LinkedHashMap<>();
  private final Map<String, Installer> installers = new LinkedHashMap<>();

  public ReleaseModules(ReleaseCatalog releases, Collection<? extends Module> modules) {
    this(releases, modules, List.of());
  }

  /** @param extensions what they add to each module's install and uninstall (the bridge: its RPC functions) */
  public ReleaseModules(ReleaseCatalog releases, Collection<? extends Module> modules,
      List<EngineExtension> extensions) {
    this.releases = requireNonNull(releases, "releases is null");
    for (String release : releases.known()) {
      List<Module> of = new ArrayList<>();
      for (Module m : modules) {
        if (m.platform() || m.version().equals(release)) {
          of.add(m);
        }
      }
      ModuleCatalog catalog = new ModuleCatalog(of);
      catalogs.put(release, catalog);
      installers.put(release, new Installer(catalog, release, extensions));
    }
    ErrorBlocks.check(modules);
    for (Module m : modules) {
      if (!m.platform() && !releases.upgradable(m.version())) {
        throw new EngineException(ErrorCode.MODULE_RELEASE_UNKNOWN, "module " + m.name() + "@" + m.version() + " ("
            + m.getClass().getName() + ") belongs to no release this engine knows", null, "the releases are "
            + String.join(", ", releases.known()) + ": give the engine a ReleaseCatalog that lists " + m.version()
            + ", or leave the module out", null);
      }
      checkMapperTables(m);
      try {
        m.validate();
      } catch (LinkageError e) {
        // What the JVM says when a module refers to a class whose jar is not on the class path.
        throw new EngineException(ErrorCode.MODULE_SET_INVALID, "module " + m.name() + "@" + m.version()
            + " needs a class that is not on the class path: " + e, null, "add the library that holds it (for an"
            + " AWS SDK client, its artifact such as software.amazon.awssdk:sqs), or leave the module out", e);
      }
    }
  }

  private static final Pattern CREATE_TABLE = Pattern.compile(
      "CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(?:\"?public\"?\\.)?\"?([A-Za-z_][A-Za-z0-9_]*)\"?",
      Pattern.CASE_INSENSITIVE);

  /**
   * Every table a module's mappers (and its account's) name must be one its migrations create: otherwise apply and
   * sync would meet the mistake at the first call, in a user's database, as an undefined table.
   */
  private static void checkMapperTables(Module m) {
    Set<String> created = new HashSet<>();
    for (String sql : m.migrations()) {
      Matcher t = CREATE_TABLE.matcher(sql);
      while (t.find()) {
        created.add(t.group(1).toLowerCase(Locale.ROOT));
      }
    }
    List<Mapper<?>> mappers = new ArrayList<>(m.mappers());
    m.account().ifPresent(a -> mappers.addAll(a.accountMappers()));
    for (Mapper<?> mapper : mappers) {
      if (!created.contains(mapper.table().toLowerCase(Locale.ROOT))) {
        throw new EngineException(ErrorCode.MAPPER_TABLE_NOT_CREATED, "module " + m.name() + "@" + m.version()
            + " maps table " + mapper.table() + " (" + mapper.getClass().getName() + "), which its migrations do not"
            + " create", null, "the module creates " + (created.isEmpty() ? "no table" : String.join(", ",
                new TreeSet<>(created))) + "; fix the mapper's table() or the module's migrations()", null);
      }
    }
  }

  public ReleaseCatalog releases() {
    return releases;
  }

  public ModuleCatalog catalog(String release) {
    ModuleCatalog c = catalogs.get(release);
    if (c == null) {
      throw unsupported(release);
    }
    return c;
  }

  public Installer installer(String release) {
    Installer i = installers.get(release);
    if (i == null) {
      throw unsupported(release);
    }
    return i;
  }

  public ModuleCatalog latest() {
    return catalog(releases.latest());
  }

  private EngineException unsupported(String release) {
    return EngineException.withHint(ErrorCode.RELEASE_NOT_SUPPORTED, "release " + release + " is not supported",
        "the releases are " + String.join(", ", releases.known()));
  }
}
