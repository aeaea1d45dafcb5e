// Builds two one-layer base images as OCI layouts (tar + gzip + skopeo, no Docker) and pushes them to the test registry:
// it/ubi-like:1 (UBI 9.3's os-release and an rpm database) and it/ubuntu-like:1 (Ubuntu 22.04's os-release and a dpkg
// status with real jammy package versions). Neither can run: the scan only reads them.
import groovy.json.JsonOutput
import java.security.MessageDigest

evaluate(new File(projectRoot, 'src/it/common/git-init.groovy'))
def run = evaluate(new File(projectRoot, 'src/it/common/sh.groovy'))
def sh = { File dir, List cmd -> run(dir, cmd.collect { it.toString() }) }
def registry = System.getenv('IMAGEGATE_REGISTRY')
assert registry : 'IMAGEGATE_REGISTRY is not set: eval "$(scripts/peers env)"'

def sha256 = { File f -> 'sha256:' + MessageDigest.getInstance('SHA-256').digest(f.bytes).encodeHex().toString() }
def stanza = { String pkg, String version, String source ->
  "Package: ${pkg}\nStatus: install ok installed\nPriority: required\nSection: libs\nMaintainer: Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>\n" +
      "Architecture: amd64\n" + (source ? "Source: ${source}\n" : '') + "Version: ${version}\nDescription: ${pkg}\n"
}
def bases = [
  'ubi-like': [
    'etc/os-release': '''NAME="Red Hat Enterprise Linux"
VERSION="9.3 (Plow)"
ID="rhel"
ID_LIKE="fedora"
VERSION_ID="9.3"
PLATFORM_ID="platform:el9"
PRETTY_NAME="Red Hat Enterprise Linux 9.3 (Plow)"
''',
    'etc/redhat-release': 'Red Hat Enterprise Linux release 9.3 (Plow)\n',
    'var/lib/rpm/rpmdb.sqlite': 'SQLite format 3\u0000'],
  'ubuntu-like': [
    'etc/os-release': '''PRETTY_NAME="Ubuntu 22.04.1 LTS"
NAME="Ubuntu"
VERSION_ID="22.04"
VERSION="22.04.1 LTS (Jammy Jellyfish)"
VERSION_CODENAME=jammy
ID=ubuntu
ID_LIKE=debian
UBUNTU_CODENAME=jammy
''',
    'etc/debian_version': 'bookworm/sid\n',
    'var/lib/dpkg/status': [stanza('base-files', '12ubuntu4.2', null), stanza('libc6', '2.35-0ubuntu3.1', 'glibc'),
                            stanza('libssl3', '3.0.2-0ubuntu1.7', 'openssl'), stanza('zlib1g', '1:1.2.11.dfsg-2ubuntu9.2', 'zlib')].join('\n')]]

bases.each { name, files ->
  def dir = new File(basedir, "bases/${name}")
  def rootfs = new File(dir, 'rootfs')
  def layout = new File(dir, 'layout')
  files.each { path, content ->
    def f = new File(rootfs, path)
    f.parentFile.mkdirs()
    f.setBytes(content.getBytes('ISO-8859-1'))
  }
  def blobs = new File(layout, 'blobs/sha256')
  blobs.mkdirs()
  def tar = new File(dir, 'layer.tar')
  sh(rootfs, ['tar', '--sort=name', '--mtime=@946684800', '--owner=0', '--group=0', '--numeric-owner', '-cf', tar.path] +
      files.keySet().collect { it.tokenize('/')[0] }.unique())
  def diffId = sha256(tar)
  sh(dir, ['gzip', '-n', '-f', tar.path])
  def gz = new File(dir, 'layer.tar.gz')
  def layerDigest = sha256(gz)
  def config = JsonOutput.toJson([architecture: 'amd64', os: 'linux', config: [User: '65532'], created: '2000-01-01T00:00:00Z',
                                  rootfs: [type: 'layers', diff_ids: [diffId]], history: [[created: '2000-01-01T00:00:00Z', created_by: "it: ${name}"]]])
  def configFile = new File(dir, 'config.json')
  configFile.text = config
  def manifest = JsonOutput.toJson([schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: [mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(configFile), size: configFile.length()],
      layers: [[mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigest, size: gz.length()]]])
  def manifestFile = new File(dir, 'manifest.json')
  manifestFile.text = manifest
  [gz, configFile, manifestFile].each { f -> new File(blobs, sha256(f).substring(7)).bytes = f.bytes }
  new File(layout, 'oci-layout').text = '{"imageLayoutVersion":"1.0.0"}'
  new File(layout, 'index.json').text = JsonOutput.toJson([schemaVersion: 2, manifests: [[mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: sha256(manifestFile), size: manifestFile.length(), annotations: ['org.opencontainers.image.ref.name': '1']]]])
  sh(dir, ['skopeo', 'copy', '--quiet', '--dest-tls-verify=false', "oci:${layout.path}:1", "docker://${registry}/it/${name}:1"])
}
return true
