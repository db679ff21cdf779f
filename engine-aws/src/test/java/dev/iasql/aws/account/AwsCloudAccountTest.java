package dev.iasql.aws.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.iasql.aws.AwsTestExtensions;
import dev.iasql.aws.vpc.AwsTestDb;
import dev.iasql.engine.spi.CloudAccount;
import dev.iasql.engine.spi.CloudContext;
import dev.iasql.engine.spi.CloudException;
import dev.iasql.engine.spi.Mapper;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * {@code aws_account}'s {@link CloudAccount}, opened the way the engine opens it (an admin connection on the user
 * database) on what the tenant wrote, against moto.
 */
@ExtendWith(IasqlExtension.class)
class AwsCloudAccountTest {
  private static Moto moto;
  private final CloudAccount account = new AwsAccountModule().account().orElseThrow();

  @BeforeAll
  static void startMoto() {
    moto = Moto.start();
  }

  private static void insertKeys(Connection tenant, Moto.Keys k) throws Exception {
    Sql.rows(tenant, "INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)",
        k.accessKeyId(), k.secretAccessKey());
  }

  private CloudContext open(TestDatabase db) throws Exception {
    try (Connection admin = db.admin()) {
      return account.open(admin, db.name(), AwsTestExtensions.SHARED);
    }
  }

  private static String callerAccount(CloudContext ctx) {
    return ctx.client(StsClient.class, ctx.defaultRegion()).getCallerIdentity().account();
  }

  @Test
  void theFirstInsertedCredentialsAreUsed(TestDatabase db, TestDatabase other) throws Exception {
    try (Connection c = db.tenant(); Connection o = other.tenant()) {
      AwsTestDb.installAwsAccount(c);
      insertKeys(c, moto.account());
      insertKeys(c, moto.secondAccount());
      AwsTestDb.installAwsAccount(o);
      insertKeys(o, moto.secondAccount());
      insertKeys(o, moto.account());
    }
    CloudContext first = open(db);
    CloudContext second = open(other);
    assertThat(callerAccount(first)).isEqualTo(Moto.ACCOUNT_ID);
    assertThat(callerAccount(second)).isEqualTo(Moto.SECOND_ACCOUNT_ID);
    assertThat(first.toString()).contains(moto.account().accessKeyId())
        .doesNotContain(moto.account().secretAccessKey());

    try (Connection c = db.tenant()) {
      Sql.rows(c, "DELETE FROM aws_credentials WHERE access_key_id = ?", moto.account().accessKeyId());
    }
    assertThat(callerAccount(open(db))).as("the remaining row").isEqualTo(Moto.SECOND_ACCOUNT_ID);
  }

  @Test
  void databasesNeverShareAClient(TestDatabase db, TestDatabase other) throws Exception {
    for (TestDatabase d : List.of(db, other)) {
      try (Connection c = d.tenant()) {
        AwsTestDb.installAwsAccount(c);
        insertKeys(c, moto.account());
      }
    }
    CloudContext a = open(db);
    assertThat(open(db).client(StsClient.class, "us-east-1")).as("same database: cached")
        .isSameAs(a.client(StsClient.class, "us-east-1"));
    assertThat(open(other).client(StsClient.class, "us-east-1")).isNotSameAs(a.client(StsClient.class, "us-east-1"));
  }

  @Test
  void noCredentialsIsACredentialsErrorSayingWhatToInsert(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      AwsTestDb.installAwsAccount(c);
    }
    CloudException e = catchThrowableOfType(CloudException.class, () -> open(db));
    assertThat(e.kind()).isEqualTo(CloudException.Kind.CREDENTIALS);
    assertThat(e.errorCode()).isEqualTo("NoCredentials");
    assertThat(e.getMessage())
        .isEqualTo("no AWS credentials: INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (...)");
  }

  @Test
  void regionsAreTheEnabledRowsOrTheDefaultBeforeAnyRowExists(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      AwsTestDb.installAwsAccount(c);
      insertKeys(c, moto.account());
    }
    CloudContext empty = open(db);
    assertThat(empty.regions()).containsExactly("us-east-1");
    assertThat(empty.defaultRegion()).isEqualTo("us-east-1");

    try (Connection c = db.tenant()) {
      Sql.rows(c, "SELECT * FROM iasql_sync()");
      Sql.rows(c, "UPDATE aws_regions SET is_enabled = region IN ('us-west-2', 'eu-west-1')");
      Sql.value(c, "SELECT default_aws_region('eu-west-1')");
    }
    CloudContext ctx = open(db);
    assertThat(ctx.regions()).containsExactly("eu-west-1", "us-west-2");
    assertThat(ctx.defaultRegion()).isEqualTo("eu-west-1");
    assertThat(empty.regions()).as("a context never changes").containsExactly("us-east-1");

    try (Connection c = db.tenant()) {
      Sql.rows(c, "UPDATE aws_regions SET is_enabled = false");
    }
    assertThat(open(db).regions()).as("rows, none enabled").isEmpty();
  }

  @Test
  void invalidKeysFailTheRegionReadAsACredentialsError(TestDatabase db) throws Exception {
    try (Connection c = db.tenant()) {
      AwsTestDb.installAwsAccount(c);
      insertKeys(c, Moto.invalidKeys());
    }
    CloudContext ctx = open(db);
    Mapper<?> regions = account.accountMappers().get(0);
    assertThat(regions.table()).isEqualTo("aws_regions");
    CloudException e = catchThrowableOfType(CloudException.class, () -> regions.readCloud(ctx, null));
    assertThat(e.kind()).isEqualTo(CloudException.Kind.CREDENTIALS);
    assertThat(e.getMessage()).startsWith("DescribeRegions in us-east-1 failed: AuthFailure")
        .doesNotContain(Moto.invalidKeys().secretAccessKey());
  }
}
