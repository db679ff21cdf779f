package dev.iasql.server;

/** {@code java -jar iasql-server.jar} and {@code ./iasql}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // before any jOOQ class loads: its banner and tips would land in the program's output
    System.setProperty("org.jooq.no-logo", System.getProperty("org.jooq.no-logo", "true"));
    System.setProperty("org.jooq.no-tips", System.getProperty("org.jooq.no-tips", "true"));
    System.exit(IasqlCommand.commandLine().execute(args));
  }
}
