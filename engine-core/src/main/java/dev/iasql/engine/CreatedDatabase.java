package dev.iasql.engine;

/**
 * A new user database and its login. The password is shown here once and stored nowhere by the engine (PostgreSQL
 * keeps only its SCRAM verifier).
 */
public record CreatedDatabase(String name, String pgUser, String pgPassword, String url) {
  @Override
  public String toString() {
    return "CreatedDatabase[" + name + ", user " + pgUser + "]";
  }
}
