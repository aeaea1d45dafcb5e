import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def out = new File(basedir, 'target/imagegate')
def image = new JsonSlurper().parse(new File(out, 'image.json'))
def scan = new JsonSlurper().parse(new File(out, 'scan.json'))
// the key, split so that this file holds none
def keyId = 'AKIAT4NW2Q' + 'HZ7XKM5RPC'
def secretKey = 'Zq8Rm3Tx6Vb1Nw4Kp9Ld' + '2Hs7Gf5Jc0Ya3Ue6Oi8W'

// only the image scan ran: the git-level goal is not bound
assert !log.contains('imagegate:detect-secrets')
// run 1 failed naming the file inside the image and each line, and how to allow it
assert log.contains('imagegate:scan ' + image.digest + ' FAILED')
assert log.contains('contains 2 secrets')
assert log.contains('/app/resources/app.properties:3: AWS Access Key')
assert log.contains('/app/resources/app.properties:4: AWS Access Key')
assert log.contains('<allowedSecret>/app/resources/app.properties:80832a5e21f153fdccf68dac55231a0bb971ce2f</allowedSecret>')
// the secret itself is nowhere: not in the log, not in any report
assert !log.contains(keyId)
assert !log.contains(secretKey)
out.eachFile { f ->
  if (f.name.endsWith('.json') || f.name.endsWith('.sarif')) {
    assert !f.text.contains(keyId) : f.name
    assert !f.text.contains(secretKey) : f.name
  }
}
// run 2 (both allowed) passed; scan.json records the secrets as allowed, with the layer they are in
assert log.contains('imagegate:scan ' + image.digest + ' PASSED')
assert scan.digest == image.digest
assert scan.summary.passed == true
assert scan.summary.secrets == 0
assert scan.summary.secretsAllowed == 2
assert scan.policy.secrets == 'app'
assert scan.secrets.size() == 2
assert scan.secrets*.line == [3, 4]
assert scan.secrets.every { it.path == '/app/resources/app.properties' && it.type == 'AWS Access Key' && !it.blocking && it.allowedBy }
assert scan.secrets*.hashedSecret.sort() == ['582534ba181dc00f566c9e67d5fb4acfd56b5c00', '80832a5e21f153fdccf68dac55231a0bb971ce2f']
// the resources layer is one the build added, not a base layer
assert image.layers*.digest.contains(scan.secrets[0].layer)
assert image.layers*.digest.indexOf(scan.secrets[0].layer) >= 1
return true
