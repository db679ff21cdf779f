package dev.iasql.engine.kit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The DDL of a {@link TableSpec}: names from the module's code, quoted all the same. */
final class Ddl {
  private Ddl() {}

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  static String of(TableSpec spec) {
    String t = quote(spec.table());
    StringBuilder sql = new StringBuilder();
    spec.enumTypes().values().forEach(e -> sql.append("CREATE TYPE ").append(quote(e.name())).append(" AS ENUM (")
        .append(e.values().stream().map(Ddl::literal).collect(Collectors.joining(", "))).append(");\n"));
    List<String> lines = new ArrayList<>();
    String primary = spec.keyColumn() == null ? "id" : spec.keyColumn();
    if (spec.keyColumn() == null) {
      lines.add("\"id\" serial NOT NULL");
    }
    for (Column c : spec.columns()) {
      TableSpec.EnumType e = spec.enumTypes().get(c.name());
      lines.add(quote(c.name()) + " " + (e == null ? c.type().sql() : quote(e.name()))
          + (c.nullable() ? "" : " NOT NULL")
          + (c.defaultSql() == null ? "" : " DEFAULT " + c.defaultSql()));
    }
    for (Reference r : spec.references()) {
      lines.add(quote(r.column()) + " integer" + (r.nullable() ? "" : " NOT NULL"));
    }
    if (spec.regional()) {
      lines.add("\"region\" character varying NOT NULL DEFAULT default_aws_region()");
    }
    lines.add(constraint(spec.primaryKey()) + "PRIMARY KEY (" + quote(primary) + ")");
    boolean named = spec.uniques().values().stream().anyMatch(u -> u.equals(List.of("id", TableSpec.REGION)));
    if (spec.regional() && spec.keyColumn() == null && !named) {
      // What a regional reference to this table points at (id and region): a row cannot refer across regions.
      lines.add("CONSTRAINT " + quote("uq_" + spec.table() + "_id_region") + " UNIQUE (\"id\", \"region\")");
    }
    for (Map.Entry<String, List<String>> u : spec.uniques().entrySet()) {
      lines.add("CONSTRAINT " + quote(u.getKey()) + " UNIQUE (" + u.getValue().stream().map(Ddl::quote)
          .collect(Collectors.joining(", ")) + ")");
    }
    for (Column c : spec.columns()) {
      if (c.check() != null) {
        lines.add("CONSTRAINT " + quote(spec.table() + "_" + c.name() + "_check") + " CHECK (" + c.check() + ")");
      }
    }
    spec.checks().forEach((name, condition) -> lines.add("CONSTRAINT " + quote(name) + " CHECK (" + condition
        + ")"));
    sql.append("CREATE TABLE " + t + " (\n  " + String.join(",\n  ", lines) + "\n);\n");
    if (spec.regional()) {
      sql.append("ALTER TABLE ").append(t).append(" ADD ").append(constraint(spec.regionForeignKey()))
          .append("FOREIGN KEY (\"region\") REFERENCES \"aws_regions\" (\"region\");\n");
    }
    for (Reference r : spec.references()) {
      // A regional table refers within its region, as IaSQL's (id, region) keys do.
      String key = spec.regional() ? quote(r.column()) + ", \"region\"" : quote(r.column());
      String target = spec.regional() ? "\"id\", \"region\"" : "\"id\"";
      sql.append("ALTER TABLE ").append(t).append(" ADD ").append(constraint(r.foreignKey()))
          .append("FOREIGN KEY (").append(key).append(") REFERENCES ").append(quote(r.table())).append(" (")
          .append(target).append(");\n");
    }
    for (TableSpec.ForeignKey f : spec.foreignKeys()) {
      sql.append("ALTER TABLE ").append(t).append(" ADD CONSTRAINT ").append(quote(f.constraint()))
          .append(" FOREIGN KEY (").append(f.columns().stream().map(Ddl::quote).collect(Collectors.joining(", ")))
          .append(") REFERENCES ").append(quote(f.table())).append(" (")
          .append(f.targetColumns().stream().map(Ddl::quote).collect(Collectors.joining(", "))).append(");\n");
    }
    return sql.toString();
  }

  private static String constraint(String name) {
    return name == null ? "" : "CONSTRAINT " + quote(name) + " ";
  }
}
