package dev.imagegate.image;

import java.util.Optional;

/**
 * What the project's {@code spring-boot-maven-plugin} configuration says about the image, when the project declares
 * that plugin.
 *
 * @param mainClass its {@code <mainClass>} (the Start-Class it writes into a repackaged jar), if set
 * @param excludeDevtools its {@code <excludeDevtools>} (Spring Boot's default: true): {@code spring-boot-devtools}
 *     stays out of the image, as it stays out of the repackaged jar
 */
public record SpringBootPlugin(Optional<String> mainClass, boolean excludeDevtools) {

  /** The coordinates of Spring Boot's developer tools, which a production image must not hold. */
  public static final String DEVTOOLS = "org.springframework.boot:spring-boot-devtools";

  /** The package of Spring Boot's launchers ({@code JarLauncher}, {@code PropertiesLauncher}, {@code WarLauncher}). */
  static final String LOADER_PACKAGE = "org.springframework.boot.loader.";

  /** Whether {@code className} is one of Spring Boot's launchers, which start only from a repackaged jar. */
  static boolean isLauncher(String className) {
    return className.startsWith(LOADER_PACKAGE);
  }
}
