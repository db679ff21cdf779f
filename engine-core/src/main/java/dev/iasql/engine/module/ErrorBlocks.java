package dev.iasql.engine.module;

import dev.iasql.engine.error.Code;
import dev.iasql.engine.error.EngineException;
import dev.iasql.engine.error.ErrorBlock;
import dev.iasql.engine.error.ErrorCode;
import dev.iasql.engine.spi.Module;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Checks, when the engine is built, that the modules' error blocks keep every SQLSTATE to one owner: clients match on
 * them, so two modules meaning different things by one code would be a bug no test of either module could see.
 */
final class ErrorBlocks {
  /** The hundreds the engine's own codes use (IQ0xx … IQ4xx, IQ9xx): no module may claim one of them. */
  private static final Set<Character> ENGINE_HUNDREDS = Arrays.stream(ErrorCode.values())
      .map(c -> c.sqlState().charAt(2)).collect(Collectors.toCollection(TreeSet::new));

  private ErrorBlocks() {}

  /** @throws EngineException IQ209 naming the module and the block or code at fault */
  static void check(Collection<? extends Module> modules) {
    // Modules of one family (every release of the AWS modules) return the same block: it counts once.
    Map<ErrorBlock, Module> blocks = new LinkedHashMap<>();
    for (Module m : modules) {
      m.errorBlock().ifPresent(b -> blocks.putIfAbsent(b, m));
    }
    List<Map.Entry<ErrorBlock, Module>> seen = new ArrayList<>();
    for (Map.Entry<ErrorBlock, Module> e : blocks.entrySet()) {
      ErrorBlock b = e.getKey();
      String module = name(e.getValue());
      if (!b.first().matches("IQ[0-9]{3}") || !b.last().matches("IQ[0-9]{3}") || b.first().compareTo(b.last()) > 0) {
        throw invalid("module " + module + " declares error block " + b + ", which is not a range IQnnn–IQnnn",
            "give the first and the last SQLSTATE of the range, first the lower");
      }
      for (char h : ENGINE_HUNDREDS) {
        if (b.overlaps(new ErrorBlock("engine", "IQ" + h + "00", "IQ" + h + "99", List.of()))) {
          throw invalid("module " + module + "'s error block " + b + " overlaps the engine's own codes IQ" + h
              + "00–IQ" + h + "99", "give the module a range of its own, outside the engine's "
              + ENGINE_HUNDREDS.stream().map(x -> "IQ" + x + "xx").collect(Collectors.joining(", ")));
        }
      }
      for (Code c : b.codes()) {
        if (!b.contains(c.sqlState())) {
          throw invalid("module " + module + " declares code " + c.name() + " (" + c.sqlState()
              + ") outside its error block " + b, "renumber the code into " + b.first() + "–" + b.last());
        }
      }
      for (Map.Entry<ErrorBlock, Module> other : seen) {
        if (other.getKey().overlaps(b)) {
          throw invalid("the error blocks of modules " + name(other.getValue()) + " (" + other.getKey() + ") and "
              + module + " (" + b + ") overlap", "every module family needs a range of SQLSTATEs of its own;"
              + " modules of one family return the very same ErrorBlock");
        }
      }
      seen.add(e);
    }
  }

  private static String name(Module m) {
    return m.name() + "@" + m.version() + " (" + m.getClass().getName() + ")";
  }

  private static EngineException invalid(String message, String hint) {
    return EngineException.withHint(ErrorCode.MODULE_SET_INVALID, message, hint);
  }
}
