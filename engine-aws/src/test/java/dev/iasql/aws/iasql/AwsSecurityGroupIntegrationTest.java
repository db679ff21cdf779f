package dev.iasql.aws.iasql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iasql.testkit.IasqlExtension;
import dev.iasql.testkit.Moto;
import dev.iasql.testkit.Sql;
import dev.iasql.testkit.TestDatabase;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * IaSQL v0.0.20's {@code test/modules/aws-security-group-integration.ts}, statement by statement in its order, as the
 * tenant against moto, asserting what it asserts. Its {@code ${prefix}} is a random prefix here too (moto's account is
 * shared by the tests of a JVM); its random numbers come from a seeded generator, so a failure can be repeated.
 */
@ExtendWith(IasqlExtension.class)
class AwsSecurityGroupIntegrationTest {
  private static final String AWS_REGION = "us-west-2";
  private static final String[] MODULES = {"aws_security_group", "aws_vpc"};

  private final Random random = new Random(20);
  private final String prefix = "t" + HexFormat.of().toHexDigits(random.nextInt()) + "-";
  private final String sgName = prefix + "sgtest";
  private final int randIpBlock = random.nextInt(254) + 1;
  private final int randIpBlock2 = randIpBlock % 254 + 1;

  @Test
  void securityGroupIntegration(TestDatabase db) throws Exception {
    Moto.Keys keys = Moto.start().account();
    try (Connection c = db.tenant()) {
      String block1 = "192." + randIpBlock + ".0.0/16";
      String block2 = "192." + randIpBlock2 + ".0.0/16";
      // 'installs the aws_account module', 'inserts aws credentials', 'syncs the regions', 'sets the default region'
      Sql.rows(c, "SELECT * FROM iasql_install('aws_account')");
      Sql.exec(c, "INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)",
          keys.accessKeyId(), keys.secretAccessKey());
      Sql.rows(c, "SELECT * FROM iasql_sync()");
      Sql.exec(c, "UPDATE aws_regions SET is_default = TRUE WHERE region = ?", AWS_REGION);
      // 'installs the security group module'
      Sql.rows(c, "SELECT * FROM iasql_install(VARIADIC ?)", (Object) MODULES);
      // 'adds a new security group', 'undo changes', 'check security_group insertion'
      Sql.exec(c, "INSERT INTO security_group (description, group_name) VALUES ('Security Group Test', ?)", sgName);
      Sql.rows(c, "SELECT * FROM iasql_sync()");
      assertThat(groups(c, sgName)).isZero();
      // 'adds a new security group', 'applies the security group change', 'check security_group insertion'
      Sql.exec(c, "INSERT INTO security_group (description, group_name) VALUES ('Security Group Test', ?)", sgName);
      Sql.rows(c, "SELECT * FROM iasql_apply()");
      assertThat(groups(c, sgName)).isEqualTo(1L);
      // 'adds security group rules', 'applies the security group rule change'
      Sql.exec(c, "INSERT INTO security_group_rule (is_egress, ip_protocol, from_port, to_port, cidr_ipv4,"
          + " description, security_group_id) SELECT true, 'tcp', 443, 443, '0.0.0.0/8', ?, id FROM security_group"
          + " WHERE group_name = ?", prefix + "testrule", sgName);
      Sql.exec(c, "INSERT INTO security_group_rule (is_egress, ip_protocol, from_port, to_port, cidr_ipv6,"
          + " description, security_group_id) SELECT false, 'tcp', 22, 22, '::/8', ?, id FROM security_group"
          + " WHERE group_name = ?", prefix + "testrule2", sgName);
      Sql.rows(c, "SELECT * FROM iasql_apply()");
      // 'updates the security group rule', 'check security_group update'
      Sql.exec(c, "UPDATE security_group_rule SET to_port = 8443 WHERE description = ?", prefix + "testrule");
      Sql.exec(c, "UPDATE security_group_rule SET to_port = 8022 WHERE description = ?", prefix + "testrule2");
      List<Map<String, Object>> rules = Sql.rows(c, "SELECT * FROM security_group_rule INNER JOIN security_group"
          + " ON security_group.id = security_group_rule.security_group_id WHERE group_name = ?", sgName);
      assertThat(rules).hasSize(2);
      assertThat(rules).extracting(r -> r.get("to_port")).allMatch(p -> List.of(8443, 8022).contains(p));
      // 'applies the security group rule change (again)'
      Sql.rows(c, "SELECT * FROM iasql_apply()");
      // 'updates the security group', 'applies the security group change (again)', 'check security_group insertion'
      Sql.exec(c, "UPDATE security_group SET group_name = ? WHERE group_name = ?", prefix + "sgtest2", sgName);
      Sql.rows(c, "SELECT * FROM iasql_apply()");
      assertThat(groups(c, sgName)).isZero();
      assertThat(groups(c, prefix + "sgtest2")).isEqualTo(1L);
      // 'inserts a security group with a large ruleset and more', 'should successfully create this mess'
      Sql.exec(c, "INSERT INTO vpc (cidr_block) VALUES (?::cidr), (?::cidr)", block1, block2);
      Sql.exec(c, "INSERT INTO security_group (description, group_name) VALUES"
          + " ('Security Group with a large ruleset', ?), ('Security Group with no rules', ?),"
          + " ('Another *smashes cup*', ?), ('And Another One And Another One...', ?), ('The end', ?)",
          prefix + "beegbeegsg", prefix + "teenysg", prefix + "thorsg", prefix + "djkaledsg", prefix + "lastsg");
      Sql.exec(c, "INSERT INTO security_group_rule (is_egress, ip_protocol, from_port, to_port, cidr_ipv4,"
          + " description, security_group_id) SELECT x.is_egress, x.ip_protocol, x.from_port, x.to_port, x.cidr_ipv4,"
          + " x.description, s.security_group_id FROM json_to_recordset(?::json) AS x(is_egress boolean,"
          + " ip_protocol varchar, from_port integer, to_port integer, cidr_ipv4 cidr, description varchar)"
          + " INNER JOIN (SELECT id AS security_group_id FROM security_group WHERE group_name = ?) AS s ON 1 = 1",
          largeRuleset(), prefix + "beegbeegsg");
      Sql.rows(c, "SELECT * FROM iasql_apply()");
      // 'uninstalls the security group module', 'installs the security group module'
      Sql.rows(c, "SELECT * FROM iasql_uninstall(VARIADIC ?)", (Object) MODULES);
      Sql.rows(c, "SELECT * FROM iasql_install(VARIADIC ?)", (Object) MODULES);
      // 'deletes the security group rules', 'applies the security group rule change (last time)'
      Sql.exec(c, "DELETE FROM security_group_rule WHERE description = ?", prefix + "testrule");
      Sql.exec(c, "DELETE FROM security_group_rule WHERE description = ?", prefix + "testrule2");
      Sql.exec(c, "DELETE FROM security_group_rule USING security_group INNER JOIN vpc ON security_group.vpc_id ="
          + " vpc.id WHERE vpc.cidr_block IN (?::cidr, ?::cidr)", block1, block2);
      Sql.exec(c, "DELETE FROM security_group_rule USING security_group WHERE security_group_rule.security_group_id"
          + " = security_group.id AND security_group.group_name = ?", prefix + "beegbeegsg");
      Sql.rows(c, "SELECT * FROM iasql_apply()");
      // 'deletes the security groups', 'applies the security group change (last time)'
      Sql.exec(c, "DELETE FROM security_group WHERE group_name IN (?, ?, ?, ?, ?, ?)", prefix + "sgtest2",
          prefix + "beegbeegsg", prefix + "teenysg", prefix + "thorsg", prefix + "djkaledsg", prefix + "lastsg");
      Sql.exec(c, "DELETE FROM security_group USING vpc WHERE security_group.vpc_id = vpc.id"
          + " AND vpc.cidr_block IN (?::cidr, ?::cidr)", block1, block2);
      Sql.exec(c, "DELETE FROM vpc WHERE cidr_block IN (?::cidr, ?::cidr)", block1, block2);
      Sql.rows(c, "SELECT * FROM iasql_apply()");
      // 'check security_group insertion', 'check security_group update'
      assertThat(groups(c, prefix + "sgtest2")).isZero();
      assertThat(Sql.rows(c, "SELECT * FROM security_group_rule INNER JOIN security_group ON security_group.id ="
          + " security_group_rule.security_group_id WHERE group_name = ?", prefix + "sgtest2")).isEmpty();
      // Special testing involving the default security group you can't edit or delete
      // 'clears out any default security group rules if they exist', 'applies this change'
      Sql.exec(c, "DELETE FROM security_group_rule USING security_group WHERE security_group_rule.security_group_id"
          + " = security_group.id AND security_group.group_name = 'default'");
      Sql.rows(c, "SELECT * FROM iasql_apply()");
      // 'tries to delete the default security group', 'applies the security group change which will restore the
      // record'
      long defaults = (Long) Sql.value(c, "SELECT count(*) FROM security_group WHERE group_name = 'default'");
      Sql.exec(c, "DELETE FROM security_group WHERE group_name = 'default'");
      Sql.rows(c, "SELECT * FROM iasql_apply()");
      assertThat(Sql.value(c, "SELECT count(*) FROM security_group WHERE group_name = 'default'"))
          .as("restored").isEqualTo(defaults);
      // 'tries to change the default security group description', 'applies the security group change which will
      // undo this change'
      Sql.exec(c, "UPDATE security_group SET description = 'Not the default' WHERE group_name = 'default'");
      Sql.rows(c, "SELECT * FROM iasql_apply()");
      assertThat(Sql.value(c, "SELECT count(*) FROM security_group WHERE description = 'Not the default'"))
          .as("undone").isEqualTo(0L);
      // 'tries to change the default security group id which triggers simultaneous create/delete', 'applies the
      // security group change which will recreate the record'
      Sql.exec(c, "UPDATE security_group SET group_id = 'remakethis' WHERE group_name = 'default'");
      Sql.rows(c, "SELECT * FROM iasql_apply()");
      assertThat(Sql.value(c, "SELECT count(*) FROM security_group WHERE group_name = 'default'"
          + " AND group_id <> 'remakethis'")).as("recreated from the cloud").isEqualTo(defaults);
      // 'adds another two security groups for a more complex test', 'creates these security groups'
      Sql.exec(c, "INSERT INTO security_group (description, group_name) VALUES ('Security Group Test 3', ?),"
          + " ('Security Group Test 4', ?)", prefix + "sgtest3", prefix + "sgtest4");
      Sql.rows(c, "SELECT * FROM iasql_apply()");
      // 'creates a new security group, deletes another security group, and modifies a third', 'performs all of these
      // operations'
      Sql.exec(c, "INSERT INTO security_group (description, group_name) VALUES ('Security Group Test 5', ?)",
          prefix + "sgtest5");
      Sql.exec(c, "DELETE FROM security_group WHERE group_name = ?", prefix + "sgtest3");
      Sql.exec(c, "UPDATE security_group SET description = 'Security Group Test Four' WHERE group_name = ?",
          prefix + "sgtest4");
      Sql.rows(c, "SELECT * FROM iasql_apply()");
      // 'checks all of these security_group changes'
      List<Map<String, Object>> three = Sql.rows(c, "SELECT * FROM security_group WHERE group_name IN (?, ?, ?)",
          prefix + "sgtest3", prefix + "sgtest4", prefix + "sgtest5");
      assertThat(three).hasSize(2);
      assertThat(three).extracting(r -> r.get("description"))
          .contains("Security Group Test Four", "Security Group Test 5");
      // 'deletes these test records', 'deletes the final test records'
      Sql.exec(c, "DELETE FROM security_group WHERE group_name IN (?, ?)", prefix + "sgtest4", prefix + "sgtest5");
      Sql.rows(c, "SELECT * FROM iasql_apply()");
    }
  }

