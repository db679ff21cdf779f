package dev.iasql.server.cli;

import dev.iasql.engine.release.ReleaseCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The program's version, from {@code version.properties}, which the build fills in; also picocli's {@code --version}. */
public final class Version implements IVersionProvider {
  private static final Properties PROPERTIES = load();

  /** This program's version, such as {@code 0.1.0-SNAPSHOT}. */
  public static String program() {
    return PROPERTIES.getProperty("version", "unknown");
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "iasql " + program(),
      "SQL release " + ReleaseCatalog.standard().latest() + " (the function surface of IaSQL v0.0.20)",
      "embedded PostgreSQL binaries " + PROPERTIES.getProperty("postgres.binaries", "unknown"),
      "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ")"
    };
  }

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read version.properties", e);
    }
    return p;
  }
}
