import groovy.json.JsonSlurper

// build.log holds the four runs, in order; each starts with Maven's "Scanning for projects..."
def runs = new File(basedir, 'build.log').text.split(/\[INFO\] Scanning for projects\.\.\./).findAll { it.contains('BUILD ') }
assert runs.size() == 4 : "four Maven runs expected in build.log, found ${runs.size()}"
def (online, offline, missingBase, missingDatabase) = runs
def json = new JsonSlurper()

// 1. online: the caches are filled
assert online.contains('BUILD SUCCESS')
assert new File(basedir, 'target/base-image-cache').list()?.length : 'the online build filled no base image cache'
assert new File(basedir, 'target/osv-cache').list()?.length : 'the online scan filled no vulnerability database cache'

// 2. mvn -o deploy: built from the cached base, scanned with the cached database, pushed and signed
assert offline.contains('BUILD SUCCESS') : offline
def out = new File(basedir, 'target/imagegate')
def image = json.parse(new File(out, 'image.json'))
def scan = json.parse(new File(out, 'scan.json'))
def push = json.parse(new File(out, 'push.json'))
def sign = json.parse(new File(out, 'sign.json'))
assert scan.digest == image.digest && push.digest == image.digest && sign.digest == image.digest
assert offline.contains('imagegate:build') && offline.contains('imagegate:push') && offline.contains('imagegate:sign')
// the run says what -o means for it, once per goal that still reaches a destination
assert offline =~ /Offline \(-o\): the base image .* comes from the base image cache/ : offline
assert offline =~ /Offline \(-o\): .*push/ : offline
assert !offline.contains('delete') : 'no advice to delete a cache'
// the offline build gives the online build's image: the same bytes
assert online =~ /imagegate:build [^ ]+ \Q${image.digest}\E/ : 'the offline build must give the digest of the online build'

// 3. nothing in the base image cache: the build says what is missing and the online command that caches it
assert missingBase.contains('BUILD FAILURE')
def base = System.getenv('IMAGEGATE_BASE_IMAGE')
assert missingBase.contains("The base image ${base} is not in the base image cache") : missingBase
assert missingBase.contains(new File(basedir, 'target/empty-base-cache').canonicalPath) : 'the message names the cache directory'
assert missingBase.contains('mvn imagegate:build') : 'the message gives the online command that fills the cache'
assert !missingBase.toLowerCase().contains('delete') : 'never the advice to delete the cache'
assert !missingBase.contains('Cannot run Jib in offline mode') : "jib's own words are translated"
assert !new File(basedir, 'target/missing-base/image.json').exists()

// 4. nothing in the vulnerability database cache: the scan says so and how to fill it
assert missingDatabase.contains('BUILD FAILURE')
assert missingDatabase.contains('The vulnerability database is not in the cache') : missingDatabase
assert missingDatabase.contains('the scan is offline')
assert !missingDatabase.toLowerCase().contains('delete')
assert !new File(basedir, 'target/missing-database/scan.json').exists()
return true
