import groovy.json.JsonSlurper

def image = new JsonSlurper().parse(new File(basedir, 'target/imagegate/image.json'))
def head = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
def env = System.getenv()
def log = new File(basedir, 'build.log').text
assert log.contains("Tag sha-${head} on ${env.IMAGEGATE_REGISTRY}/it/push-tag-conflict already points to sha256:")
assert log.contains('imagegate never overwrites a tag')
assert !new File(basedir, 'target/imagegate/push.json').exists()
// the tag still names the other image
def p = ['skopeo', 'inspect', '--tls-verify=false', '--format', '{{.Digest}}', "docker://${env.IMAGEGATE_REGISTRY}/it/push-tag-conflict:sha-${head}".toString()].execute()
def digest = p.inputStream.text.trim()
assert p.waitFor() == 0
assert digest == env.IMAGEGATE_BASE_IMAGE.split('@')[1]
assert digest != image.digest
return true
