/** Test kit: real embedded PostgreSQL and a real engine for JUnit 5 tests. No mocks. */
package dev.iasql.testkit;
