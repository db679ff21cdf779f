package dev.iasql.engine.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iasql.engine.spi.CloudContext;
import dev.iasql.engine.spi.DescribesChanges;
import dev.iasql.engine.spi.Difference;
import dev.iasql.engine.spi.Mapper;
import dev.iasql.engine.spi.RowClaim;
import dev.iasql.engine.spi.UniqueNames;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** How a kit table compares a row with a resource, field role by field role, and how the preview describes it. */
class ComparisonTest {
  static final TableSpec SPEC = TableSpec.regional("secret")
      .column(Column.text("name").notNull().replacedOnChange())
      .column(Column.text("description"))
      .column(Column.text("value").writeOnly())
      .column(Column.of("policy", ColumnType.JSON))
      .column(Column.of("tags", ColumnType.TAGS))
      .column(Column.of("retention", ColumnType.INTEGER).cloudPicksDefault())
      .column(Column.text("arn").cloudAssigned())
      .cloudId("arn", true)
      .describedBy("name")
      .unique("uq_secret_name", "name", "region")
      .survivesCrashBy(CrashSafety.uniqueName("name"))
      .build();

  /** Cloud calls the comparison never makes: a double of our own SPI, updatable in place. */
  static class Calls implements Resources, Resources.InPlace {
    @Override
    public List<Row> list(CloudContext ctx, @Nullable String region) {
      throw new AssertionError("not called");
    }

    @Override
    public Row create(CloudContext ctx, Row desired) {
      throw new AssertionError("not called");
    }

    @Override
    public void delete(CloudContext ctx, Row actual) {
      throw new AssertionError("not called");
    }

    @Override
    public Row update(CloudContext ctx, Row desired, Row actual, Set<String> changed) {
      throw new AssertionError("not called");
    }
  }

  static final Mapper<Row> MAPPER = SPEC.mapper(new Calls());

  static Row cloud() {
    return Row.in("us-east-1").with("name", "db-password").with("description", "the db")
        .with("policy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:Get\"]}]}")
        .with("tags", Map.of("team", "a", "env", "prod")).with("retention", 7)
        .with("arn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-password");
  }

  static Row db() {
    return new Row(1, "us-east-1", cloud().values(), null, null);
  }

