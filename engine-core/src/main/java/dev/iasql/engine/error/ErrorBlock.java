package dev.iasql.engine.error;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A range of SQLSTATEs a module family owns, and the codes it uses in it: {@code new ErrorBlock("aws", "IQ500",
 * "IQ599", List.of(AwsErrorCode.values()))}. Every module of the family returns the same block from {@link
 * dev.iasql.engine.spi.Module#errorBlock()}. At {@code build()} the engine refuses (IQ209) a code outside its block,
 * two different blocks whose ranges overlap, and a block over the engine's own (the hundreds {@link ErrorCode} uses).
 *
 * @param owner who owns the range, named in errors (such as {@code aws})
 * @param first the range's first SQLSTATE, such as {@code IQ500}
 * @param last its last, such as {@code IQ599}
 * @param codes the codes the owner uses, all within the range
 */
public record ErrorBlock(String owner, String first, String last, List<Code> codes) {
  public ErrorBlock {
    requireNonNull(owner, "owner is null");
    requireNonNull(first, "first is null");
    requireNonNull(last, "last is null");
    codes = List.copyOf(requireNonNull(codes, "codes is null"));
  }

  /** Whether {@code sqlState} lies in this block's range. */
  public boolean contains(String sqlState) {
    return first.compareTo(sqlState) <= 0 && sqlState.compareTo(last) <= 0;
  }

  /** Whether the two ranges share a SQLSTATE. */
  public boolean overlaps(ErrorBlock other) {
    return first.compareTo(other.last) <= 0 && other.first.compareTo(last) <= 0;
  }

  @Override
  public String toString() {
    return owner + " " + first + "–" + last;
  }
}