  /**
   * 'Security Group install/uninstall'. IaSQL's aws_vpc had six tables (with elastic_ip, nat_gateway,
   * endpoint_gateway), so it counted 8 rows; ours has vpc, subnet and availability_zone, so 5. Its 'installs all
   * modules' and the uninstall of the modules we do not have are left out.
   */
  @Test
  void securityGroupInstallUninstall(TestDatabase db) throws Exception {
    Moto.Keys keys = Moto.start().account();
    String block = "192." + randIpBlock + ".0.0/16";
    try (Connection c = db.tenant()) {
      Sql.rows(c, "SELECT * FROM iasql_install('aws_account')");
      Sql.exec(c, "INSERT INTO aws_credentials (access_key_id, secret_access_key) VALUES (?, ?)",
          keys.accessKeyId(), keys.secretAccessKey());
      Sql.rows(c, "SELECT * FROM iasql_sync()");
      Sql.exec(c, "UPDATE aws_regions SET is_default = TRUE WHERE region = 'us-east-1'");
      // 'installs the Security Group module and confirms two tables are created'
      assertThat(Sql.rows(c, "select * from iasql_install('aws_security_group', 'aws_vpc')")).hasSize(5);
      // 'uninstalls the Security Group module and confirms two tables are removed'
      assertThat(Sql.rows(c, "select * from iasql_uninstall('aws_security_group', 'aws_vpc')")).hasSize(5);
      // 'installs all modules', then 'uninstalls the Security Group module' (and every module depending on it)
      Sql.rows(c, "SELECT * FROM iasql_install('aws_vpc', 'aws_security_group')");
      Sql.rows(c, "SELECT * FROM iasql_uninstall('aws_security_group')");
      // 'inserts a new VPC (that creates a new default SG automatically)', 'creates the VPC'
      Sql.exec(c, "INSERT INTO vpc (cidr_block) VALUES (?::cidr)", block);
      Sql.rows(c, "SELECT * FROM iasql_apply()");
      // 'installs the Security Group module', 'confirms that the auto-generated security group is there'
      Sql.rows(c, "SELECT * FROM iasql_install('aws_security_group')");
      assertThat(Sql.rows(c, "SELECT sg.* FROM security_group AS sg INNER JOIN vpc ON vpc.id = sg.vpc_id"
          + " WHERE vpc.cidr_block = ?::cidr", block)).hasSizeGreaterThanOrEqualTo(1);
      // 'uninstalls the Security Group module again (to be easier)', 'deletes the vpc', 'applies the vpc removal'
      Sql.rows(c, "SELECT * FROM iasql_uninstall('aws_security_group')");
      Sql.exec(c, "DELETE FROM vpc WHERE cidr_block = ?::cidr", block);
      Sql.rows(c, "SELECT * FROM iasql_apply()");
    }
  }

