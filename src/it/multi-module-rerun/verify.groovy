import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import java.time.LocalDateTime
import java.util.concurrent.TimeUnit
import java.util.zip.ZipFile

def log = new File(basedir, 'build.log').text
def env = System.getenv()
def regions = ['us-east-1': env.IMAGEGATE_REGISTRY_US_EAST_1, 'us-west-2': env.IMAGEGATE_REGISTRY_US_WEST_2]
def bucket = new File(basedir, 'bucket.txt').text.trim()
def head = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
def json = new JsonSlurper()
def run = { List<String> cmd, Map<String, String> extra = [:] ->
  def pb = new ProcessBuilder(cmd).directory(basedir).redirectErrorStream(true)
  pb.environment().putAll(extra)
  def p = pb.start()
  def out = p.inputStream.text
  assert p.waitFor(120, TimeUnit.SECONDS) : "${cmd.join(' ')} timed out"
  return [p.exitValue(), out]
}

// both runs went through deploy; the re-run did not trip over the tag
assert log.count('BUILD SUCCESS') == 2 : 'both deploys must succeed'
assert !log.contains('already points to') : 'the re-run must not find its tag on another digest'

// the sibling's own jar is not reproducible (no outputTimestamp): its entries carry the build's time ...
def libJar = new ZipFile(new File(basedir, 'lib/target/lib-1.0-SNAPSHOT.jar'))
assert libJar.entries().toList().every { it.timeLocal.year >= 2026 } : 'the fixture must build a non-reproducible jar'
libJar.close()
// ... and the image holds a re-packed copy with one fixed time, in its own layer
def repacked = new ZipFile(new File(basedir, 'service-a/target/imagegate/reactor-jars/lib-1.0-SNAPSHOT.jar'))
assert repacked.entries().toList().every { it.timeLocal == LocalDateTime.of(1980, 1, 1, 0, 0) }
assert repacked.getEntry('it/multi/lib/Greeting.class') != null
repacked.close()

// two runs of one commit: one image
def first = json.parse(new File(basedir, 'service-a/first-build/image.json'))
def second = json.parse(new File(basedir, 'service-a/target/imagegate/image.json'))
assert first.digest ==~ /sha256:[0-9a-f]{64}/
assert first.digest == second.digest : "the re-run built another image: ${first.digest} vs ${second.digest}"
assert second.tag == "sha-${head}".toString()
assert log.count("imagegate:build service-a:${second.tag} ${second.digest}") == 2

// push: the re-run found the tag on this digest in both registries and uploaded nothing
def push = json.parse(new File(basedir, 'service-a/target/imagegate/push.json'))
assert push.digest == second.digest
assert log.count("imagegate:push ${second.digest} to 2 target(s)") == 2
def work = new File(basedir, 'target/registry-check')
new File(work, 'docker').mkdirs()
def auth = "AWS:${env.IMAGEGATE_ECR_PASSWORD}".toString().bytes.encodeBase64().toString()
new File(work, 'docker/config.json').text = JsonOutput.toJson([auths: regions.values().collectEntries { [(it): [auth: auth]] }])
def docker = ['DOCKER_CONFIG': new File(work, 'docker').absolutePath, 'REGISTRY_AUTH_FILE': new File(work, 'docker/config.json').absolutePath]
regions.values().each { host ->
  def (rc, raw) = run(['skopeo', 'inspect', '--tls-verify=false', "docker://${host}/it/multi-rerun/service-a:${second.tag}".toString()], docker)
  assert rc == 0 : raw
  assert json.parseText(raw).Digest == second.digest : "${host}: ${raw}"
  // the signature holds, verified by the real cosign
  def (vrc, vout) = run(['cosign', 'verify', '--key', new File(basedir, 'signing-key.pub').absolutePath,
      '--insecure-ignore-tlog=true', '--allow-insecure-registry', "${host}/it/multi-rerun/service-a@${second.digest}".toString()], docker)
  assert vrc == 0 : vout
}
assert log.count("imagegate:sign ${second.digest} in 2 registries") == 2

// audit: one record, written by the first run; the re-run found it recording the same digest and kept it
def key = "ci-push-audit/${head}.json".toString()
assert log.contains("imagegate:audit s3://${bucket}/${key} already records ${second.digest}")
def (rc, body) = run(['python3', '-c', '''
import boto3, os, sys
s3 = boto3.client("s3", endpoint_url=os.environ["IMAGEGATE_MOTO_URL"], region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
versions = s3.list_object_versions(Bucket=sys.argv[1], Prefix=sys.argv[2]).get("Versions", [])
assert len(versions) == 1, versions
sys.stdout.write(s3.get_object(Bucket=sys.argv[1], Key=sys.argv[2])["Body"].read().decode())
''', bucket, key])
assert rc == 0 : body
assert json.parseText(body).digest == second.digest
assert !log.contains('AUDIT CONFLICT')
return true
