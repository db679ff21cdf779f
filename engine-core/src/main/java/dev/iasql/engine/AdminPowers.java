package dev.iasql.engine;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What the engine's admin role may do on its cluster, as {@code ClusterCheck} found it at start. Code that needs the
 * superuser takes a {@link Superuser} as a parameter; there is no "is superuser" flag.
 */
public sealed interface AdminPowers {

  /** The admin is a superuser (the embedded cluster's, or an external one's): the engine applies every protection. */
  record Superuser() implements AdminPowers {}

  /**
   * The admin has CREATEDB and CREATEROLE but is no superuser, as on a managed service. The cluster's operator
   * prepared template1 (dblink there, see the README's "Managed PostgreSQL"); what the admin cannot do itself is in
   * {@code unapplied}.
   *
   * @param unapplied each protection the engine could not apply and the operator has not, with the SQL that applies
   *     it; empty when the operator did everything
   */
  record Managed(List<String> unapplied) implements AdminPowers {
    public Managed {
      unapplied = List.copyOf(requireNonNull(unapplied, "unapplied is null"));
    }
  }
}
