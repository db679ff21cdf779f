package dev.iasql.engine.kit;

import static org.assertj.core.api.Assertions.assertThat;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * IaSQL v0.0.20's {@code test/common/aws-diff.ts}, case by case: a JSON column ({@link ColumnType#JSON}) compares
 * policies by meaning, as its {@code policiesAreSame} did. Its {@code objectsAreSame} cases: two different arrays
 * differ here too (below); 'a one-element array and the same object' differ there but are the same here, on purpose:
 * our JSON columns hold policies, where AWS itself returns a one-element list as its element; the two
 * {@code undefined}-key cases cannot be written in JSON text, which has no {@code undefined}.
 */
class JsonMeaningTest {
  private static final String GET = "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
      + "\"Resource\":\"arn:aws:s3:::mybucket/*\"}";

  private static boolean same(@Nullable String db, @Nullable String cloud) {
    return Values.equal(ColumnType.JSON, db, cloud);
  }

  @Test
  void exactlyTheSamePoliciesAreTheSame() {
    String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[" + GET + "]}";
    assertThat(same(policy, policy)).isTrue();
  }

  @Test
  void anActionAsAOneElementArrayIsTheSameAsTheString() {
    assertThat(same("{\"Version\":\"2012-10-17\",\"Statement\":[" + GET + "]}",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],"
            + "\"Resource\":\"arn:aws:s3:::mybucket/*\"}]}")).isTrue();
  }

  @Test
  void aStatementAsAnObjectIsTheSameAsAOneElementArray() {
    assertThat(same("{\"Version\":\"2012-10-17\",\"Statement\":[" + GET + "]}",
        "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],"
            + "\"Resource\":\"arn:aws:s3:::mybucket/*\"}}")).isTrue();
  }

  @Test
  void reorderedActionsAreTheSame() {
    assertThat(same("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":[\"s3:GetObject\",\"s3:PutObject\",\"s3:DeleteObject\"],"
            + "\"Resource\":\"arn:aws:s3:::mybucket/*\"}]}",
        "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
            + "\"Action\":[\"s3:PutObject\",\"s3:GetObject\",\"s3:DeleteObject\"],"
            + "\"Resource\":\"arn:aws:s3:::mybucket/*\"}}")).isTrue();
  }

  @Test
  void reorderedNestedKeysAreTheSame() {
    assertThat(same("{\"Statement\":[{\"Resource\":\"arn:aws:s3:::mybucket/*\",\"Effect\":\"Allow\","
            + "\"Action\":[\"s3:GetObject\",\"s3:PutObject\",\"s3:DeleteObject\"]}],"
            + "\"Version\":\"2012-10-17\",\"Sid\":\"some_sid\"}",
        "{\"Sid\":\"some_sid\",\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
            + "\"Action\":[\"s3:PutObject\",\"s3:GetObject\",\"s3:DeleteObject\"],"
            + "\"Resource\":\"arn:aws:s3:::mybucket/*\"}}")).isTrue();
  }

  @Test
  void policiesOfDifferentMeaningDiffer() {
    String base = "{\"Version\":\"2012-10-17\",\"Statement\":[" + GET + "],\"Principal\":";
    assertThat(same(base + "{\"AWS\":\"arn:aws:iam::123456789012:root\"}}",
        base + "{\"Canonical\":\"arn:aws:iam::123456789012:root\"}}")).isFalse();
  }

  @Test
  void noPolicyDiffersFromOneAndEqualsNone() {
    assertThat(same(null, "{\"Version\":\"2012-10-17\",\"Statement\":[" + GET + "]}")).isFalse();
    assertThat(same(null, null)).isTrue();
  }

  /** objectsAreSame's 'when it compares 2 different arrays of objects' (RDS parameters). */
  @Test
  void arraysWithADifferentElementDiffer() {
    String second = "{\"Source\":\"engine-default\",\"ParameterName\":\"aurora_disable_hash_join\","
        + "\"IsModifiable\":true}";
    assertThat(same("[{\"Source\":\"engine-default\",\"ParameterName\":\"allow-suspicious-udfs\"}," + second + "]",
        "[{\"Source\":\"different-source\",\"ParameterName\":\"allow-suspicious-udfs\"}," + second + "]")).isFalse();
  }
}
