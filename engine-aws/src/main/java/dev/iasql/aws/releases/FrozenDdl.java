package dev.iasql.aws.releases;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.spi.ModuleName;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The DDL each module of a shipped release installs, frozen in {@code <release>/<module>.sql} beside this class, with
 * its sha256 in {@code <module>.sql.sha256} ({@code sha256sum} format). A release older than the latest serves its
 * modules' SQL from here, never from today's code, so no later change can reach a database made at it; the checksum
 * makes an edit of the file fail the engine's build (and {@code FrozenReleasesTest}) rather than go unnoticed. How to
 * freeze a new release: docs/modules.md, "Cutting a release".
 */
public final class FrozenDdl {
  private FrozenDdl() {}

  /** The file's path, as the docs and error messages name it. */
  public static String path(String release, ModuleName module) {
    return "engine-aws/src/main/resources/dev/iasql/aws/releases/" + release + "/" + module.value() + ".sql";
  }

  /**
   * A module's frozen DDL at a release, as its one migration; checked against its checksum.
   *
   * @throws EngineException IQ209 when the file or its checksum is missing, or the file was edited
   */
  public static List<String> of(String release, ModuleName module) {
    String file = release + "/" + module.value() + ".sql";
    String sql = read(file);
    String recorded = read(file + ".sha256").split("\\s+", 2)[0];
    String actual = sha256(sql);
    if (!actual.equals(recorded)) {
      throw new EngineException(ErrorCode.MODULE_SET_INVALID, "the frozen DDL of " + module + "@" + release
          + " was edited: " + path(release, module) + " has sha256 " + actual + ", its checksum file says "
          + recorded, null, "a shipped release never changes: restore the file from git, and put the change in a new"
          + " release (docs/modules.md, Cutting a release)", null);
    }
    return List.of(sql);
  }

  /** How a module's migrations are written to its frozen file: each stripped, a blank line between them. */
  public static String render(List<String> migrations) {
    return String.join("\n\n", migrations.stream().map(String::strip).toList()) + "\n";
  }

  /** The checksum file's line for a frozen file's content, as {@code sha256sum} writes it. */
  public static String checksumLine(String sql, ModuleName module) {
    return sha256(sql) + "  " + module.value() + ".sql\n";
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static String read(String file) {
    try (InputStream in = FrozenDdl.class.getResourceAsStream(file)) {
      if (in == null) {
        throw EngineException.withHint(ErrorCode.MODULE_SET_INVALID, "no frozen DDL file " + file
            + " on the class path", "freeze the release: docs/modules.md, Cutting a release");
      }
      return new String(in.readAllBytes(), UTF_8);
    } catch (IOException e) {
      throw new EngineException(ErrorCode.MODULE_SET_INVALID, "cannot read the frozen DDL file " + file + ": "
          + e.getMessage(), null, null, e);
    }
  }
}
