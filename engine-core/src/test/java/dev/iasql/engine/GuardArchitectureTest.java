package dev.iasql.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.constructors;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.iasql.engine.guard.Guard;
import dev.iasql.engine.guard.Permit;
import dev.iasql.engine.module.Installer;
import dev.iasql.engine.upgrade.BypassToken;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The typed guard, enforced on the bytecode: the build fails if a guarded operation can be reached without a
 * {@link Permit}, if anything but the guard can make one, or if a boolean switch creeps into the guard's API.
 */
class GuardArchitectureTest {
  /** Engine methods that do not touch what is inside a user database, so need no permit. Keep this list short. */
  private static final Set<String> UNGUARDED = Set.of(
      "configure", "createDatabase", "dropDatabase", "listDatabases", "permit", "availableModules", "releases",
      "close", "attachedDatabases", "refreshAttachments", "serveSoon", "upgrade", "health", "meterRegistry",
      "adminPowers");

  private static final String UPGRADE = "dev.iasql.engine.upgrade..";
  /**
   * The engine and the package-private parts its façade delegates to that run guarded work (the installer) or give
   * the upgrader its steps. Keep this list short.
   */
  private static final String ENGINE_INSIDE =
      "dev\\.iasql\\.engine\\.(Engine|Databases|CloudOperations|Upgrades)(\\$.*)?";
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.iasql");
  }

  @Test
  void everyOtherPublicEngineMethodTakesAPermitFirst() {
    methods().that().areDeclaredIn(Engine.class).and().arePublic()
        .and(new DescribedPredicate<JavaMethod>("are not on the short list of unguarded methods") {
          @Override
          public boolean test(JavaMethod m) {
            return !UNGUARDED.contains(m.getName());
          }
        })
        .should(new ArchCondition<JavaMethod>("take a Permit as their first parameter") {
          @Override
          public void check(JavaMethod m, ConditionEvents events) {
            boolean ok = !m.getRawParameterTypes().isEmpty()
                && m.getRawParameterTypes().get(0).isEquivalentTo(Permit.class);
            events.add(new SimpleConditionEvent(m, ok, m.getFullName() + (ok ? " takes" : " does not take")
                + " a Permit first"));
          }
        })
        .check(classes);
  }

  @Test
  void unguardedListStillNamesRealMethods() {
    // Otherwise a renamed method would silently escape the rule above.
    Set<String> declared = Arrays.stream(Engine.class.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers())).map(java.lang.reflect.Method::getName)
        .collect(java.util.stream.Collectors.toSet());
    assertThat(declared).containsAll(UNGUARDED);
    assertThat(declared).contains("install", "uninstall");
  }

  @Test
  void onlyTheGuardPackageConstructsPermits() {
    constructors().that().areDeclaredIn(Permit.class).should().notBePublic().check(classes);
    noClasses().that().resideOutsideOfPackage("dev.iasql.engine.guard..")
        .should().callConstructorWhere(new DescribedPredicate<>("the target is Permit") {
          @Override
          public boolean test(com.tngtech.archunit.core.domain.JavaConstructorCall call) {
            return call.getTargetOwner().isEquivalentTo(Permit.class);
          }
        })
        .check(classes);
    assertThat(Modifier.isFinal(Permit.class.getModifiers())).isTrue();
  }

  /** The bypass token: only the upgrade package mints one (from its lease), holds one, or trades one for a permit. */
  @Test
  void onlyTheUpgradePackageCanObtainABypassToken() {
    constructors().that().areDeclaredIn(BypassToken.class).should().notBePublic().check(classes);
    noClasses().that().resideOutsideOfPackage(UPGRADE)
        .should().callConstructorWhere(new DescribedPredicate<>("the target is BypassToken") {
          @Override
          public boolean test(com.tngtech.archunit.core.domain.JavaConstructorCall call) {
            return call.getTargetOwner().isEquivalentTo(BypassToken.class);
          }
        })
        .check(classes);
    // Nobody outside the upgrade package may even hold one: the guard only reads it, Permit only carries it.
    noClasses().that().resideOutsideOfPackage(UPGRADE)
        .and().resideOutsideOfPackage("dev.iasql.engine.guard..")
        .should().dependOnClassesThat().areAssignableTo(BypassToken.class)
        .check(classes);
    noClasses().that().resideOutsideOfPackage(UPGRADE)
        .should().callMethod(Guard.class, "bypass", BypassToken.class)
        .check(classes);
    assertThat(Modifier.isFinal(BypassToken.class.getModifiers())).isTrue();
  }

  /**
   * The guard and the upgrader can only be built by the engine: each constructor demands an {@link Engine.Internal},
   * which only {@code Engine} can make. Without this, host code built its own upgrader around a guard and received the
   * upgrade's bypass permit in steps of its own.
   */
  @Test
  void onlyTheEngineBuildsTheGuardAndTheUpgrader() {
    for (Class<?> type : java.util.List.of(Guard.class, dev.iasql.engine.upgrade.Upgrader.class)) {
      for (java.lang.reflect.Constructor<?> c : type.getDeclaredConstructors()) {
        assertThat(c.getParameterTypes()).as("a constructor of %s", type.getSimpleName())
            .contains(Engine.Internal.class);
      }
    }
    for (java.lang.reflect.Constructor<?> c : Engine.Internal.class.getDeclaredConstructors()) {
      assertThat(Modifier.isPrivate(c.getModifiers())).as("Engine.Internal's constructor is private").isTrue();
    }
    noClasses().that().haveNameNotMatching("dev\\.iasql\\.engine\\.Engine(\\$.*)?")
        .should().callConstructorWhere(new DescribedPredicate<>("the target is Guard, Upgrader or Engine.Internal") {
          @Override
          public boolean test(com.tngtech.archunit.core.domain.JavaConstructorCall call) {
            return call.getTargetOwner().isEquivalentTo(Guard.class)
                || call.getTargetOwner().isEquivalentTo(dev.iasql.engine.upgrade.Upgrader.class)
                || call.getTargetOwner().isEquivalentTo(Engine.Internal.class);
          }
        })
        .check(classes);
    // A bypass permit reaches only the steps the engine itself gives the upgrader.
    noClasses().that().resideOutsideOfPackage(UPGRADE).and().haveNameNotMatching(ENGINE_INSIDE)
        .should().implement(dev.iasql.engine.upgrade.Upgrader.Steps.class)
        .check(classes);
  }

  @Test
  void guardedWorkIsReachedOnlyThroughTheEngine() {
    for (Class<?> inside : java.util.List.of(Databases.class, CloudOperations.class, Upgrades.class)) {
      assertThat(Modifier.isPublic(inside.getModifiers())).as("%s is the engine's own, no API", inside.getSimpleName())
          .isFalse();
    }
    noClasses().that().haveNameNotMatching(ENGINE_INSIDE)
        .and().resideOutsideOfPackage("dev.iasql.engine.module..")
        .should().callMethodWhere(new DescribedPredicate<>("the target is the installer") {
          @Override
          public boolean test(com.tngtech.archunit.core.domain.JavaMethodCall call) {
            return call.getTargetOwner().isEquivalentTo(Installer.class);
          }
        })
        .check(classes);
  }

  @Test
  void noBooleanSwitchesInTheGuardOrTheEngineApi() {
    noMethods().that().areDeclaredInClassesThat().resideInAPackage("dev.iasql.engine.guard..")
        .or().areDeclaredIn(Engine.class).and().haveModifier(JavaModifier.PUBLIC)
        .should().haveRawParameterTypes(new DescribedPredicate<java.util.List<com.tngtech.archunit.core.domain.JavaClass>>(
            "a boolean parameter") {
          @Override
          public boolean test(java.util.List<com.tngtech.archunit.core.domain.JavaClass> types) {
            return types.stream().anyMatch(t -> t.isEquivalentTo(boolean.class) || t.isEquivalentTo(Boolean.class));
          }
        })
        .check(classes);
  }
}
