import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import java.security.MessageDigest
import java.util.concurrent.TimeUnit

def env = System.getenv()
def json = new JsonSlurper()
def log = new File(basedir, 'build.log').text
def out = new File(basedir, 'target/imagegate')
def image = json.parse(new File(out, 'image.json'))
def push = json.parse(new File(out, 'push.json'))
def sign = json.parse(new File(out, 'sign.json'))
def audit = json.parse(new File(out, 'audit.json'))
def gitops = json.parse(new File(out, 'gitops.json'))
def roleArn = 'arn:aws:sts::123456789012:assumed-role/imagegate-ci/imagegate-4242-1'
def repo = 'it/github-actions-main'
def regions = ['us-east-1': env.IMAGEGATE_REGISTRY_US_EAST_1, 'us-west-2': env.IMAGEGATE_REGISTRY_US_WEST_2]
def password = env.IMAGEGATE_ECR_PASSWORD
assert password

def run = { File dir, List<String> cmd, Map<String, String> extra = [:] ->
  def pb = new ProcessBuilder(cmd).directory(dir).redirectErrorStream(true)
  pb.environment().putAll(extra)
  def p = pb.start()
  def text = p.inputStream.text
  assert p.waitFor(120, TimeUnit.SECONDS) : "${cmd.join(' ')} timed out"
  return [p.exitValue(), text.trim()]
}
def ok = { File dir, List<String> cmd, Map<String, String> extra = [:] ->
  def (rc, text) = run(dir, cmd, extra)
  assert rc == 0 : "${cmd.join(' ')}: ${text}"
  return text
}

// --- AWS credentials came from the run's OIDC token (audience sts.amazonaws.com), exchanged for the role
def oidcLines = new File(env.IMAGEGATE_OIDC_LOG).readLines()
def fresh = oidcLines.drop(new File(basedir, 'oidc-log-start.txt').text.trim() as int).collect { json.parseText(it) }
assert fresh.any { it.authorized && it.audience == 'sts.amazonaws.com' } : "no authorized OIDC token request: ${fresh}"
assert fresh.every { it.authorized } : "an OIDC request without the right bearer token: ${fresh}"
assert log.contains('GitHub Actions OIDC') || push.pushedBy == roleArn
assert push.pushedBy == roleArn : push.pushedBy

// --- the same digest in both regional registries, as stored (skopeo, the real client)
assert push.digest == image.digest
assert push.targets.size() == 2
def creds = "AWS:${password}".toString()
regions.each { region, host ->
  def raw = ok(basedir, ['skopeo', 'inspect', '--tls-verify=false', '--creds', creds, '--raw', "docker://${host}/${repo}:${image.tag}".toString()])
  def digest = 'sha256:' + MessageDigest.getInstance('SHA-256').digest(raw.getBytes('UTF-8')).encodeHex().toString()
  assert digest == image.digest : "${region}: ${digest}"
}

// --- the real cosign verifies the signature and the CycloneDX attestation in both regions
def work = new File(basedir, 'target/cosign-check')
new File(work, 'docker').mkdirs()
new File(work, 'docker/config.json').text =
    JsonOutput.toJson([auths: regions.values().collectEntries { [(it): [auth: creds.bytes.encodeBase64().toString()]] }])
def cosignEnv = ['DOCKER_CONFIG': new File(work, 'docker').absolutePath]
def pub = new File(basedir, 'cosign.pub').absolutePath
assert sign.digest == image.digest
regions.values().each { host ->
  def ref = "${host}/${repo}@${image.digest}".toString()
  def v = ok(work, ['cosign', 'verify', '--key', pub, '--insecure-ignore-tlog=true', '--allow-insecure-registry', ref], cosignEnv)
  assert v.contains(image.digest) : v
  def a = ok(work, ['cosign', 'verify-attestation', '--key', pub, '--type', 'cyclonedx', '--insecure-ignore-tlog=true',
                    '--allow-insecure-registry', ref], cosignEnv)
  assert a.contains('payload') : a
}

// --- the S3 audit record, read back from moto with boto3: every field, the assumed-role ARN
def (rc, recordText) = run(basedir, ['python3', '-c', '''
import sys, boto3
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="it-admin", aws_secret_access_key="it-admin")
print(s3.get_object(Bucket="imagegate-it-github-actions-main", Key="ci-push-audit/%s.json" % sys.argv[2])["Body"].read().decode())
''', env.IMAGEGATE_MOTO_URL, image.commit], ['AWS_SESSION_TOKEN': '', 'AWS_ENDPOINT_URL': env.IMAGEGATE_MOTO_URL])
assert rc == 0 : recordText
def record = json.parseText(recordText)
def fields = ['timestamp', 'repo', 'sha', 'digest', 'pushed_by', 'workflow', 'run_id', 'run_attempt', 'ref', 'actor',
              'schemaVersion', 'recorded_by', 'run_url', 'image', 'tags', 'pushed_at', 'pushed', 'base_image', 'scan',
              'signed', 'signatures', 'signing_key', 'plugin_version', 's3_uri']