  private static long groups(Connection c, String name) throws Exception {
    return (Long) Sql.value(c, "SELECT count(*) FROM security_group WHERE group_name = ?", name);
  }

  /** IaSQL's 20 random rules, drawn the same way from a seeded generator. */
  private String largeRuleset() throws Exception {
    String[][] words = {
        {"My", "Your", "Our", "Their"},
        {"Fluffy", "Stinky", "Fuzzy", "Angry", "Dirty", "Dry", "Dangerous", "Dingy", "Ecstatic"},
        {"Red", "Orange", "Yellow", "Green", "Blue", "Indigo", "Violet"},
        {"Cat", "Dog", "Horse", "Orangutan", "Parrot", "Sheep", "GOAT", "Walrus", "Llama", "Uncle Jim"},
        {"Ate", "Sat On", "Punched", "Debated With", "Raced", "Worshipped", "Cleaned", "Observed"},
        {"Two", "Five", "Three", "Twenty-Seven", "OVER 9000"},
        {"Seahorses", "Gorillas", "Bats", "Gerbils", "Orcas", "Sharks", "Second Cousins"}};
    List<Map<String, Object>> rules = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Map<String, Object> rule = new LinkedHashMap<>();
      rule.put("is_egress", random.nextDouble() > 0.5);
      rule.put("ip_protocol", random.nextDouble() > 0.5 ? "tcp" : "udp");
      rule.put("from_port", random.nextInt(32768));
      rule.put("to_port", random.nextInt(32768) + 32768);
      rule.put("cidr_ipv4", "192." + random.nextInt(255) + ".0.0/16");
      List<String> description = new ArrayList<>();
      for (String[] choice : words) {
        description.add(choice[random.nextInt(choice.length)]);
      }
      rule.put("description", String.join(" ", description));
      rules.add(rule);
    }
    return new ObjectMapper().writeValueAsString(rules);
  }
}
