package dev.iasql.aws;

import static java.util.Objects.requireNonNull;

import dev.iasql.engine.spi.CloudContext;
import dev.iasql.engine.spi.RowClaim;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * The tag a mapper puts on a resource in its create request, naming the row it was created for:
 * {@code iasql:row = <database>/<table>/<row id>}. Read back in bulk, it lets the next apply or sync adopt a resource
 * whose create succeeded but whose id never reached the row (see {@link RowClaim}). It is the engine's, not the
 * user's: tag columns never show it, and tag updates never touch it.
 */
public final class RowTag {
  /** The tag's key. */
  public static final String KEY = dev.iasql.engine.kit.CrashSafety.ROW_TAG_KEY;

  private RowTag() {}

  /** The tag's value for a row: {@code <database>/<table>/<row id>}. */
  public static String value(String database, String table, int rowId) {
    return requireNonNull(database, "database is null") + "/" + requireNonNull(table, "table is null") + "/" + rowId;
  }

  /** The tag for a row. */
  public static Tag tag(String database, String table, int rowId) {
    return Tag.builder().key(KEY).value(value(database, table, rowId)).build();
  }

  /**
   * The create request's tag specifications: the resource's own tags ({@code userTags}, where any {@link #KEY} is
   * left out) and this tag for the desired value's row of the context's database. A DB row always has an id; without
   * one (and without own tags) there is nothing to specify.
   */
  public static List<TagSpecification> specs(
      ResourceType type, CloudContext ctx, String table, @Nullable Integer rowId, List<Tag> userTags) {
    Stream<Tag> own = userTags.stream().filter(t -> !isKey(t.key()));
    List<Tag> tags = (rowId == null ? own : Stream.concat(own, Stream.of(tag(ctx.database(), table, rowId))))
        .toList();
    return tags.isEmpty() ? List.of() : List.of(TagSpecification.builder().resourceType(type).tags(tags).build());
  }

  /** The claim {@link #specs} tags a resource of this row with, as the created value carries it; null without a row. */
  public static @Nullable RowClaim claim(CloudContext ctx, @Nullable Integer rowId) {
    return rowId == null ? null : new RowClaim(ctx.database(), rowId);
  }

  /** Whether a tag key is this tag's. */
  public static boolean isKey(@Nullable String key) {
    return KEY.equals(key);
  }

  /**
   * The row a tag value names, if it names a row of {@code table}; null for a value naming another table or not of
   * the form {@link #value} makes (the database is checked by the engine, which knows its own).
   */
  public static @Nullable RowClaim parse(String table, @Nullable String value) {
    if (value == null) {
      return null;
    }
    int idAt = value.lastIndexOf('/');
    if (idAt <= 0) {
      return null;
    }
    int tableAt = value.lastIndexOf('/', idAt - 1);
    if (tableAt <= 0 || !value.substring(tableAt + 1, idAt).equals(table)) {
      return null;
    }
    String id = value.substring(idAt + 1);
    if (id.isEmpty() || id.length() > 10 || !id.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
      return null;
    }
    long rowId = Long.parseLong(id);
    // Only what value() writes: no sign, no leading zeros, an int.
    if (rowId > Integer.MAX_VALUE || !Long.toString(rowId).equals(id)) {
      return null;
    }
    return new RowClaim(value.substring(0, tableAt), (int) rowId);
  }

  /** A resource's own tags (as DescribeX returns them) as a tags column holds them: without this tag, sorted. */
  public static Map<String, String> userTags(@Nullable List<Tag> tags) {
    Map<String, String> out = new TreeMap<>();
    if (tags != null) {
      tags.stream().filter(t -> t.key() != null && !isKey(t.key()))
          .forEach(t -> out.put(t.key(), t.value() == null ? "" : t.value()));
    }
    return out;
  }

  /** A tags column's value as EC2 tags. */
  public static List<Tag> aws(Map<String, String> tags) {
    return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
  }

  /**
   * Changes a resource's own tags from {@code have} to {@code want} (tags columns' values): deletes the ones gone,
   * creates the ones new or changed, and never touches this tag, which neither holds.
   */
  public static void update(AwsResources.Aws<Ec2Client> ec2, String resource, Map<String, String> want,
      Map<String, String> have) {
    List<Tag> removed = have.keySet().stream().filter(k -> !want.containsKey(k) && !isKey(k))
        .map(k -> Tag.builder().key(k).build()).toList();
    if (!removed.isEmpty()) {
      ec2.run("DeleteTags", c -> c.deleteTags(b -> b.resources(resource).tags(removed)));
    }
    List<Tag> set = aws(want).stream().filter(t -> !isKey(t.key()) && !t.value().equals(have.get(t.key()))).toList();
    if (!set.isEmpty()) {
      ec2.run("CreateTags", c -> c.createTags(b -> b.resources(resource).tags(set)));
    }
  }

  /** The claim among a resource's tags (as DescribeX returns them), or null. */
  public static @Nullable RowClaim find(String table, @Nullable List<Tag> tags) {
    if (tags == null) {
      return null;
    }
    for (Tag t : tags) {
      if (isKey(t.key())) {
        return parse(table, t.value());
      }
    }
    return null;
  }
}
