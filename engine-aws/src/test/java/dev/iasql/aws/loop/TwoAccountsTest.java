package dev.iasql.aws.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.TestDatabases;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.util.PSQLException;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;

/**
 * Two databases, two AWS accounts, one engine, at the same time: each sees only its own resources, its own regions
 * and its own errors. IaSQL shared contexts across databases and one tenant saw another's account.
 */
@ExtendWith(IasqlExtension.class)
class TwoAccountsTest {
  private static final String REGION = "us-east-1";

  @Test
  void concurrentDatabasesNeverSeeEachOther(TestDatabases dbs) throws Exception {
    Moto moto = Moto.start();
    try (CloudDb first = CloudDb.connect(dbs.create(), moto.account(), "aws_security_group");
        CloudDb second = CloudDb.connect(dbs.create(), moto.secondAccount(), "aws_security_group")) {
      second.exec("SELECT default_aws_region('eu-west-1')");
      second.sync();
      String tag = UUID.randomUUID().toString().substring(0, 8);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        // One thread per database, both at once; the second database's last round inserts a row EC2 refuses.
        Future<List<String>> a = pool.submit(() -> rounds(first, "a-" + tag, -1));
        Future<List<String>> b = pool.submit(() -> rounds(second, "b-" + tag, 2));
        assertThat(a.get()).as("the first database never sees the second's error").isEmpty();
        List<String> errors = b.get();
        assertThat(errors).as("only the second database's own error").hasSize(1).allMatch(e -> e.contains("b-"));
      } finally {
        pool.shutdownNow();
      }
      second.exec("DELETE FROM subnet WHERE cidr_block = '10.250.0.0/24'");
      second.apply();

      Set<String> firstIds = ids(first, REGION);
      Set<String> secondIds = ids(second, "eu-west-1");
      assertThat(names(first)).anyMatch(n -> n.startsWith("a-" + tag)).noneMatch(n -> n.startsWith("b-"));
      assertThat(names(second)).anyMatch(n -> n.startsWith("b-" + tag)).noneMatch(n -> n.startsWith("a-"));
      assertThat(firstIds).doesNotContainAnyElementsOf(secondIds);
      assertThat(cloudIds(first, REGION)).containsAll(firstIds).doesNotContainAnyElementsOf(secondIds);
      assertThat(cloudIds(second, "eu-west-1")).containsAll(secondIds).doesNotContainAnyElementsOf(firstIds);
      assertThat(first.value("SELECT default_aws_region()")).isEqualTo(REGION);
      assertThat(second.value("SELECT default_aws_region()")).isEqualTo("eu-west-1");
      assertThat(first.value("SELECT DISTINCT owner_id FROM security_group WHERE owner_id IS NOT NULL"))
          .isEqualTo(Moto.ACCOUNT_ID);
      assertThat(second.value("SELECT DISTINCT owner_id FROM security_group WHERE owner_id IS NOT NULL"))
          .isEqualTo(Moto.SECOND_ACCOUNT_ID);
      assertThat(first.previewSync()).isEmpty();
      assertThat(second.previewSync()).isEmpty();
    }
  }

  private static List<String> rounds(CloudDb db, String prefix, int badRound) throws Exception {
    List<String> errors = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      String error = (String) work(db, prefix + "-" + r, r == badRound ? "bad" : null).call();
      if (!error.isEmpty()) {
        errors.add(error);
      }
    }
    return errors;
  }

  /** Inserts a group and applies; returns the error message if apply failed. */
  private static Callable<Object> work(CloudDb db, String name, String badDescription) {
    return () -> {
      db.exec("INSERT INTO security_group (description, group_name) VALUES ('ok', ?)", name);
      if (badDescription != null) {
        // A subnet outside its VPC's range: EC2 refuses it.
        db.exec("INSERT INTO subnet (cidr_block, availability_zone, vpc_id, region) SELECT '10.250.0.0/24',"
            + " az.name, v.id, v.region FROM vpc v JOIN availability_zone az ON az.region = v.region"
            + " WHERE v.is_default AND v.region = default_aws_region() ORDER BY az.name LIMIT 1");
      }
      try {
        db.apply();
        return "";
      } catch (PSQLException e) {
        return name + ": " + e.getMessage();
      }
    };
  }

  private static Set<String> names(CloudDb db) throws Exception {
    Set<String> names = new HashSet<>();
    db.rows("SELECT group_name FROM security_group").forEach(r -> names.add((String) r.get("group_name")));
    return names;
  }

  private static Set<String> ids(CloudDb db, String region) throws Exception {
    Set<String> ids = new HashSet<>();
    db.rows("SELECT group_id FROM security_group WHERE region = ? AND group_id IS NOT NULL", region)
        .forEach(r -> ids.add((String) r.get("group_id")));
    return ids;
  }

  private static Set<String> cloudIds(CloudDb db, String region) {
    Set<String> ids = new HashSet<>();
    for (SecurityGroup g : db.ec2(region).describeSecurityGroups().securityGroups()) {
      ids.add(g.groupId());
    }
    return ids;
  }
}
