package dev.iasql.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.iasql.engine.guard.Permit;
import org.junit.jupiter.api.Test;

/**
 * The engine's packages are sealed in engine-core's jar: another jar (here, this module's test classes) cannot add a
 * class to the guard's package and call Permit's package-private constructor.
 */
class SealedPackagesTest {

  @Test
  void aClassOfAnotherJarInTheGuardsPackageIsRefused() {
    String location = Permit.class.getProtectionDomain().getCodeSource().getLocation().toString();
    assertThat(location).as("engine-core comes from its jar (run the tests with mvn verify, which packages it)")
        .endsWith(".jar");
    assertThat(Permit.class.getPackage().isSealed()).as("the guard's package is sealed").isTrue();
    Throwable t = catchThrowable(() -> Class.forName("dev.iasql.engine.guard.ForgedPermit"));
    assertThat(t).as("loading a forged class into the sealed package").isInstanceOf(SecurityException.class);
    assertThat(t).hasMessageContaining("sealing violation");
  }
}
