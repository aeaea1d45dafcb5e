import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def json = new JsonSlurper()

// the reactor really ran in parallel, and Maven found every goal thread-safe
assert log.contains('MultiThreadedBuilder') && log.contains('thread count of 2') : 'the build must run with -T 2'
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
  images[m] = [image: image, scan: scan]
}
assert images['service-a'].image.digest != images['service-b'].image.digest : 'two services, two images'
assert images['service-a'].image.tag == images['service-b'].image.tag : 'one commit, one tag'
// service-a's image holds the reactor sibling it depends on
def sbomA = json.parse(new File(basedir, 'service-a/target/imagegate/sbom.cdx.json'))
assert sbomA.components.any { it.name == 'lib-plain' || (it.purl ?: '').contains('lib-plain') } : 'service-a must contain lib-plain'

// the module without the plugin, and the pom parent, are untouched
assert new File(basedir, 'lib-plain/target/lib-plain-1.0.jar').isFile()
assert !new File(basedir, 'lib-plain/target/imagegate').exists()
assert !new File(basedir, 'target/imagegate').exists()
assert !log.contains('imagegate:build lib-plain')

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
return true
