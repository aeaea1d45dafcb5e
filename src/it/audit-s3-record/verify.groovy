import groovy.json.JsonSlurper
import java.security.MessageDigest

def slurp = new JsonSlurper()
def bucket = new File(basedir, 'bucket.txt').text.trim()
def image = slurp.parse(new File(basedir, 'target/imagegate/image.json'))
def push = slurp.parse(new File(basedir, 'target/imagegate/push.json'))
def sign = slurp.parse(new File(basedir, 'target/imagegate/sign.json'))
def head = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
def log = new File(basedir, 'build.log').text

// what moto's S3 really holds, read back with boto3 (not with the plugin's code)
def s3 = { String key ->
  def py = '''
import boto3, json, os, sys
s3 = boto3.client("s3", endpoint_url=os.environ["IMAGEGATE_MOTO_URL"], region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
o = s3.get_object(Bucket=sys.argv[1], Key=sys.argv[2])
versions = s3.list_object_versions(Bucket=sys.argv[1], Prefix=sys.argv[2]).get("Versions", [])
print(json.dumps({"body": o["Body"].read().decode(), "etag": o["ETag"], "sse": o.get("ServerSideEncryption"), "versions": len(versions)}))
'''
  def p = ['python3', '-c', py, bucket, key].execute()
  def out = p.inputStream.text
  assert p.waitFor() == 0 : p.errorStream.text
  return slurp.parseText(out)
}

// 1. the record of mvn deploy
def key = "ci-push-audit/${head}.json".toString()
def stored = s3(key)
def record = slurp.parseText(stored.body)
assert stored.sse == 'AES256'
assert stored.versions == 1 : 'the second imagegate:audit must not rewrite the record'
assert record.schemaVersion == 1
assert record.sha == head
assert record.digest == image.digest
assert record.digest == push.digest
// push reached the registry without credentials (<auth>anonymous</auth>): that is who pushed, not the audit's own
// STS identity, which is recorded_by
assert record.pushed_by == 'anonymous' : record.pushed_by
assert record.pushed_by_auth == 'no credentials (auth anonymous)' : record.pushed_by_auth
assert push.pushedBy == 'anonymous' && push.targets[0].pushedBy == 'anonymous'
assert record.recorded_by ==~ /arn:aws:sts::123456789012:assumed-role\/imagegate-ci\/.+/ : record.recorded_by
assert record.repo == 'example/myapp'
assert record.workflow == 'deploy' && record.run_id == '4242' && record.run_attempt == '1'
assert record.ref == 'refs/heads/main' && record.actor == 'octocat'
assert record.s3_uri == "s3://${bucket}/${key}".toString()
assert record.pushed*.reference == push.targets*.reference
assert record.signed == true
assert record.signatures*.reference == sign.signatures*.reference
assert record.signatures*.signature_digest == sign.signatures*.signatureManifestDigest
assert record.signing_key.fingerprint == sign.key.fingerprint
assert record.scan == null : 'no scan ran: the record claims none'
// the signature the record names is really in the registry (skopeo reads the .sig manifest and we hash it)
record.signatures.each { s ->
  def repo = s.reference.substring(0, s.reference.indexOf('@'))
  def raw = ['skopeo', 'inspect', '--raw', '--tls-verify=false', "docker://${repo}:${s.signature_tag}".toString()].execute()
  def bytes = raw.inputStream.bytes
  assert raw.waitFor() == 0 : raw.errorStream.text
  assert 'sha256:' + MessageDigest.getInstance('SHA-256').digest(bytes).encodeHex().toString() == s.signature_digest
}
assert log.contains("imagegate:audit ${image.digest} recorded in s3://${bucket}/${key}")

// 2. the same digest again
assert log.contains("imagegate:audit ${image.digest} already recorded in s3://${bucket}/${key}")

// 3. the forged record is reported and left alone
assert log.contains("AUDIT CONFLICT: s3://${bucket}/forged/${head}.json already records commit ${head} as digest sha256:${'b' * 64}")
assert slurp.parseText(s3("forged/${head}.json").body).digest == "sha256:${'b' * 64}".toString()

// 4. unreachable S3: what is not recorded, and the command that completes it
assert log.contains('The audit record was NOT written: ')
assert log.contains("Pushed and signed but NOT recorded in s3://${bucket}/late/${head}.json (commit ${head}, digest ${image.digest})")
assert log.contains("  pushed: ${push.targets[0].reference}")
assert log.contains("  signed: ${sign.signatures[0].reference}")
def lines = log.readLines()
def at = lines.findIndexOf { it.contains('Then complete the record') }
assert at >= 0 : log
def recovery = lines[at + 1].replaceFirst(/^\[ERROR\]\s*/, '').trim()
assert recovery.startsWith("mvn -f ${new File(basedir, 'pom.xml').path} imagegate:audit -Dimagegate.audit.bucket=${bucket} -Dimagegate.audit.prefix=late")
assert recovery.endsWith("-Dimagegate.aws.roleArn=arn:aws:iam::123456789012:role/imagegate-ci -Dimagegate.aws.region=us-east-1 -Dimagegate.aws.endpoint=${System.getenv('IMAGEGATE_MOTO_URL')}") : recovery

// 5. the recovery run alone completed it; audit.json is the copy of what S3 holds
def late = s3("late/${head}.json".toString())
assert slurp.parseText(late.body).digest == image.digest
assert new File(basedir, 'target/imagegate/audit.json').text == late.body
// readable logs (issue 16.7): imagegate's lines within 120 characters, full digests only in summary lines and failures
def checkLogLines = evaluate(new File(projectRoot, 'src/it/common/log-lines.groovy'))
checkLogLines(new File(basedir, 'build.log'))
return true
