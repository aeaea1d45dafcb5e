import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import java.security.MessageDigest
import java.util.concurrent.TimeUnit

def env = System.getenv()
def json = new JsonSlurper()
def out = new File(basedir, 'target/imagegate')
def log = new File(basedir, 'build.log').text
def run = { List<String> cmd, Map<String, String> extra = [:] ->
  def pb = new ProcessBuilder(cmd).directory(basedir).redirectErrorStream(true)
  pb.environment().putAll(extra)
  def p = pb.start()
  def text = p.inputStream.text
  assert p.waitFor(120, TimeUnit.SECONDS) : "${cmd.join(' ')} timed out"
  return [p.exitValue(), text]
}
def sha256 = { byte[] b -> 'sha256:' + MessageDigest.getInstance('SHA-256').digest(b).encodeHex().toString() }
def regions = ['us-east-1': env.IMAGEGATE_REGISTRY_US_EAST_1, 'us-west-2': env.IMAGEGATE_REGISTRY_US_WEST_2]
// a Docker config with the ECR password (as after `aws ecr get-login-password | docker login`) for skopeo and cosign
def work = new File(basedir, 'target/registry-check')
new File(work, 'docker').mkdirs()
def auth = "AWS:${env.IMAGEGATE_ECR_PASSWORD}".toString().bytes.encodeBase64().toString()
new File(work, 'docker/config.json').text = JsonOutput.toJson([auths: regions.values().collectEntries { [(it): [auth: auth]] }])
def docker = ['DOCKER_CONFIG': new File(work, 'docker').absolutePath, 'REGISTRY_AUTH_FILE': new File(work, 'docker/config.json').absolutePath]

// build: image.json names the index and each platform's manifest
def image = json.parse(new File(out, 'image.json'))
assert image.mediaType == 'application/vnd.oci.image.index.v1+json'
assert image.platforms*.platform == ['linux/amd64', 'linux/arm64']
image.platforms.each { assert it.digest ==~ /sha256:[0-9a-f]{64}/ && it.imageId && it.layers.size() >= 3 }
assert image.platforms[0].digest != image.platforms[1].digest
assert log.contains("imagegate:build two-platforms:${image.tag} ${image.digest} (index of linux/amd64, linux/arm64;")

// reproducible: the rebuild of the same commit (goal 2, another directory) gives the same index digest
def rebuilt = json.parse(new File(basedir, 'target/rebuild/image.json'))
assert rebuilt.digest == image.digest : "two builds, two index digests: ${image.digest} and ${rebuilt.digest}"
assert rebuilt.platforms*.digest == image.platforms*.digest

// scan: both platforms' images, findings per platform
def scan = json.parse(new File(out, 'scan.json'))
assert scan.digest == image.digest
assert scan.platforms*.platform == ['linux/amd64', 'linux/arm64']
assert scan.platforms*.digest == image.platforms*.digest
scan.platforms.each { assert it.os.family == 'debian' && it.packages > 10 && it.findings != null }
assert log.contains("Scanning the linux/amd64 image ${image.platforms[0].digest}")
assert log.contains("Scanning the linux/arm64 image ${image.platforms[1].digest}")

// the arm64 image, checked structurally (nothing arm64 runs here): its config says arm64, and the java binary of its
// base layer is an aarch64 ELF (e_machine 183)
def tarRead = { String entry -> def (rc, text) = run(['tar', '-xOf', new File(out, 'image.tar').absolutePath, entry]); assert rc == 0 : text; text }
def arm = image.platforms[1]
def armManifest = json.parseText(tarRead("blobs/sha256/${arm.digest.substring(7)}".toString()))
def armConfig = json.parseText(tarRead("blobs/sha256/${armManifest.config.digest.substring(7)}".toString()))
assert armConfig.architecture == 'arm64' && armConfig.os == 'linux'
def amdConfig = json.parseText(tarRead("blobs/sha256/${image.platforms[0].imageId.substring(7)}".toString()))
assert amdConfig.architecture == 'amd64'
def baseLayer = armManifest.layers[0].digest.substring(7)
def (erc, elf) = run(['bash', '-c', 'set -o pipefail; tar -xOf target/imagegate/image.tar blobs/sha256/' + baseLayer
    + ' | tar -xzO --wildcards "./usr/lib/jvm/java-*-openjdk-arm64/bin/java" | head -c 20 | od -An -t u2 -j 18 -N 2 | tr -d " \\n"'])
assert elf.trim() == '183' : "the arm64 java's ELF machine: ${elf} (${erc})"

// push: the index and both manifests in both regions (skopeo reads them with the ECR token's credentials)
def push = json.parse(new File(out, 'push.json'))
assert push.digest == image.digest
regions.each { region, registry ->
  def (rc, raw) = run(['skopeo', 'inspect', '--raw', '--tls-verify=false', "docker://${registry}/it/two-platforms:${push.tag}".toString()], docker)
  assert rc == 0 : raw
  assert sha256(raw.getBytes('UTF-8')) == image.digest : "${region}: the tag does not point to the index"
  def index = json.parseText(raw)
  assert index.mediaType == 'application/vnd.oci.image.index.v1+json'
  assert index.manifests.collect { "${it.platform.os}/${it.platform.architecture}".toString() } == ['linux/amd64', 'linux/arm64']
  assert index.manifests*.digest == image.platforms*.digest
  image.platforms.each { p ->
    def (prc, praw) = run(['skopeo', 'inspect', '--raw', '--tls-verify=false', "docker://${registry}/it/two-platforms@${p.digest}".toString()], docker)
    assert prc == 0 : "${region} ${p.platform}: ${praw}"
  }
}

// sign: the index digest, in both regions, verified by the real cosign (by digest)
def sign = json.parse(new File(out, 'sign.json'))
assert sign.digest == image.digest
regions.values().each { registry ->
  def ref = "${registry}/it/two-platforms@${image.digest}".toString()
  def (rc, vout) = run(['cosign', 'verify', '--key', new File(basedir, 'target/keys/key.pub').absolutePath,
      '--insecure-ignore-tlog=true', '--allow-insecure-registry', ref], docker)
  assert rc == 0 : "cosign verify ${ref}: ${vout}"
  assert vout.contains(image.digest) : vout
}
assert log.contains("imagegate:sign ${image.digest} in 2 registries")
// verify-signature (goal 3) checked the index digest in both regions
regions.values().each { registry ->
  assert log.readLines().any { it.contains("imagegate:verify-signature ${registry}/it/two-platforms@${image.digest}: ") && it.contains('valid signature') } : registry
}
return true
