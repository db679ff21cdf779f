package dev.iasql.engine.module;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** "Did you mean": the known names within a small edit distance of what was typed. */
final class Suggestions {
  private Suggestions() {}

  /** Longer than any name (63): nothing is close, and the edit distance would cost length × length. */
  private static final int LONGEST_TYPED = 128;

  static List<String> closest(String typed, List<String> known) {
    if (typed.length() > LONGEST_TYPED) {
      return List.of();
    }
    String t = typed.trim().toLowerCase(Locale.ROOT);
    int limit = Math.max(2, t.length() / 3);
    return known.stream()
        .filter(k -> distance(t, k) <= limit || (t.length() >= 3 && k.contains(t)))
        .sorted(Comparator.comparingInt((String k) -> distance(t, k)).thenComparing(k -> k))
        .limit(3)
        .toList();
  }

  /** Levenshtein distance, two rows at a time. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] swap = prev;
      prev = cur;
      cur = swap;
    }
    return prev[b.length()];
  }
}
