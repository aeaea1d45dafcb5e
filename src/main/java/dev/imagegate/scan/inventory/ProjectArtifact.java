package dev.imagegate.scan.inventory;

/**
 * A resolved runtime dependency of the project, as Maven knows it: lets the scan identify a jar in the image that
 * carries no Maven metadata, by its file name.
 */
public record ProjectArtifact(String groupId, String artifactId, String version, String fileName) {}
