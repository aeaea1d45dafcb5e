import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import java.util.concurrent.TimeUnit

def log = new File(basedir, 'build.log').text
def env = System.getenv()
def regions = ['us-east-1': env.IMAGEGATE_REGISTRY_US_EAST_1, 'us-west-2': env.IMAGEGATE_REGISTRY_US_WEST_2]
def bucket = new File(basedir, 'bucket.txt').text.trim()
def head = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
def run = { List<String> cmd, Map<String, String> extra = [:] ->
  def pb = new ProcessBuilder(cmd).directory(basedir).redirectErrorStream(true)
  pb.environment().putAll(extra)
  def p = pb.start()
  def out = p.inputStream.text
  assert p.waitFor(120, TimeUnit.SECONDS) : "${cmd.join(' ')} timed out"
  return [p.exitValue(), out]
}
// a Docker config with the ECR password (as after `aws ecr get-login-password | docker login`) for skopeo and cosign
def work = new File(basedir, 'target/registry-check')
new File(work, 'docker').mkdirs()
def auth = "AWS:${env.IMAGEGATE_ECR_PASSWORD}".toString().bytes.encodeBase64().toString()
new File(work, 'docker/config.json').text = JsonOutput.toJson([auths: regions.values().collectEntries { [(it): [auth: auth]] }])
def docker = ['DOCKER_CONFIG': new File(work, 'docker').absolutePath, 'REGISTRY_AUTH_FILE': new File(work, 'docker/config.json').absolutePath]
def json = new JsonSlurper()

// the reactor really ran in parallel, and Maven found every goal thread-safe
assert log.contains('MultiThreadedBuilder') && log.contains('thread count of 2') : 'the deploy must run with -T 2'
assert !log.contains('not marked as thread-safe') : 'every imagegate goal must be threadSafe'

// each service built its own image and scanned exactly that image
def images = [:]
['service-a', 'service-b'].each { m ->
  def out = new File(basedir, "${m}/target/imagegate")
  def image = json.parse(new File(out, 'image.json'))
  def scan = json.parse(new File(out, 'scan.json'))
  assert image.name == m : image.name
  assert image.tag ==~ /sha-[0-9a-f]{40}/
  assert image.digest ==~ /sha256:[0-9a-f]{64}/
  assert new File(out, 'image.tar').length() > 1000
  assert !new File(out, 'image.tar.partial').exists()
  assert scan.digest == image.digest : "${m}: scan.json is of another image"
  assert scan.summary.passed == true
  assert scan.os.family == 'debian'
  assert scan.packages.debian >= 8
  assert scan.database.source.endsWith('osv-zips')
  assert new File(out, 'sbom.cdx.json').length() > 100
  assert log.contains("imagegate:build ${m}:${image.tag} ${image.digest}")
  assert log.contains("imagegate:scan ${image.digest} PASSED")

  // push: both regions, this module's own repository, the scanned digest
  def push = json.parse(new File(out, 'push.json'))
  assert push.digest == image.digest
  assert push.targets.size() == 2
  assert push.targets*.registry as Set == regions.values() as Set
  assert push.targets.every { it.ecr == true && it.auth == 'ecr' } : push.targets
  regions.values().each { host ->
    // the registry really holds this module's image under its sha- tag, with its own digest (read back by skopeo)
    def (rc, raw) = run(['skopeo', 'inspect', '--tls-verify=false', "docker://${host}/it/multi-deploy/${m}:${image.tag}".toString()], docker)
    assert rc == 0 : raw
    assert json.parseText(raw).Digest == image.digest : "${host} ${m}: ${raw}"
  }
  assert log.contains("imagegate:push ${image.digest} to 2 target(s)")

  // sign: in both registries, verified by the real cosign with the reactor's public key
  def sign = json.parse(new File(out, 'sign.json'))
  assert sign.digest == image.digest
  def refs = sign.signatures*.reference as Set
  assert refs == regions.values().collect { "${it}/it/multi-deploy/${m}@${image.digest}".toString() } as Set : refs
  refs.each { ref ->
    def (rc, vout) = run(['cosign', 'verify', '--key', new File(basedir, 'signing-key.pub').absolutePath,
        '--insecure-ignore-tlog=true', '--allow-insecure-registry', ref], docker)
    assert rc == 0 : "cosign verify ${ref}: ${vout}"
    assert vout.contains(image.digest) : vout
  }
  assert log.contains("imagegate:sign ${image.digest} in 2 registries")

  // audit: this module's own record, beside the other module's, under the one commit
  def key = "ci-push-audit/${head}/${m}.json".toString()
  def (rc, body) = run(['python3', '-c', '''
import boto3, json, os, sys
s3 = boto3.client("s3", endpoint_url=os.environ["IMAGEGATE_MOTO_URL"], region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
versions = s3.list_object_versions(Bucket=sys.argv[1], Prefix=sys.argv[2]).get("Versions", [])
assert len(versions) == 1, versions
sys.stdout.write(s3.get_object(Bucket=sys.argv[1], Key=sys.argv[2])["Body"].read().decode())
''', bucket, key])
  assert rc == 0 : body
  def record = json.parseText(body)
  assert record.sha == head
  assert record.digest == image.digest
  assert record.image == m
  assert record.s3_uri == "s3://${bucket}/${key}".toString()
  assert record.pushed*.reference as Set == push.targets*.reference as Set
  assert record.signed == true && record.signatures*.reference as Set == refs
  assert record.scan.passed == true
  assert record.pushed_by ==~ /arn:aws:sts::123456789012:assumed-role\/imagegate-ci\/.+/ : record.pushed_by
  assert record.repo == 'example/platform' && record.run_id == '777'
  assert new File(out, 'audit.json').text == body : 'audit.json is the copy of what S3 holds'
  assert log.contains("imagegate:audit ${image.digest} recorded in s3://${bucket}/${key}")
  images[m] = [image: image, scan: scan]
}
assert images['service-a'].image.digest != images['service-b'].image.digest : 'two services, two images'
assert images['service-a'].image.tag == images['service-b'].image.tag : 'one commit, one tag'
// service-a's image holds the reactor sibling it depends on
def sbomA = json.parse(new File(basedir, 'service-a/target/imagegate/sbom.cdx.json'))
assert sbomA.components.any { it.name == 'lib-plain' || (it.purl ?: '').contains('lib-plain') } : 'service-a must contain lib-plain'

