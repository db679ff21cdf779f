package dev.iasql.aws.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.TestDatabase;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * An engine that stops between a create in AWS and writing the new id back to the row leaves a resource tagged with
 * that row ({@code iasql:row = <database>/<table>/<row id>}) and a row without an id. Each test stands in for that
 * engine by creating the tagged resource straight in moto, then checks that apply and sync adopt it for its row
 * instead of creating it twice or swapping the row for a new one; and that a resource claimed by another database, or
 * by a row since deleted, is treated like any other unknown resource. Each test works in a region of its own.
 */
@ExtendWith(IasqlExtension.class)
class CrashSafeCreateTest {
  private static final String KEY = "iasql:row";

  @Test
  void applyAdoptsTheGroupCreatedForItsRowInsteadOfCreatingItAgain(TestDatabase db) throws Exception {
    String region = "ap-northeast-1";
    try (CloudDb c = open(db, region)) {
      Ec2Client ec2 = c.ec2(region);
      String name = "crash-" + UUID.randomUUID();
      int rowId = insertGroup(c, name, region);
      String groupId = createGroup(ec2, name, defaultVpc(c, region), claim(c, "security_group", rowId));

      // Taking the group is no change in the cloud: apply reports only the egress rule the row does not hold.
      assertThat(c.previewApply()).extracting(r -> r.get("action"), r -> r.get("table_name"))
          .as("no second group").containsExactly(tuple("delete", "security_group_rule"));
      try (Statement s = c.tenant().createStatement()) {
        List<String> done = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT action, table_name FROM iasql_apply()")) {
          while (rs.next()) {
            done.add(rs.getString(1) + " " + rs.getString(2));
          }
        }
        assertThat(done).as("no second group").containsExactly("delete security_group_rule");
        assertThat(notices(s)).as("the adoption is told, naming the resource and the row")
            .anySatisfy(n -> assertThat(n).contains(name, "security_group row " + rowId, "adopted"));
      }
      assertThat(c.value("SELECT group_id FROM security_group WHERE id = ?", rowId)).isEqualTo(groupId);
      assertThat(ApplySyncTest.groups(ec2, name)).extracting(g -> g.groupId()).containsExactly(groupId);
      assertThat(ApplySyncTest.rules(ec2, groupId)).as("the egress rule the row does not hold was revoked").isEmpty();
      assertThat(c.previewApply()).isEmpty();
      assertThat(c.previewSync()).isEmpty();
    }
  }

  @Test
  void syncKeepsTheRowAndFillsInTheGroupCreatedForIt(TestDatabase db) throws Exception {
    String region = "me-south-1";
    try (CloudDb c = open(db, region)) {
      Ec2Client ec2 = c.ec2(region);
      String name = "crash-" + UUID.randomUUID();
      int rowId = insertGroup(c, name, region);
      String groupId = createGroup(ec2, name, defaultVpc(c, region), claim(c, "security_group", rowId));

      List<Map<String, Object>> preview = c.previewSync();
      assertThat(preview).extracting(r -> r.get("action"), r -> r.get("table_name"), r -> r.get("id"))
          .contains(tuple("update", "security_group", rowId))
          .doesNotContain(tuple("delete", "security_group", rowId));
      assertThat(preview).extracting(r -> r.get("action"), r -> r.get("table_name"), r -> r.get("description"))
          .doesNotContain(tuple("create", "security_group", name));

      try (Statement s = c.tenant().createStatement()) {
        s.executeQuery("SELECT * FROM iasql_sync()").close();
        assertThat(notices(s)).anySatisfy(n -> assertThat(n).contains(name, "security_group row " + rowId));
      }
      assertThat(c.rows("SELECT id, group_id FROM security_group WHERE group_name = ?", name))
          .as("the same row, now with the group's id").containsExactly(Map.of("id", rowId, "group_id", groupId));
      assertThat(ApplySyncTest.groups(ec2, name)).hasSize(1);
      assertThat(c.previewSync()).isEmpty();
      assertThat(c.previewApply()).as("the group's egress rule was imported with it").isEmpty();
    }
  }

  @Test
  void vpcsAndSubnetsAreAdoptedAndTheClaimNeverShowsInTheTags(TestDatabase db) throws Exception {
    String region = "eu-central-2";
    try (CloudDb c = open(db, region, "aws_vpc")) {
      Ec2Client ec2 = c.ec2(region);
      int vpcRow = (Integer) c.value("INSERT INTO vpc (cidr_block, tags, region) VALUES ('10.61.0.0/16',"
          + " '{\"env\": \"crash\"}', ?) RETURNING id", region);
      String vpcId = ec2.createVpc(r -> r.cidrBlock("10.61.0.0/16").tagSpecifications(TagSpecification.builder()
          .resourceType(ResourceType.VPC).tags(tag("env", "crash"), tag(KEY, claim(c, "vpc", vpcRow))).build()))
          .vpc().vpcId();

      assertThat(c.previewApply()).as("taking the VPC is no change in the cloud").isEmpty();
      assertThat(c.apply()).isEmpty();
      assertThat(c.value("SELECT vpc_id FROM vpc WHERE id = ?", vpcRow)).isEqualTo(vpcId);
      assertThat(tagsColumn(c, vpcRow)).isEqualTo("{\"env\": \"crash\"}");
      assertThat(vpcs(ec2, "10.61.0.0/16")).containsExactly(vpcId);
      assertThat(c.previewApply()).isEmpty();
      assertThat(c.previewSync()).isEmpty();

      // A subnet of that VPC, created for its row before the engine stopped.
      String zone = (String) c.value("SELECT name FROM availability_zone WHERE region = ? ORDER BY name LIMIT 1",
          region);
      int subnetRow = (Integer) c.value("INSERT INTO subnet (cidr_block, availability_zone, vpc_id, region)"
          + " VALUES ('10.61.1.0/24', ?, ?, ?) RETURNING id", zone, vpcRow, region);
      String subnetId = ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock("10.61.1.0/24").availabilityZone(zone)
          .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.SUBNET)
              .tags(tag(KEY, claim(c, "subnet", subnetRow))).build())).subnet().subnetId();
      assertThat(c.previewApply()).isEmpty();
      assertThat(c.apply()).isEmpty();
      assertThat(c.value("SELECT subnet_id FROM subnet WHERE id = ?", subnetRow)).isEqualTo(subnetId);
      assertThat(ec2.describeSubnets(r -> r.filters(filter("vpc-id", vpcId))).subnets()).hasSize(1);
      assertThat(c.previewApply()).isEmpty();
      assertThat(c.previewSync()).isEmpty();

      // A VPC apply creates: the claim is in AWS only, and tag updates leave it alone.
      int created = (Integer) c.value("INSERT INTO vpc (cidr_block, tags, region) VALUES ('10.62.0.0/16',"
          + " '{\"env\": \"test\"}', ?) RETURNING id", region);
      assertThat(c.apply()).extracting(r -> r.get("action"), r -> r.get("table_name"))
          .containsExactly(tuple("create", "vpc"));
      String createdId = (String) c.value("SELECT vpc_id FROM vpc WHERE id = ?", created);
      assertThat(tagsColumn(c, created)).isEqualTo("{\"env\": \"test\"}");
      assertThat(awsTags(ec2, createdId)).isEqualTo(Map.of("env", "test", KEY, claim(c, "vpc", created)));
      assertThat(c.previewApply()).isEmpty();
      assertThat(c.previewSync()).isEmpty();
      c.sync();
      assertThat(tagsColumn(c, created)).isEqualTo("{\"env\": \"test\"}");

      c.exec("UPDATE vpc SET tags = '{\"env\": \"prod\", \"team\": \"core\"}' WHERE id = ?", created);
      assertThat(c.apply()).extracting(r -> r.get("action"), r -> r.get("table_name"))
          .containsExactly(tuple("update", "vpc"));
      assertThat(awsTags(ec2, createdId))
          .isEqualTo(Map.of("env", "prod", "team", "core", KEY, claim(c, "vpc", created)));
      c.exec("UPDATE vpc SET tags = '{}' WHERE id = ?", created);
      c.apply();
      assertThat(awsTags(ec2, createdId)).as("removing every tag of the row keeps the claim")
          .isEqualTo(Map.of(KEY, claim(c, "vpc", created)));
      assertThat(tagsColumn(c, created)).isEqualTo("{}");
      assertThat(c.previewApply()).isEmpty();
      assertThat(c.previewSync()).isEmpty();
      assertThat(c.value("SELECT count(*) FROM vpc WHERE tags::jsonb -> 'iasql:row' IS NOT NULL")).isEqualTo(0L);

      // Written into the column by hand, the key is ignored: never sent, never compared.
      c.exec("UPDATE vpc SET tags = '{\"iasql:row\": \"other_db/vpc/1\"}' WHERE id = ?", created);
      assertThat(c.previewApply()).isEmpty();
      assertThat(c.apply()).isEmpty();
      assertThat(awsTags(ec2, createdId)).isEqualTo(Map.of(KEY, claim(c, "vpc", created)));
    }
  }

  @Test
  void aClaimByAnotherDatabaseOrTableIsNoClaim(TestDatabase db) throws Exception {
    String region = "il-central-1";
    try (CloudDb c = open(db, region)) {
      Ec2Client ec2 = c.ec2(region);
      String vpc = defaultVpc(c, region);
      String name = "mine-" + UUID.randomUUID();
      int rowId = insertGroup(c, name, region);
      String theirName = "theirs-" + UUID.randomUUID();
      String otherDatabase = createGroup(ec2, theirName, vpc, "other_db/security_group/" + rowId);
      String vpcsName = "vpcs-" + UUID.randomUUID();
      String otherTable = createGroup(ec2, vpcsName, vpc, claim(c, "vpc", rowId));

      assertThat(c.previewApply()).extracting(r -> r.get("action"), r -> r.get("table_name"), r -> r.get("description"))
          .as("groups are described by their names").contains(tuple("create", "security_group", name),
              tuple("delete", "security_group", theirName), tuple("delete", "security_group", vpcsName));
      c.apply();
      String mine = (String) c.value("SELECT group_id FROM security_group WHERE id = ?", rowId);
      assertThat(mine).startsWith("sg-").isNotIn(otherDatabase, otherTable);
      assertThat(ApplySyncTest.groups(ec2, name)).extracting(g -> g.groupId()).containsExactly(mine);
      assertThat(groupIds(ec2)).as("deleted like any group the database does not hold")
          .doesNotContain(otherDatabase, otherTable);

      // Sync: the row without a group goes, the other database's group comes in as a row of its own.
      String second = "mine-" + UUID.randomUUID();
      int secondRow = insertGroup(c, second, region);
      String theirs = createGroup(ec2, "theirs-" + UUID.randomUUID(), vpc, "other_db/security_group/" + secondRow);
      c.sync();
      assertThat(c.value("SELECT count(*) FROM security_group WHERE id = ?", secondRow)).isEqualTo(0L);
      assertThat(c.value("SELECT id FROM security_group WHERE group_id = ?", theirs)).isNotNull()
          .isNotEqualTo(secondRow);
      assertThat(ApplySyncTest.groups(ec2, second)).isEmpty();
    }
  }

  @Test
  void aGroupClaimedByADeletedRowIsNotLeaked(TestDatabase db) throws Exception {
    String region = "me-central-1";
    try (CloudDb c = open(db, region)) {
      Ec2Client ec2 = c.ec2(region);
      String name = "gone-" + UUID.randomUUID();
      int rowId = insertGroup(c, name, region);
      String groupId = createGroup(ec2, name, defaultVpc(c, region), claim(c, "security_group", rowId));
      c.exec("DELETE FROM security_group WHERE id = ?", rowId);

      assertThat(c.previewApply()).extracting(r -> r.get("action"), r -> r.get("table_name"), r -> r.get("description"))
          .contains(tuple("delete", "security_group", name));
      assertThat(groupIds(ec2)).contains(groupId);
      c.apply();
      assertThat(ApplySyncTest.groups(ec2, name)).isEmpty();
      assertThat(c.previewApply()).isEmpty();
      assertThat(c.previewSync()).isEmpty();

      // Sync has no row to give it to: it comes in as a new row.
      String kept = "kept-" + UUID.randomUUID();
      int keptRow = insertGroup(c, kept, region);
      String keptId = createGroup(ec2, kept, defaultVpc(c, region), claim(c, "security_group", keptRow));
      c.exec("DELETE FROM security_group WHERE id = ?", keptRow);
      c.sync();
      assertThat(c.value("SELECT id FROM security_group WHERE group_id = ?", keptId)).isNotNull()
          .isNotEqualTo(keptRow);
    }
  }

  /** A database with aws_security_group (and so aws_vpc), with {@code region} enabled and synced. */
  private static CloudDb open(TestDatabase db, String region) throws Exception {
    return open(db, region, "aws_security_group");
  }

  /** A database with {@code module}, with {@code region} enabled and synced. */
  private static CloudDb open(TestDatabase db, String region, String module) throws Exception {
    CloudDb c = CloudDb.connect(db, Moto.start().account(), module);
    c.enable(region);
    c.sync();
    assertThat(c.previewApply()).as("%s is a region of this test alone", region).isEmpty();
    return c;
  }

  private static int insertGroup(CloudDb c, String name, String region) throws Exception {
    return (Integer) c.value("INSERT INTO security_group (description, group_name, region) VALUES ('crash test', ?,"
        + " ?) RETURNING id", name, region);
  }

  /** What the engine tags a resource created for a row with. */
  private static String claim(CloudDb c, String table, int rowId) {
    return c.database().name() + "/" + table + "/" + rowId;
  }

  private static String defaultVpc(CloudDb c, String region) throws Exception {
    return (String) c.value("SELECT vpc_id FROM vpc WHERE is_default AND region = ?", region);
  }

  /** What an engine stopped after CreateSecurityGroup left behind: the group, with the default egress rule. */
  private static String createGroup(Ec2Client ec2, String name, String vpcId, String claim) {
    return ec2.createSecurityGroup(r -> r.groupName(name).description("crash test").vpcId(vpcId)
        .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.SECURITY_GROUP)
            .tags(tag(KEY, claim)).build())).groupId();
  }

  private static List<String> groupIds(Ec2Client ec2) {
    return ec2.describeSecurityGroups().securityGroups().stream().map(g -> g.groupId()).toList();
  }

  private static List<String> vpcs(Ec2Client ec2, String cidr) {
    return ec2.describeVpcs(r -> r.filters(filter("cidr", cidr))).vpcs().stream().map(v -> v.vpcId()).toList();
  }

  private static Map<String, String> awsTags(Ec2Client ec2, String vpcId) {
    return ec2.describeVpcs(r -> r.vpcIds(vpcId)).vpcs().get(0).tags().stream()
        .collect(Collectors.toMap(Tag::key, Tag::value));
  }

  private static String tagsColumn(CloudDb c, int rowId) throws Exception {
    return (String) c.value("SELECT tags::jsonb::text FROM vpc WHERE id = ?", rowId);
  }

  private static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }

  private static Filter filter(String name, String value) {
    return Filter.builder().name(name).values(value).build();
  }

  private static List<String> notices(Statement s) throws SQLException {
    List<String> out = new ArrayList<>();
    for (SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
      out.add(w.getMessage());
    }
    return out;
  }
}