  record Case(String reason, Row db, Difference expected, String applyDescription) {
    @Override
    public String toString() {
      return reason;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("the same", db(), Difference.NONE, "db-password: "),
        new Case("a policy with keys reordered, a one-element array as a scalar, is the same", db().with("policy",
            "{\"Statement\":{\"Action\":\"s3:Get\",\"Effect\":\"Allow\"},\"Version\":\"2012-10-17\"}"),
            Difference.NONE, "db-password: "),
        new Case("tags compare as maps, in any order", db().with("tags", new java.util.TreeMap<>(
            Map.of("env", "prod", "team", "a"))), Difference.NONE, "db-password: "),
        new Case("a NULL the cloud fills in is no change", db().with("retention", null), Difference.CLOUD_FIELDS,
            "db-password: "),
        new Case("a user field changes in place", db().with("description", "new"), Difference.UPDATE,
            "db-password: description the db → new"),
        new Case("a policy that means something else is an update", db().with("policy",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"s3:Get\"}]}"),
            Difference.UPDATE, "db-password: policy"),
        new Case("an edited cloud-assigned field is put back, no cloud call", db().with("arn", "arn:x"),
            Difference.CLOUD_FIELDS, "db-password: "),
        new Case("a write-only value is sent, and never shown", db().with("value", "hunter2"), Difference.UPDATE,
            "db-password: value (secret)"),
        new Case("a replace-on-change field replaces, with its reason", db().with("name", "other"),
            Difference.REPLACE, "other: name db-password → other (name cannot change in place)"),
        new Case("a region change replaces a resource whose id is global", db().inRegion("eu-west-1"),
            Difference.REPLACE, "db-password: region us-east-1 → eu-west-1 (region cannot change in place)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void comparesByRole(Case c) {
    assertThat(MAPPER.compare(c.db(), cloud())).as(c.reason()).isEqualTo(c.expected());
    @SuppressWarnings("unchecked")
    DescribesChanges<Row> describer = (DescribesChanges<Row>) MAPPER;
    String description = describer.describeApply(c.db(), cloud());
    assertThat(description).as(c.reason()).startsWith(c.applyDescription());
    assertThat(description).as(c.reason() + ": never a secret").doesNotContain("hunter2");
  }

  @Test
  void syncDescribesTheRowTakingTheCloudsValues() {
    @SuppressWarnings("unchecked")
    DescribesChanges<Row> describer = (DescribesChanges<Row>) MAPPER;
    assertThat(describer.describeSync(db().with("arn", "arn:x").with("value", "hunter2"), cloud()))
        .isEqualTo("db-password: arn arn:x → arn:aws:secretsmanager:us-east-1:123456789012:secret:db-password");
  }

  @Test
  void withoutTheInPlaceAbilityEveryUserChangeReplaces() {
    Resources noUpdate = new Resources() {
      @Override
      public List<Row> list(CloudContext ctx, @Nullable String region) {
        return List.of();
      }

      @Override
      public Row create(CloudContext ctx, Row desired) {
        return desired;
      }

      @Override
      public void delete(CloudContext ctx, Row actual) {}
    };
    Mapper<Row> m = SPEC.mapper(noUpdate);
    assertThat(m.compare(db().with("description", "new"), cloud())).isEqualTo(Difference.REPLACE);
    @SuppressWarnings("unchecked")
    DescribesChanges<Row> describer = (DescribesChanges<Row>) m;
    assertThat(describer.describeApply(db().with("description", "new"), cloud()))
        .isEqualTo("db-password: description the db → new (secret cannot change in place)");
  }

  @Test
  void theCloudIdIsTheKeyAndTheUniqueNameAdopts() {
    assertThat(MAPPER.cloudKey(cloud())).isEqualTo("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-password");
    assertThat(MAPPER.cloudKey(db().with("arn", null))).as("not created yet").isNull();
    @SuppressWarnings("unchecked")
    UniqueNames<Row> names = (UniqueNames<Row>) MAPPER;
    assertThat(names.uniqueName(cloud())).isEqualTo("db-password");
    assertThat(SPEC.secretColumns()).containsExactly("value");
  }

  @Test
  void aKitModuleTakesItsMigrationsMappersAndSecretsFromItsTables() {
    KitModule m = new KitModule(dev.iasql.engine.spi.ModuleName.of("test_secrets"), "0.0.21", List.of(),
        new KitModule.Table(SPEC, new Calls())) {};
    assertThat(m.migrations()).containsExactly(SPEC.ddl());
    assertThat(m.mappers()).extracting(Mapper::table).containsExactly("secret");
    assertThat(m.secretColumns()).as("write-only columns never reach the audit log").isEqualTo(
        Map.of("secret", Set.of("value")));
  }

  @Test
  void aClientTokenIsTheSameForEveryTryOfOneRowOnly() {
    CloudContext db1 = context("db1");
    Row row = new Row(5, "us-east-1", Map.of(), null, null);
    String token = SPEC.clientToken(db1, row);
    assertThat(token).matches("[0-9a-f]{64}").isEqualTo(SPEC.clientToken(db1, row.with("description", "x")));
    assertThat(SPEC.clientToken(db1, new Row(6, "us-east-1", Map.of(), null, null))).isNotEqualTo(token);
    assertThat(SPEC.clientToken(context("db2"), row)).as("another database").isNotEqualTo(token);
  }

  @Test
  void aGlobalTableHasNoRegionAndItsKeyIsItsId() {
    TableSpec role = TableSpec.global("role").column(Column.text("role_name").notNull().replacedOnChange())
        .column(Column.text("arn").cloudAssigned()).cloudId("arn", false).describedBy("role_name")
        .unique("uq_role_name", "role_name").survivesCrashBy(CrashSafety.uniqueName("role_name")).build();
    assertThat(role.ddl()).doesNotContain("region").contains("CONSTRAINT \"uq_role_name\" UNIQUE (\"role_name\")");
    Mapper<Row> m = role.mapper(new Calls());
    assertThat(m.scope()).isEqualTo(Mapper.Scope.GLOBAL);
    assertThat(m.cloudKey(Row.in(null).with("arn", "arn:aws:iam::1:role/r"))).isEqualTo("arn:aws:iam::1:role/r");
  }

  @Test
  void aTableMustSayHowACreateSurvivesACrash() {
    assertThatThrownBy(() -> TableSpec.regional("queue").column(Column.text("name").notNull())
        .column(Column.text("url").cloudAssigned()).cloudId("url", false).build())
        .hasMessageContaining("queue: declare how a create survives a crash");
    assertThatThrownBy(() -> TableSpec.regional("queue").column(Column.text("name").notNull())
        .column(Column.text("url").cloudAssigned()).cloudId("url", false)
        .survivesCrashBy(CrashSafety.uniqueName("name")).build())
        .as("a unique name must be unique").hasMessageContaining("needs a unique constraint on [name, region]");
  }

  static CloudContext context(String database) {
    return new CloudContext() {
      @Override
      public String database() {
        return database;
      }

      @Override
      public List<String> regions() {
        return List.of("us-east-1");
      }

      @Override
      public String defaultRegion() {
        return "us-east-1";
      }

      @Override
      public <T> T client(Class<T> type, String region) {
        throw new AssertionError("not called");
      }
    };
  }

  @Test
  void aCreateThatBreaksTheContractIsTheModulesFault() {
    TableSpec tagged = TableSpec.regional("thing").column(Column.text("thing_id").cloudAssigned())
        .cloudId("thing_id", false).survivesCrashBy(CrashSafety.rowTag()).build();
    CloudContext ctx = context("db1");
    Row desired = new Row(5, "us-east-1", Map.of(), null, null);
    Mapper<Row> untagged = tagged.mapper(new Resources() {
      @Override
      public List<Row> list(CloudContext c, @Nullable String region) {
        return List.of();
      }

      @Override
      public Row create(CloudContext c, Row d) {
        return Row.in("us-east-1").with("thing_id", "t-1");
      }

      @Override
      public void delete(CloudContext c, Row actual) {}
    });
    assertThatThrownBy(() -> untagged.create(ctx, desired))
        .hasMessageContaining("the module of thing is broken: create returned no claim by its row");
    Mapper<Row> good = tagged.mapper(new Resources() {
      @Override
      public List<Row> list(CloudContext c, @Nullable String region) {
        return List.of();
      }

      @Override
      public Row create(CloudContext c, Row d) {
        return Row.in("us-east-1").with("thing_id", "t-1").claimedBy(new RowClaim(c.database(), d.id()));
      }

      @Override
      public void delete(CloudContext c, Row actual) {}
    });
    assertThat(good.create(ctx, desired).text("thing_id")).isEqualTo("t-1");
  }
}
