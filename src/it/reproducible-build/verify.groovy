import groovy.json.JsonSlurper

def first = new JsonSlurper().parse(new File(basedir, 'first-build/image.json'))
def second = new JsonSlurper().parse(new File(basedir, 'target/imagegate/image.json'))
def head = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()

assert second.digest ==~ /sha256:[0-9a-f]{64}/
assert first.digest == second.digest : "two builds of one commit differ: ${first.digest} vs ${second.digest}"
assert second.tag == "sha-${head}".toString()
assert second.tag ==~ /sha-[0-9a-f]{40}/
assert second.commit == head
assert second.user == '65532'
assert second.dirty == false
// the commit time (setup.groovy commits at 2026-03-01T12:00:00Z), not now and not 1970
assert second.created == '2026-03-01T12:00:00Z'
assert second.base.digest ==~ /sha256:[0-9a-f]{64}/
assert second.base.reference.endsWith(second.base.digest)
assert second.layers.size() >= 2
second.layers.each { assert it.digest ==~ /sha256:[0-9a-f]{64}/ && it.size > 0 }
assert new File(basedir, 'target/imagegate/image.tar').length() > 1000
def log = new File(basedir, 'build.log').text
assert log.contains("imagegate:build reproducible-build:sha-${head} ${second.digest}")
return true
