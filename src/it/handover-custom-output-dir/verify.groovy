import groovy.json.JsonSlurper

def slurp = new JsonSlurper()
def out = new File(basedir, 'target/handover')
def log = new File(basedir, 'build.log').text
def repository = new File(basedir, 'repository.txt').text.trim()
def registry = System.getenv('IMAGEGATE_REGISTRY')

// nothing went to the default directory
assert !new File(basedir, 'target/imagegate').exists()

// 1. sign read the SBOM and the scan result of this image from target/handover and attested both
assert !log.contains('No SBOM at') && !log.contains('No scan result at') : log
def image = slurp.parse(new File(out, 'image.json'))
def att = ['skopeo', 'inspect', '--raw', '--tls-verify=false', "docker://${registry}/${repository}:${image.digest.replace(':', '-')}.att".toString()].execute()
def raw = att.inputStream.text
assert att.waitFor() == 0 : att.errorStream.text
def types = slurp.parseText(raw).layers*.annotations*.predicateType
assert types.contains('https://cyclonedx.org/bom') : types
assert types.contains('https://cosign.sigstore.dev/attestation/vuln/v1') : types

// 2. the new build removed every later file of the earlier image; only the new image's files are there
assert log.contains("Removed what an earlier image left in ${out.path}: image.json, image.tar, scan.json, scan.sarif, sbom.cdx.json, push.json, sign.json, kyverno-policy.yaml") : log
['scan.json', 'scan.sarif', 'sbom.cdx.json', 'push.json', 'sign.json', 'kyverno-policy.yaml', 'audit.json', 'gitops.json'].each {
  assert !new File(out, it).exists() : "${it} of the earlier image is still there"
}
assert new File(out, 'image.json').isFile() && new File(out, 'image.tar').isFile()
return true
