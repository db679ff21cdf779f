package dev.iasql.engine.release;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * The releases this engine knows, oldest first. A user database records the release it is at. A database at a
 * {@link #supported} release is served; one at a {@link #retired} release is refused by every function except the
 * upgrade, which can still move it to the latest; any other release is refused by all.
 *
 * @param supported the releases served, oldest first; the last is the latest
 * @param retired older releases no longer served but still upgradable, oldest first
 */
public record ReleaseCatalog(List<String> supported, List<String> retired) {
  /**
   * The oldest release: one region per database, kept with the keys in a single {@code aws_account} table, as IaSQL
   * had it before multi-region support.
   */
  public static final String V0_0_18 = "0.0.18";

  /** The release whose SQL surface matches IaSQL v0.0.20: {@code aws_credentials} and {@code aws_regions}. */
  public static final String V0_0_20 = "0.0.20";

  /**
   * The first release with modules on the module kit ({@code aws_cloudwatch}, {@code aws_sqs},
   * {@code aws_secrets_manager}); every other module as at 0.0.20, whose databases move to it without a schema change.
   */
  public static final String V0_0_21 = "0.0.21";

  /** The latest release: {@code aws_vpc} and {@code aws_security_group} on the module kit too. */
  public static final String V0_0_22 = "0.0.22";

  public ReleaseCatalog {
    supported = List.copyOf(requireNonNull(supported, "supported is null"));
    retired = List.copyOf(requireNonNull(retired, "retired is null"));
    if (supported.isEmpty()) {
      throw new IllegalArgumentException("a catalog needs at least one supported release");
    }
    if (retired.stream().anyMatch(supported::contains)) {
      throw new IllegalArgumentException("a release cannot be both supported and retired");
    }
  }

  public ReleaseCatalog(List<String> supported) {
    this(supported, List.of());
  }

  public static ReleaseCatalog standard() {
    return new ReleaseCatalog(List.of(V0_0_18, V0_0_20, V0_0_21, V0_0_22));
  }

  public String latest() {
    return supported.get(supported.size() - 1);
  }

  /** Whether a database at this release is served. */
  public boolean supports(String release) {
    return supported.contains(release);
  }

  /** Whether {@code iasql_upgrade()} can move a database at this release to the latest. */
  public boolean upgradable(String release) {
    return supports(release) || retired.contains(release);
  }

  /** Every release whose modules this engine ships: retired ones, then supported ones. */
  public List<String> known() {
    List<String> all = new ArrayList<>(retired);
    all.addAll(supported);
    return List.copyOf(all);
  }
}
