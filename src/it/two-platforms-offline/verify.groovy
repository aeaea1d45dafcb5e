import groovy.json.JsonSlurper

// build.log holds the two runs, in order; each starts with Maven's "Scanning for projects..."
def runs = new File(basedir, 'build.log').text.split(/\[INFO\] Scanning for projects\.\.\./).findAll { it.contains('BUILD ') }
assert runs.size() == 2 : "two Maven runs expected in build.log, found ${runs.size()}"
def (online, offline) = runs
def json = new JsonSlurper()

// 1. online: both platforms built, the caches filled
assert online.contains('BUILD SUCCESS')
def built = json.parse(new File(basedir, 'target/imagegate/image.json'))
assert built.platforms*.platform == ['linux/amd64', 'linux/arm64']
assert new File(basedir, 'target/osv-cache').list()?.length : 'the online scan filled no vulnerability database cache'
// jib's record of the base in its cache lists both platforms' images (jib alone kept only the one pulled last)
def records = []
new File(basedir, 'target/base-image-cache').eachFileRecurse { if (it.name == 'manifests_configs.json') records << it }
assert records.size() == 1 : "one record of the base image expected: ${records}"
assert json.parse(records[0]).manifestsAndConfigs.size() == 2 : records[0].text

// 2. mvn -o deploy: both platforms from the cached base, scanned, pushed and signed; the online build's index
assert offline.contains('BUILD SUCCESS') : offline
def out = new File(basedir, 'target/offline')
def image = json.parse(new File(out, 'image.json'))
assert image.mediaType == 'application/vnd.oci.image.index.v1+json'
assert image.digest == built.digest : "online ${built.digest}, offline ${image.digest}: the offline build must give the same index"
assert image.platforms*.digest == built.platforms*.digest
def scan = json.parse(new File(out, 'scan.json'))
def push = json.parse(new File(out, 'push.json'))
def sign = json.parse(new File(out, 'sign.json'))
assert scan.digest == image.digest && push.digest == image.digest && sign.digest == image.digest
assert scan.platforms*.platform == ['linux/amd64', 'linux/arm64']
assert offline =~ /Offline \(-o\): the base image .* comes from the base image cache/ : offline
assert !offline.contains('not in the base image cache')
assert !offline.toLowerCase().contains('delete') : 'no advice to delete a cache'
return true
