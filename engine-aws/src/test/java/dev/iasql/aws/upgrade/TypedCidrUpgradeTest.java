package dev.iasql.aws.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.release.ReleaseCatalog;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import dev.iasql.testkit.TestDatabases;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;

/**
 * 0.0.22 types {@code vpc.cidr_block} and {@code subnet.cidr_block} as {@code cidr}, where 0.0.21 had text. A 0.0.21
 * row whose text is no CIDR cannot move: the upgrade refuses, naming the row (IQ105, with a hint), and changes
 * nothing; corrected, the upgrade goes through and every row is kept.
 */
@ExtendWith(IasqlExtension.class)
class TypedCidrUpgradeTest {
  @Test
  void aRowWhoseCidrIsNoCidrStopsTheUpgradeNamedUntilCorrected(TestDatabases dbs) throws Exception {
    TestDatabase db = dbs.createAt(ReleaseCatalog.V0_0_21);
    try (Connection t = db.tenant()) {
      Moto.Keys keys = Moto.start().account();
      Sql.rows(t, "SELECT * FROM iasql_install('aws_account')");
      Sql.exec(t, "INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)",
          keys.accessKeyId(), keys.secretAccessKey());
      Sql.rows(t, "SELECT * FROM iasql_install('aws_vpc')");
      Sql.exec(t, "INSERT INTO vpc (cidr_block) VALUES ('10.43.0.0/16')");
      int bad = (Integer) Sql.value(t, "INSERT INTO vpc (cidr_block) VALUES ('10.0.0.300/16') RETURNING id");
      assertThat(Sql.value(t, "SELECT pg_typeof(cidr_block)::text FROM vpc WHERE id = ?", bad))
          .isEqualTo("character varying");

      PSQLException e = Sql.failure(t, "SELECT iasql_upgrade()");
      assertThat(e.getSQLState()).isEqualTo("IQ105");
      assertThat(e.getServerErrorMessage().getMessage()).contains("aws_vpc", "vpc row " + bad, "'10.0.0.300/16'",
          "cidr");
      assertThat(Sql.hint(e)).contains("UPDATE vpc SET cidr_block", "WHERE id = " + bad, "iasql_upgrade()");
      assertThat(Sql.value(t, "SELECT * FROM iasql_version()")).as("nothing moved")
          .isEqualTo(ReleaseCatalog.V0_0_21);
      assertThat(Sql.value(t, "SELECT cidr_block FROM vpc WHERE id = ?", bad)).as("nor lost")
          .isEqualTo("10.0.0.300/16");

      Sql.exec(t, "UPDATE vpc SET cidr_block = '10.44.0.0/16' WHERE id = ?", bad);
      assertThat((String) Sql.value(t, "SELECT iasql_upgrade()")).contains("to " + ReleaseCatalog.V0_0_22);
      assertThat(Sql.value(t, "SELECT pg_typeof(cidr_block)::text FROM vpc WHERE id = ?", bad)).isEqualTo("cidr");
      assertThat(Sql.value(t, "SELECT count(*) FROM vpc WHERE vpc_id IS NULL AND cidr_block IN"
          + " ('10.43.0.0/16', '10.44.0.0/16')")).as("both unapplied rows kept").isEqualTo(2L);
      assertThat(Sql.failure(t, "INSERT INTO subnet (cidr_block, availability_zone, vpc_id) SELECT '10.43.1.300/24',"
          + " name, ? FROM availability_zone LIMIT 1", bad).getSQLState()).as("typed from now on").isEqualTo("22P02");
      Sql.exec(t, "DELETE FROM vpc WHERE vpc_id IS NULL"); // never applied: the moto account keeps its VPCs
    }
  }
}
