package dev.iasql.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iasql.engine.spi.CloudContext;
import dev.iasql.engine.spi.RowClaim;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

class RowTagTest {
  /** A context of database {@code tenant_db}, for what the tag says; it reaches no cloud. */
  private static final CloudContext CTX = new CloudContext() {
    @Override
    public String database() {
      return "tenant_db";
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
      throw new UnsupportedOperationException("no cloud here");
    }
  };

  @Test
  void aValueNamesDatabaseTableAndRowAndParsesBack() {
    assertThat(RowTag.KEY).isEqualTo("iasql:row");
    assertThat(RowTag.value("my_db", "security_group", 42)).isEqualTo("my_db/security_group/42");
    assertThat(RowTag.parse("security_group", "my_db/security_group/42")).isEqualTo(new RowClaim("my_db", 42));
    assertThat(RowTag.parse("vpc", RowTag.value("d", "vpc", Integer.MAX_VALUE)))
        .isEqualTo(new RowClaim("d", Integer.MAX_VALUE));
    assertThat(RowTag.parse("subnet", "d/subnet/0")).isEqualTo(new RowClaim("d", 0));
  }

  @Test
  void anotherTableOrAMalformedValueClaimsNothing() {
    assertThat(RowTag.parse("vpc", "my_db/security_group/42")).as("another table").isNull();
    assertThat(RowTag.parse("vpc", "my_db/subnet/42")).isNull();
    for (String bad : new String[] {"", "42", "vpc/42", "/vpc/42", "my_db//42", "my_db/vpc/", "my_db/vpc/x",
        "my_db/vpc/-1", "my_db/vpc/+1", "my_db/vpc/042", "my_db/vpc/4 2", "my_db/vpc/2147483648",
        "my_db/vpc/99999999999", "my_db/vpc/42/", "my_db/vpc"}) {
      assertThat(RowTag.parse("vpc", bad)).as("'%s'", bad).isNull();
    }
    assertThat(RowTag.parse("vpc", null)).isNull();
  }

  @Test
  void findsTheClaimAmongTags() {
    Tag name = Tag.builder().key("Name").value("app").build();
    assertThat(RowTag.find("vpc", List.of(name, RowTag.tag("db", "vpc", 7)))).isEqualTo(new RowClaim("db", 7));
    assertThat(RowTag.find("vpc", List.of(name))).isNull();
    assertThat(RowTag.find("vpc", List.of())).isNull();
    assertThat(RowTag.find("vpc", null)).isNull();
    assertThat(RowTag.find("vpc", List.of(Tag.builder().key(RowTag.KEY).value("db/subnet/7").build()))).isNull();
  }

  @Test
  void theCreateRequestCarriesTheResourcesTagsAndTheClaimOfItsRow() {
    Tag name = Tag.builder().key("Name").value("app").build();
    Tag forged = Tag.builder().key(RowTag.KEY).value("other/vpc/1").build();
    assertThat(RowTag.specs(ResourceType.VPC, CTX, "vpc", 3, List.of(name, forged)))
        .as("the row's claim, never one among the resource's own tags").containsExactly(
            TagSpecification.builder().resourceType(ResourceType.VPC).tags(name,
                Tag.builder().key("iasql:row").value("tenant_db/vpc/3").build()).build());
    assertThat(RowTag.specs(ResourceType.SECURITY_GROUP, CTX, "security_group", 5, List.of())).containsExactly(
        TagSpecification.builder().resourceType(ResourceType.SECURITY_GROUP)
            .tags(RowTag.tag("tenant_db", "security_group", 5)).build());
    assertThat(RowTag.specs(ResourceType.SUBNET, CTX, "subnet", null, List.of(name))).containsExactly(
        TagSpecification.builder().resourceType(ResourceType.SUBNET).tags(name).build());
    assertThat(RowTag.specs(ResourceType.SUBNET, CTX, "subnet", null, List.of())).isEmpty();
    assertThat(RowTag.claim(CTX, 3)).isEqualTo(new RowClaim("tenant_db", 3));
    assertThat(RowTag.claim(CTX, null)).isNull();
  }
}