// exactly the two records of the two images under the commit's prefix, nothing else (no per-commit key, no overwrite)
def (lrc, listed) = run(['python3', '-c', '''
import boto3, os, sys
s3 = boto3.client("s3", endpoint_url=os.environ["IMAGEGATE_MOTO_URL"], region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
print("\\n".join(sorted(o["Key"] for o in s3.list_objects_v2(Bucket=sys.argv[1]).get("Contents", []))))
''', bucket])
assert lrc == 0 : listed
assert listed.readLines()*.trim().findAll() == ["ci-push-audit/${head}/service-a.json", "ci-push-audit/${head}/service-b.json"]*.toString() : listed
assert !log.contains('AUDIT CONFLICT')
assert !log.contains(env.IMAGEGATE_ECR_PASSWORD) : 'the ECR password must not be logged'

// the module without the plugin, and the pom parent, are untouched
assert new File(basedir, 'lib-plain/target/lib-plain-1.0.jar').isFile()
assert !new File(basedir, 'lib-plain/target/imagegate').exists()
assert !new File(basedir, 'target/imagegate').exists()
assert !log.contains('imagegate:build lib-plain')
assert !(log =~ /imagegate:(push|sign|audit) .*lib-plain/)

// the shared OSV cache: both scans used the same database generation, imported exactly once, complete, no debris
def osv = new File(basedir, 'shared-cache/osv')
def generations = osv.listFiles().findAll { it.isDirectory() && it.name.startsWith('gen-') }
assert generations.size() == 1 : "one database generation expected, found ${generations*.name}"
assert new File(osv, 'current').text.trim() == generations[0].name
assert !osv.listFiles().any { it.name.startsWith('download-') || it.name.endsWith('.tmp') } : osv.list()
assert log.count('Vulnerability database updated from') == 1 : 'the second scan must reuse what the first imported'
assert images['service-a'].scan.database.updatedAt == images['service-b'].scan.database.updatedAt
// the shared layer cache: complete, checksummed entries only (the base layers are common to both images)
def checkLayerCache = evaluate(new File(projectRoot, 'src/it/common/layer-cache.groovy'))
assert checkLayerCache(new File(basedir, 'shared-cache/scan-layers')) >= 2
// readable logs (issue 16.7): imagegate's lines within 120 characters, full digests only in summary lines and failures
def checkLogLines = evaluate(new File(projectRoot, 'src/it/common/log-lines.groovy'))
checkLogLines(new File(basedir, 'build.log'))
return true
