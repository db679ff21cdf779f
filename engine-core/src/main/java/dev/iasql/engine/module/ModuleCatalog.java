package dev.iasql.engine.module;

import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.error.UserText;
import dev.iasql.engine.spi.Module;
import dev.iasql.engine.spi.ModuleName;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The modules an engine offers. Checked when built: unique names, dependencies that exist, no cycles. Answers an
 * unknown name with the closest known ones.
 */
public final class ModuleCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(ModuleCatalog.class);
  private final Map<ModuleName, Module> modules;

  public ModuleCatalog(Collection<? extends Module> modules) {
    Map<ModuleName, Module> byName = new LinkedHashMap<>();
    for (Module m : modules) {
      Module previous = byName.putIfAbsent(m.name(), m);
      if (previous != null && previous.getClass() != m.getClass()) {
        throw new EngineException(ErrorCode.MODULE_SET_INVALID,
            "two modules are named " + m.name() + ": " + previous.getClass().getName() + " and "
                + m.getClass().getName());
      }
    }
    for (Module m : byName.values()) {
      for (ModuleName dep : m.dependencies()) {
        if (!byName.containsKey(dep)) {
          throw new EngineException(ErrorCode.MODULE_SET_INVALID, "module " + m.name() + " depends on " + dep
              + ", which is not loaded");
        }
      }
    }
    this.modules = Map.copyOf(byName);
    byName.values().forEach(this::dependencyOrder); // throws on a cycle
    byName.values().forEach(m -> LOG.info("module {}@{} registered ({})", m.name(), m.version(),
        m.getClass().getName()));
  }

  /** Every module that {@link ServiceLoader} finds on the class path, of every release. */
  public static List<Module> discover(ClassLoader loader) {
    List<Module> found = new ArrayList<>();
    ServiceLoader.load(Module.class, loader).forEach(found::add);
    if (found.isEmpty()) {
      throw new EngineException(ErrorCode.MODULE_SET_INVALID, "no module found on the class path (META-INF/services/"
          + Module.class.getName() + ")");
    }
    return found;
  }

  public List<Module> all() {
    return modules.values().stream().sorted(Comparator.comparing(Module::name)).toList();
  }

  public List<Module> platformModules() {
    List<Module> ordered = new ArrayList<>();
    for (Module m : all()) {
      if (m.platform()) {
        for (Module d : dependencyOrder(m)) {
          if (!ordered.contains(d)) {
            ordered.add(d);
          }
        }
      }
    }
    return ordered;
  }

  public Optional<Module> find(ModuleName name) {
    return Optional.ofNullable(modules.get(name));
  }

  /** The module of that name, or an error that suggests the closest names. */
  public Module require(String name) {
    if (name == null || name.isBlank()) {
      throw EngineException.withHint(ErrorCode.UNKNOWN_MODULE, "a module name is empty",
          "SELECT * FROM iasql_modules_list() lists the modules");
    }
    Optional<Module> found;
    try {
      found = find(ModuleName.of(name));
    } catch (EngineException e) {
      found = Optional.empty();
    }
    return found.orElseThrow(() -> unknown(name));
  }

  private EngineException unknown(String name) {
    List<String> close = Suggestions.closest(name, modules.keySet().stream().map(ModuleName::value).toList());
    String hint = close.isEmpty()
        ? "SELECT * FROM iasql_modules_list() lists the modules"
        : "did you mean " + String.join(" or ", close) + "?";
    return new EngineException(ErrorCode.UNKNOWN_MODULE, "there is no module named " + UserText.quote(name),
        null, hint, null);
  }

  /**
   * What installing {@code requested} installs, in order: each module after everything it needs, the requested ones
   * in their order, and none of {@code installed} (by name).
   */
  public List<Module> installOrder(List<Module> requested, Set<String> installed) {
    LinkedHashSet<Module> plan = new LinkedHashSet<>();
    for (Module m : requested) {
      for (Module step : dependencyOrder(m)) {
        if (!installed.contains(step.name().value())) {
          plan.add(step);
        }
      }
    }
    return List.copyOf(plan);
  }

  /** The module and everything it needs, dependencies first. */
  public List<Module> dependencyOrder(Module root) {
    LinkedHashSet<Module> out = new LinkedHashSet<>();
    visit(root, out, new HashSet<>());
    return List.copyOf(out);
  }

  private void visit(Module m, Set<Module> out, Set<Module> path) {
    if (out.contains(m)) {
      return;
    }
    if (!path.add(m)) {
      throw new EngineException(ErrorCode.MODULE_SET_INVALID, "modules depend on each other in a cycle through "
          + m.name());
    }
    for (ModuleName dep : m.dependencies()) {
      visit(modules.get(dep), out, path);
    }
    path.remove(m);
    out.add(m);
  }
}
