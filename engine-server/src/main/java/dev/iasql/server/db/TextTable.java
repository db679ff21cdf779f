package dev.iasql.server.db;

import java.io.PrintWriter;
import java.util.List;

/** A table as psql prints one: header, separator, rows, and a row count. */
final class TextTable {
  private TextTable() {}

  static void print(PrintWriter out, List<String> header, List<List<String>> rows) {
    int[] widths = new int[header.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = header.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    out.println(line(header, widths));
    StringBuilder separator = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      separator.append(i == 0 ? "" : "+").append("-".repeat(widths[i] + 2));
    }
    out.println(separator);
    for (List<String> row : rows) {
      out.println(line(row, widths));
    }
    out.println("(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
  }

  private static String line(List<String> cells, int[] widths) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      String cell = cells.get(i);
      out.append(i == 0 ? " " : " | ").append(cell);
      if (i < widths.length - 1) {
        out.append(" ".repeat(widths[i] - cell.length()));
      }
    }
    return out.toString();
  }
}
