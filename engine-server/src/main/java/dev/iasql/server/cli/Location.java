package dev.iasql.server.cli;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/** Where the engine's PostgreSQL is: an embedded server on a data directory, or an external cluster by URL. */
public sealed interface Location {

  /**
   * An embedded server's data directory (the PostgreSQL data directory, which also holds {@code admin-password} and,
   * while a server runs, {@code server.properties}).
   *
   * @param dataDirectory absolute and normalised
   * @param isDefault whether it is the default, so messages can leave {@code --data-dir} out of the commands they suggest
   */
  record Embedded(Path dataDirectory, boolean isDefault) implements Location {
    public Embedded {
      dataDirectory = requireNonNull(dataDirectory, "dataDirectory is null").toAbsolutePath().normalize();
    }

    @Override
    public String optionsForMessages() {
      return isDefault ? "" : " --data-dir " + Shell.quote(dataDirectory.toString());
    }
  }

  /** An external cluster; the URL holds the admin's password, so {@link #toString()} leaves it out. */
  record External(String url) implements Location {
    public External {
      requireNonNull(url, "url is null");
    }

    @Override
    public String optionsForMessages() {
      return " --postgres-url URL";
    }

    @Override
    public String toString() {
      return "External[url hidden]";
    }
  }

  /** The options to repeat in a suggested command ({@code ./iasql serve<options>}), starting with a space if any. */
  String optionsForMessages();
}
