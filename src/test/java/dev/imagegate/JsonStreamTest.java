package dev.imagegate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegate.image.ImageDescriptor;
import dev.imagegate.oci.Descriptor;
import dev.imagegate.oci.Digests;
import dev.imagegate.oci.OciArchive;
import dev.imagegate.oci.OciArchiveException;
import dev.imagegate.oci.OciLayouts;
import dev.imagegate.oci.OciManifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streamed readers of image.json, index.json and image manifests ({@link JsonStream}) against data binding, the way
 * they were read before: the same records from real files (the example's and a Spring Boot story's build) and from
 * every field the records have; broken files still refused, each with an error that says where.
 */
class JsonStreamTest {
  /** image.json as it was read before: {@code HandoverFile.json().readValue(bytes, ImageDescriptor.class)}. */
  private static final ObjectMapper BEFORE = HandoverFile.json();
  /** Image manifests as they were read before. */
  private static final ObjectMapper BEFORE_MANIFEST = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  @TempDir Path dir;

  private static byte[] resource(String name) throws IOException {
    try (var in = JsonStreamTest.class.getResourceAsStream("/json-stream/" + name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void realImageJsonFilesReadAsDataBindingReadThem() throws Exception {
    for (String name : List.of("example-image.json", "spring-boot-image.json")) {
      byte[] json = resource(name);
      ImageDescriptor streamed = ImageDescriptor.parse(json);
      assertEquals(BEFORE.readValue(json, ImageDescriptor.class), streamed, name);
      assertTrue(streamed.layers().size() >= 3 && streamed.base() != null && streamed.digest().startsWith("sha256:"), name);
    }
  }

  @Test
  void everyFieldOfImageJsonReadsAsBefore() throws Exception {
    Descriptor layer = new Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", "sha256:" + "f".repeat(64), 77_152_940L,
        Map.of("org.opencontainers.image.title", "app", "b", "2"));
    ImageDescriptor multi = new ImageDescriptor(1, "myapp", "sha-" + "c".repeat(40), "sha256:" + "b".repeat(64), "application/vnd.oci.image.index.v1+json",
        null, "image.tar", new ImageDescriptor.BaseImage("base:1", null), List.of(), "65532", "2026-03-01T12:00:00Z", "c".repeat(40), true, "0.1.0",
        List.of(new ImageDescriptor.PlatformImage("linux/amd64", "sha256:" + "1".repeat(64), "sha256:" + "2".repeat(64), List.of(layer)),
            new ImageDescriptor.PlatformImage("linux/arm64/v8", "sha256:" + "3".repeat(64), "sha256:" + "4".repeat(64), List.of(layer, layer))));
    multi.write(dir);
    byte[] written = Files.readAllBytes(dir.resolve("image.json"));
    assertEquals(multi, ImageDescriptor.parse(written));
    assertEquals(BEFORE.readValue(written, ImageDescriptor.class), ImageDescriptor.parse(written));
    assertEquals(multi, ImageDescriptor.read(dir));

    // what data binding accepted of a hand-edited file: unknown fields (any shape), nulls, numbers as strings, repeated fields
    String edited = "{\"future\":{\"a\":[1,{\"b\":null}]},\"schemaVersion\":\"1\",\"name\":null,\"digest\":\"sha256:" + "a".repeat(64) + "\","
        + "\"archive\":\"image.tar\",\"base\":null,\"layers\":[{\"digest\":\"sha256:" + "e".repeat(64) + "\",\"size\":\"12\",\"urls\":[\"x\"]}],"
        + "\"dirty\":null,\"platforms\":null,\"tag\":\"one\",\"tag\":\"two\",\"extra\":[]}";
    byte[] bytes = edited.getBytes(StandardCharsets.UTF_8);
    ImageDescriptor streamed = ImageDescriptor.parse(bytes);
    assertEquals(BEFORE.readValue(bytes, ImageDescriptor.class), streamed);
    assertEquals("two", streamed.tag());
    assertEquals(12, streamed.layers().get(0).size());
    assertEquals(ImageDescriptor.parse("null".getBytes(StandardCharsets.UTF_8)), BEFORE.readValue("null", ImageDescriptor.class));
  }

  @Test
  void realManifestsAndLayoutIndexesReadAsBefore() throws Exception {
    byte[] manifest = resource("example-manifest.json");
    assertEquals(BEFORE_MANIFEST.readValue(manifest, OciManifest.class), OciManifest.parse(manifest));
    assertEquals(4, OciManifest.parse(manifest).layers().size());
    // Docker schema 2 (media type stated) and an OCI manifest without one (the OCI type is then assumed), with annotations
    String docker = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\",\"config\":{\"mediaType\":"
        + "\"application/vnd.docker.container.image.v1+json\",\"size\":7023,\"digest\":\"sha256:" + "1".repeat(64) + "\"},\"layers\":[{\"mediaType\":"
        + "\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":32654,\"digest\":\"sha256:" + "2".repeat(64) + "\"}]}";
    String bare = "{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:" + "1".repeat(64) + "\",\"size\":1},\"layers\":[],"
        + "\"annotations\":{\"org.opencontainers.image.created\":\"2026-01-01T00:00:00Z\"},\"subject\":{\"digest\":\"x\"}}";
    for (String m : List.of(docker, bare)) {
      byte[] b = m.getBytes(StandardCharsets.UTF_8);
      OciManifest before = BEFORE_MANIFEST.readValue(b, OciManifest.class);
      OciManifest expected = before.mediaType() == null ? new OciManifest(before.schemaVersion(), OciManifest.OCI_MANIFEST, before.config(), before.layers()) : before;
      assertEquals(expected, OciManifest.parse(b), m);
    }

    byte[] index = resource("example-index.json");
    JsonNode tree = BEFORE_MANIFEST.readTree(index);
    Descriptor entry = BEFORE_MANIFEST.treeToValue(tree.path("manifests").get(0), Descriptor.class);
    assertEquals("myapp:sha-1f3be4021d82fe2b769e0ed96c51d021a5bb44e6", entry.annotations().get("org.opencontainers.image.ref.name"));
    assertEquals(List.of(entry), OciArchive.layoutManifests(index));
    assertEquals(List.of(), OciArchive.layoutManifests("{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8)));
    assertEquals(List.of(), OciArchive.layoutManifests("null".getBytes(StandardCharsets.UTF_8)));
  }

  /** Broken image.json: each is refused, naming the file and where in it; none is taken for an image. */
  @Test
  void brokenImageJsonIsRefusedSayingWhere() throws Exception {
    String digest = "\"digest\":\"sha256:" + "a".repeat(64) + "\",\"archive\":\"image.tar\"";
    Map<String, String> broken = new LinkedHashMap<>();
    broken.put("", "no JSON value");
    broken.put("{" + digest, "end-of-input");
    broken.put("{" + digest + ",\"layers\":[{\"digest\":\"sha256:x\",\"size\":1}", "end-of-input");
    broken.put("[" + digest.replace(':', ',') + "]", "expected an object, not an array");
    broken.put("{" + digest + ",\"name\":{\"x\":1}}", "field 'name' must be a string, not an object");
    broken.put("{" + digest + ",\"layers\":{}}", "field 'layers' must be an array, not an object");
    broken.put("{" + digest + ",\"layers\":[null]}", "the array 'layers' holds null");
    broken.put("{" + digest + ",\"layers\":[\"sha256:x\"]}", "expected an object, not a string");
    broken.put("{" + digest + ",\"layers\":[{\"size\":\"big\"}]}", "field 'size' must be a whole number, not \"big\"");
    broken.put("{" + digest + ",\"layers\":[{\"size\":1.5}]}", "field 'size' must be a whole number, not a number");
    broken.put("{" + digest + ",\"schemaVersion\":4294967297}", "field 'schemaVersion' is out of range");
    broken.put("{" + digest + ",\"dirty\":\"yes\"}", "field 'dirty' must be true or false, not a string");
    broken.put("{" + digest + ",\"layers\":[{\"annotations\":{\"a\":null}}]}", "field 'a' is null");
    broken.put("{" + digest + "} {\"digest\":\"sha256:" + "b".repeat(64) + "\"}", "content after the JSON value");
    broken.put("{" + digest + "}]", "Unexpected close marker");
    broken.put("{" + digest + ",}", "Unexpected character");
    for (Map.Entry<String, String> e : broken.entrySet()) {
      byte[] bytes = e.getKey().getBytes(StandardCharsets.UTF_8);
      IOException parsed = assertThrows(IOException.class, () -> ImageDescriptor.parse(bytes), e.getKey());
      assertTrue(parsed.getMessage().contains(e.getValue()), e.getKey() + " -> " + parsed.getMessage());
      assertTrue(parsed.getMessage().contains("line: 1, column: "), parsed.getMessage());
      Files.write(dir.resolve("image.json"), bytes);
      HandoverException refused = assertThrows(HandoverException.class, () -> ImageDescriptor.read(dir), e.getKey());
      assertTrue(refused.getMessage().startsWith("Cannot read " + dir.resolve("image.json") + ": "), refused.getMessage());
      assertTrue(refused.suggestion().contains("imagegate:build"), refused.suggestion());
    }
  }

  /** A broken manifest or index.json in an archive (its digests consistent) still fails the archive's opening. */
  @Test
  void anArchiveWithABrokenManifestOrIndexIsRefused() throws Exception {
    byte[] config = "{\"os\":\"linux\",\"architecture\":\"amd64\"}".getBytes(StandardCharsets.UTF_8);
    Map<String, String> manifests = new LinkedHashMap<>();
    manifests.put("{\"schemaVersion\":2,\"config\":{\"digest\":\"" + Digests.sha256(config) + "\",\"size\":" + config.length + "},\"layers\":[null]}",
        "the array 'layers' holds null");
    manifests.put("{\"schemaVersion\":2,\"layers\":[]}", "manifest has no config descriptor");
    manifests.put("{\"schemaVersion\":2,\"config\":null}", "manifest has no config descriptor");
    manifests.put("{\"schemaVersion\":2,\"config\":\"sha256:x\"}", "field 'config' must be an object, not a string");
    manifests.put("null", "manifest has no config descriptor");
    manifests.put("{\"schemaVersion\":2,\"config\":{\"digest\":\"" + Digests.sha256(config) + "\",\"size\":" + config.length + "}} trailing",
        "Unrecognized token 'trailing'");
    int n = 0;
    for (Map.Entry<String, String> e : manifests.entrySet()) {
      byte[] manifest = e.getKey().getBytes(StandardCharsets.UTF_8);
      Map<String, byte[]> entries = new LinkedHashMap<>();
      entries.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
      entries.put("index.json", ("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + OciManifest.OCI_MANIFEST + "\",\"digest\":\""
          + Digests.sha256(manifest) + "\",\"size\":" + manifest.length + "}]}").getBytes(StandardCharsets.UTF_8));
      entries.put("blobs/sha256/" + Digests.hex(Digests.sha256(manifest)), manifest);
      entries.put("blobs/sha256/" + Digests.hex(Digests.sha256(config)), config);
      Path tar = OciLayouts.write(dir.resolve("broken-" + n++ + ".tar"), entries);
      OciArchiveException refused = assertThrows(OciArchiveException.class, () -> OciArchive.open(tar).close(), e.getKey());
      assertTrue(refused.getMessage().startsWith("Cannot read the OCI image archive " + tar), refused.getMessage());
      assertTrue(refused.getMessage().contains(e.getValue()), e.getKey() + " -> " + refused.getMessage());
    }
    Map<String, String> indexes = new LinkedHashMap<>();
    indexes.put("{\"schemaVersion\":2,\"manifests\":[]}", "must list exactly one manifest, found 0");
    indexes.put("{\"schemaVersion\":2}", "must list exactly one manifest, found 0");
    indexes.put("{\"schemaVersion\":2,\"manifests\":[null]}", "the array 'manifests' holds null");
    indexes.put("{\"schemaVersion\":2,\"manifests\":\"x\"}", "field 'manifests' must be an array, not a string");
    indexes.put("{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"sha256:" + "0".repeat(64) + "\",\"size\":2}", "end-of-input");
    for (Map.Entry<String, String> e : indexes.entrySet()) {
      Map<String, byte[]> entries = new LinkedHashMap<>();
      entries.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
      entries.put("index.json", e.getKey().getBytes(StandardCharsets.UTF_8));
      Path tar = OciLayouts.write(dir.resolve("broken-" + n++ + ".tar"), entries);
      OciArchiveException refused = assertThrows(OciArchiveException.class, () -> OciArchive.open(tar).close(), e.getKey());
      assertTrue(refused.getMessage().contains(e.getValue()), e.getKey() + " -> " + refused.getMessage());
    }
  }
}
