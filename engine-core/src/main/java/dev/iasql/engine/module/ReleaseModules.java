package dev.iasql.engine.module;

import static java.util.Objects.requireNonNull;

import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.engine.spi.Module;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The modules of each supported release, and an installer for each. A module belongs to the release its
 * {@link Module#version()} names; platform modules belong to every release (a database records them at its own).
 */
public final class ReleaseModules {
  private static final Logger LOG = LoggerFactory.getLogger(ReleaseModules.class);
  private final ReleaseCatalog releases;
  private final Map<String, ModuleCatalog> catalogs = new LinkedHashMap<>();
  private final Map<String, Installer> installers = new LinkedHashMap<>();

  public ReleaseModules(ReleaseCatalog releases, Collection<? extends Module> modules) {
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
      installers.put(release, new Installer(catalog, release));
    }
    for (Module m : modules) {
      if (!m.platform() && !releases.upgradable(m.version())) {
        LOG.warn("module {}@{} belongs to no supported release ({}); it is not offered", m.name(), m.version(),
            releases.supported());
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
