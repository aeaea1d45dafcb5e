package dev.imagegate;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/architecture.md: the mojos ({@code dev.imagegate.maven}) use the core, the core never
 * uses the mojos nor a Maven type, and no two packages depend on each other (directly or around a circle).
 */
class ArchitectureTest {
  private static final String MOJOS = "dev.imagegate.maven..";

  /**
   * The one core class allowed a Maven type: maven-artifact's ComparableVersion is Maven's version ordering itself (a
   * plain library, no Maven runtime), which OSV's Maven ranges are defined by; it is confined to this adapter.
   */
  private static final String MAVEN_VERSION_ADAPTER = "dev.imagegate.scan.version.MavenVersionOrder";

  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.imagegate");
  }

  @Test
  void coreNeverUsesTheMojos() {
    ArchRule rule = noClasses().that().resideInAPackage("dev.imagegate..")
        .and().resideOutsideOfPackage(MOJOS)
        .should().dependOnClassesThat().resideInAPackage(MOJOS)
        .because("the mojos are a thin Maven face over the core; the core runs without them");
    rule.check(production);
  }

  @Test
  void coreNeverUsesMavenTypes() {
    ArchRule rule = noClasses().that().resideInAPackage("dev.imagegate..")
        .and().resideOutsideOfPackage(MOJOS)
        .and().doNotHaveFullyQualifiedName(MAVEN_VERSION_ADAPTER)
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.maven..", "org.codehaus.plexus..",
            "org.eclipse.aether..", "org.sonatype.plexus..")
        .because("core packages know nothing of Maven (CONTRIBUTING.md); only " + MAVEN_VERSION_ADAPTER
            + " wraps maven-artifact's ComparableVersion");
    rule.check(production);
  }

  @Test
  void noPackageCycles() {
    ArchRule rule = slices().matching("dev.(**)").should().beFreeOfCycles()
        .because("a package cycle makes two packages one; move the shared vocabulary into a leaf package");
    rule.check(production);
  }
}
