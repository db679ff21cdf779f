package dev.iasql.engine;

import dev.iasql.engine.module.ModuleCatalog;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.EngineExtension;
import dev.iasql.engine.spi.Extensions;
import dev.iasql.engine.spi.Module;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What {@link ServiceLoader} finds for an engine that was not given its modules or extensions by name. */
final class Discovery {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class); // the engine's log, as before the split

  private Discovery() {}

  /**
   * Discovered modules of a release this engine's catalogue does not serve (a newer one, on the class path beside
   * the others) are left out, not an error: choosing the catalogue chooses them. Modules given by name are checked
   * at build and fail it instead.
   */
  static List<Module> modules(ClassLoader loader, ReleaseCatalog releases) {
    Map<String, List<String>> left = new TreeMap<>();
    List<Module> offered = new ArrayList<>();
    for (Module m : ModuleCatalog.discover(loader)) {
      if (m.platform() || releases.upgradable(m.version())) {
        offered.add(m);
      } else {
        left.computeIfAbsent(m.version(), v -> new ArrayList<>()).add(m.name().toString());
      }
    }
    left.forEach((release, names) -> LOG.info("modules of release {} found on the class path are not offered, as"
        + " this engine serves releases {}: {}", release, releases.known(), names));
    return offered;
  }

  /** One given by name (an AWS extension with this engine's settings, say) replaces the one found of its class. */
  static void addExtensions(List<EngineExtension> extensions, ClassLoader loader) {
    Set<Class<?>> given = extensions.stream().map(Object::getClass).collect(Collectors.toSet());
    ServiceLoader.load(EngineExtension.class, loader).stream()
        .filter(p -> !given.contains(p.type()))
        .forEach(p -> extensions.add(p.get()));
  }

  /** What modules see of the extensions: where they find this engine's own cloud clients. */
  static Extensions byType(List<EngineExtension> extensions) {
    return new Extensions() {
      @Override
      public <T extends EngineExtension> Optional<T> find(Class<T> type) {
        return extensions.stream().filter(e -> e.getClass() == type).map(type::cast).findFirst();
      }
    };
  }
}
