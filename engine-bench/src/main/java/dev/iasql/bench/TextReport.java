package dev.iasql.bench;

import com.google.errorprone.annotations.FormatMethod;
import java.util.List;
import java.util.Locale;

/** A bench report built line by line, ending with its correctness checks. */
abstract class TextReport<R extends TextReport<R>> {
  private final StringBuilder sb = new StringBuilder();

  /** Correctness failures: the bench exits non-zero when there is any. */
  final R failures(List<String> failures) {
    line("");
    if (failures.isEmpty()) {
      line("Correctness checks: all passed.");
    } else {
      line("Correctness checks FAILED (%d):", failures.size());
      failures.forEach(f -> line("  - %s", f));
    }
    return self();
  }

  final String text() {
    return sb.toString();
  }

  @SuppressWarnings("unchecked") // R is the subclass itself, by the class declaration
  final R self() {
    return (R) this;
  }

  @FormatMethod
  final void line(String format, Object... args) {
    sb.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
