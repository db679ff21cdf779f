package dev.iasql.engine.kit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Equality of column values as the cloud means them, and how a value is shown in a preview. */
final class Values {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Values() {}

  static boolean equal(ColumnType type, @Nullable Object a, @Nullable Object b) {
    return switch (type) {
      case JSON -> a == null || b == null ? a == b : canonical((String) a).equals(canonical((String) b));
      // No tags and an empty object are the same.
      case TAGS -> (a == null ? Map.of() : a).equals(b == null ? Map.of() : b);
      default -> Objects.equals(a, b);
    };
  }

  /**
   * JSON as AWS normalises a policy: object keys in any order, array elements in any order, and a one-element array
   * the same as its element. Text that is no JSON compares as itself.
   */
  static JsonNode canonical(String json) {
    try {
      return normalise(JSON.readTree(json));
    } catch (JsonProcessingException e) {
      return JsonNodeFactory.instance.textNode(json);
    }
  }

  private static JsonNode normalise(JsonNode n) {
    if (n.isObject()) {
      // Keys sorted, so that the text of equal objects is equal too (it orders array elements).
      java.util.TreeMap<String, JsonNode> sorted = new java.util.TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        sorted.put(e.getKey(), normalise(e.getValue()));
      }
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      sorted.forEach(out::set);
      return out;
    }
    if (n.isArray()) {
      List<JsonNode> items = new ArrayList<>();
      n.forEach(i -> items.add(normalise(i)));
      if (items.size() == 1) {
        return items.get(0);
      }
      items.sort(Comparator.comparing(JsonNode::toString));
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      items.forEach(out::add);
      return out;
    }
    return n;
  }

  /** A value as a preview shows it: NULL, or its text. */
  static String show(@Nullable Object v) {
    return v == null ? "NULL" : v.toString();
  }
}
