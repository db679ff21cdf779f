package dev.iasql.engine.release;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The releases this engine can serve, oldest first. A user database records the release it is at; a database at a
 * release not listed here is refused by every function except the upgrade.
 */
public record ReleaseCatalog(List<String> supported) {
  /**
   * The oldest supported release: one region per database, kept with the keys in a single {@code aws_account} table,
   * as IaSQL had it before multi-region support.
   */
  public static final String V0_0_19 = "0.0.19";

  /** The release whose SQL surface matches IaSQL v0.0.20: {@code aws_credentials} and {@code aws_regions}. */
  public static final String V0_0_20 = "0.0.20";

  public ReleaseCatalog {
    supported = List.copyOf(requireNonNull(supported, "supported is null"));
    if (supported.isEmpty()) {
      throw new IllegalArgumentException("a catalog needs at least one release");
    }
  }

  public static ReleaseCatalog standard() {
    return new ReleaseCatalog(List.of(V0_0_19, V0_0_20));
  }

  public String latest() {
    return supported.get(supported.size() - 1);
  }

  public boolean supports(String release) {
    return supported.contains(release);
  }
}