fields.each { assert record[it] != null : "audit record field ${it} is missing: ${recordText}" }
assert record.repo == 'example/myapp'
assert record.sha == image.commit
assert record.digest == image.digest
assert record.pushed_by == roleArn
assert record.recorded_by == roleArn
assert record.workflow == 'ci' && record.run_id == '4242' && record.run_attempt == '1'
assert record.ref == 'refs/heads/main' && record.actor == 'octocat'
assert record.run_url == 'https://github.com/example/myapp/actions/runs/4242'
assert record.tags == [image.tag]
assert record.pushed*.region as Set == regions.keySet()
assert record.scan.passed == true
assert record.signed == true && record.signatures.size() == 2
assert record.s3_uri == "s3://imagegate-it-github-actions-main/ci-push-audit/${image.commit}.json".toString()
assert audit.digest == record.digest && audit.pushed_by == record.pushed_by

// --- the GitOps repository: exactly one new commit, with the tag in both values files
def bare = new File(env.IMAGEGATE_PEERS_DIR, 'git/gitops-github-actions-main.git')
def commits = ok(bare, ['git', 'rev-list', 'main']).readLines()
assert commits.size() == 2 : "seed + one commit expected: ${commits}"
assert gitops.changed == true && gitops.commit == commits[0]
['dev', 'staging'].each { e ->
  def values = ok(bare, ['git', 'show', "main:apps/myapp/values-${e}.yaml".toString()])
  assert values.contains("tag: ${image.tag}")
  assert values.contains('tag: "1.2.3"') : 'another tag: must stay untouched'
  assert values.contains('# written by imagegate')
}
def changed = ok(bare, ['git', 'show', '--name-only', '--format=', 'main']).readLines().findAll { it } as Set
assert changed == ['apps/myapp/values-dev.yaml', 'apps/myapp/values-staging.yaml'] as Set

// --- the pull request with log4j-core 2.14.1 failed at the scan and pushed nothing
def pr = new File(basedir, 'pr-change/target/imagegate')
def prImage = json.parse(new File(pr, 'image.json'))
def prScan = json.parse(new File(pr, 'scan.json'))
assert prScan.digest == prImage.digest && prScan.summary.passed == false
assert prScan.findings.any { it.id == 'CVE-2021-44228' && it.blocking }
assert !new File(pr, 'push.json').exists() && !new File(pr, 'sign.json').exists() && !new File(pr, 'audit.json').exists()
def prLog = new File(basedir, 'pr-change/build.log')
def prText = prLog.exists() ? prLog.text : log
assert prText.contains('CVE-2021-44228 CRITICAL in org.apache.logging.log4j:log4j-core 2.14.1')
assert prText.contains('BUILD FAILURE')
regions.values().each { host ->
  def (prRc, prOut) = run(basedir, ['skopeo', 'inspect', '--tls-verify=false', '--creds', creds, '--raw',
                                    "docker://${host}/${repo}@${prImage.digest}".toString()])
  assert prRc != 0 : "the pull request's image must not be in ${host}"
  def tags = json.parseText(ok(basedir, ['skopeo', 'list-tags', '--tls-verify=false', '--creds', creds,
                                         "docker://${host}/${repo}".toString()])).Tags as Set
  def hex = image.digest.substring('sha256:'.length())
  assert tags.containsAll([image.tag, "sha256-${hex}.sig".toString(), "sha256-${hex}.att".toString()]) : "${host}: ${tags}"
  // nothing of the pull request: not its tag, not a signature of its digest (earlier runs of this story may have left
  // sha- tags of other fixture commits, all of the same reproducible main image)
  def prHex = prImage.digest.substring('sha256:'.length())
  assert !tags.contains(prImage.tag) && !tags.any { it.startsWith("sha256-${prHex}") } : "${host}: ${tags}"
}

// --- the job summary (GITHUB_STEP_SUMMARY): one section per goal, from the handover files
def summary = new File(basedir, 'step-summary.md').text
['build', 'scan', 'push', 'sign', 'audit', 'gitops-update'].each {
  assert summary.contains("### imagegate:${it} passed\n") : "no section for ${it}: ${summary}"
}
assert summary.contains("| `${image.name}:${image.tag}` | `${image.digest}` |") : summary
assert summary.contains('| 0 | 0 |') && !summary.contains('Blocking vulnerabilities') : summary
regions.each { region, host ->
  assert summary.contains("| ${region} | `${host}/${repo}` | `${image.digest}` |") : summary
  assert summary.contains("| `${host}/${repo}@${image.digest}` | `${sign.signatures.find { it.reference.startsWith(host) }.signatureTag}` |") : summary
}
assert summary.contains("Audit record `${record.s3_uri}` for `${image.digest}`") : summary
assert summary.contains("Committed `${gitops.commit}` on `main`") : summary
// build.log holds the main-branch run first (then, where invoker writes it there, the pull request's): deploy and
// gitops-update in ONE Maven run, as the workflow's step does, gitops-update after audit
def mainRuns = log.substring(0, log.indexOf('BUILD SUCCESS'))
assert mainRuns.indexOf('imagegate:audit ') > 0 && mainRuns.indexOf('imagegate:gitops-update done in') > mainRuns.indexOf('imagegate:audit ') : mainRuns
assert !summary.contains('::error') && !mainRuns.contains('::error') : 'the main build passed: no annotation'

// --- the pull request: an annotation on the pom line that adds log4j-core, the scan's failure, the summary's table
def prPom = new File(basedir, 'pr-change/pom.xml').readLines()
def log4jLine = prPom.findIndexOf { it.contains('<artifactId>log4j-core</artifactId>') } + 1
assert log4jLine > 0
def pluginArtifact = prPom.findIndexOf { it.contains('<artifactId>imagegate-maven-plugin</artifactId>') }
def pluginLine = (0..<pluginArtifact).findAll { prPom[it].trim() == '<plugin>' }.max() + 1  // the plugin's declaration
assert prText.contains("\n::error file=pom.xml,line=${log4jLine},title=CVE-2021-44228 CRITICAL in org.apache.logging.log4j%3Alog4j-core 2.14.1::") : prText
assert prText.contains("\n::error file=pom.xml,line=${pluginLine},title=imagegate%3Ascan failed::") : prText
def prSummary = new File(basedir, 'pr-change/step-summary.md').text
assert prSummary.contains('### imagegate:build passed') && prSummary.contains('### imagegate:scan failed') : prSummary
assert prSummary =~ /\| \[CVE-2021-44228\]\(https:\/\/osv\.dev\/vulnerability\/CVE-2021-44228\) \| CRITICAL \| org\.apache\.logging\.log4j:log4j-core \| 2\.14\.1 \| 2\.15\.0 \| \[`pom\.xml:${log4jLine}`\]\(https:\/\/github\.com\/example\/myapp\/blob\/[0-9a-f]{40}\/pom\.xml#L${log4jLine}\) \|/ : prSummary
assert prSummary.contains('**Fix:**') : prSummary
// code scanning: the result is on that pom line, the jar in the image is its related location
def sarif = json.parse(new File(pr, 'scan.sarif'))
def log4jResult = sarif.runs[0].results.find { it.ruleId == 'CVE-2021-44228' }
assert log4jResult.locations[0].physicalLocation.artifactLocation.uri == 'pom.xml'
assert log4jResult.locations[0].physicalLocation.artifactLocation.uriBaseId == '%SRCROOT%'
assert log4jResult.locations[0].physicalLocation.region.startLine == log4jLine
assert log4jResult.relatedLocations[0].physicalLocation.artifactLocation.uri.endsWith('log4j-core-2.14.1.jar')

// --- readable logs: imagegate's INFO/WARNING lines (and their indented continuation lines) within 120 characters, where
// an identifier a user copies whole (digest, commit, path, URL, image reference, ARN) counts as 12 (dev.imagegate.LogLine)
def width = { String line ->
  def words = line.split(' ', -1)
  words.sum { w -> (w.contains('/') || w ==~ /.*[0-9a-f]{40}.*/ || w ==~ /[^:]+:[^:\s]+:.*/ || w.startsWith('arn:')) ? Math.min(w.length(), 12) : w.length() } + words.size() - 1
}
[log, prText].each { text ->
  def inImagegate = false
  text.eachLine { line ->
    if (line.startsWith('[INFO] --- ')) { inImagegate = line.contains('imagegate'); return }
    if (line ==~ /\[INFO\] (BUILD .*|Total time.*|-+)/) { inImagegate = false }
    if (inImagegate && (line ==~ /\[(INFO|WARNING)\] .*/ || line.startsWith('  '))) {
      assert width(line) <= 120 : "a log line of ${width(line)} characters: ${line}"
    }
  }
}

// secrets never reach the log
[password, env.IMAGEGATE_GIT_PASSWORD, env.IMAGEGATE_OIDC_REQUEST_TOKEN, 'it-cosign-password'].each {
  assert !log.contains(it) && !prText.contains(it) : 'a secret was logged'
}
return true
