import groovy.json.JsonSlurper
import java.util.jar.JarFile

def log = new File(basedir, 'build.log').text
def head = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
def first = new JsonSlurper().parse(new File(basedir, 'first-build/image.json'))
def second = new JsonSlurper().parse(new File(basedir, 'target/imagegate/image.json'))

// the first build ran with repackaging on: the project's jar was Spring Boot's fat jar, and its Start-Class was taken,
// not its Main-Class (the launcher the issue's image failed with)
assert log.contains('Main class com.example.demo.DemoApplication (Start-Class of demo-0.0.1-SNAPSHOT.jar)') : 'first build: Start-Class'
// the second ran with repackaging off: the plain jar has no Main-Class, and the @SpringBootApplication class was found
def jar = new JarFile(new File(basedir, 'target/demo-0.0.1-SNAPSHOT.jar'))
assert jar.manifest.mainAttributes.getValue('Start-Class') == null : 'the second build must not repackage'
jar.close()
assert log.contains('Main class com.example.demo.DemoApplication (the only class with a main method)')
assert log.count('Leaving org.springframework.boot:spring-boot-devtools out of the image') == 2

// repackaging on or off, one image: two builds of one commit, one digest
assert second.digest ==~ /sha256:[0-9a-f]{64}/
assert first.digest == second.digest : "repackaging on and off gave different images: ${first.digest} vs ${second.digest}"
assert second.tag == "sha-${head}".toString()
assert second.user == '65532'

// the image's layout, read from the archive itself: dependency jars, resources and classes in separate layers, no fat
// jar, no devtools, the entrypoint starting the application's class with jib's class path
def unpacked = new File(basedir, 'target/unpacked')
def p = [new File(projectRoot, 'scripts/image-run').path, new File(basedir, 'target/imagegate/image.tar').path,
         '--unpack-only', unpacked.path].execute()
def unpackOut = p.text
assert p.waitFor() == 0 : unpackOut
def libs = new File(unpacked, 'app/libs').list() as List
assert libs.any { it.startsWith('spring-boot-actuator-autoconfigure-3.3.5') } : libs
assert libs.any { it.startsWith('spring-webmvc-') } : libs
assert libs.any { it.startsWith('tomcat-embed-core-') } : libs
assert !libs.any { it.startsWith('spring-boot-devtools') } : 'devtools must stay out'
assert !libs.any { it.startsWith('demo-') } : 'the project jar (fat or not) is not a library of itself'
assert !libs.any { it.startsWith('spring-boot-loader') }
assert new File(unpacked, 'app/classes/com/example/demo/DemoApplication.class').isFile()
assert new File(unpacked, 'app/resources/application.properties').isFile()
assert !new File(unpacked, 'app/classes/application.properties').exists()
assert !new File(unpacked, 'BOOT-INF').exists() && !new File(unpacked, 'app/BOOT-INF').exists()
def layers = second.layers.size()
assert layers >= 4 : "base + dependencies + resources + classes, got ${layers}"
// the entrypoint, from the archive's image config
def tarFile = new File(basedir, 'target/imagegate/image.tar').path
def blob = { String name -> def t = ['tar', '-xOf', tarFile, name].execute(); def text = t.text; assert t.waitFor() == 0 : name; text }
def json = new JsonSlurper()
def manifestDigest = json.parseText(blob('index.json')).manifests[0].digest
def configDigest = json.parseText(blob('blobs/sha256/' + manifestDigest.substring(7))).config.digest
def config = json.parseText(blob('blobs/sha256/' + configDigest.substring(7))).config
assert config.Entrypoint[-3..-1] == ['-cp', '/app/resources:/app/classes:/app/libs/*', 'com.example.demo.DemoApplication'] : config.Entrypoint
assert config.User == '65532'
assert config.ExposedPorts.keySet() == ['8080/tcp'] as Set
// the OCI labels: the commit, but no source inherited from spring-boot-starter-parent's <scm> (Spring Boot's own repository)
assert config.Labels['org.opencontainers.image.revision'] == head
assert config.Labels['org.opencontainers.image.version'] == '0.0.1-SNAPSHOT'
assert !config.Labels.containsKey('org.opencontainers.image.source') : config.Labels

// it really runs: under chroot as uid 65532, Spring Boot starts and actuator says UP
def cmd = [new File(projectRoot, 'scripts/image-run').path, new File(basedir, 'target/imagegate/image.tar').path,
           '--check-url', '/actuator/health', '--check-url', '/hello',
           '--expect-substring', '/actuator/health={"status":"UP"}',
           '--expect-substring', '/hello=hello from spring boot',
           '--expect-uid', '65532', '--timeout', '120']
def run = new ProcessBuilder(cmd).redirectErrorStream(true).start()
def out = run.inputStream.text
def rc = run.waitFor()
new File(basedir, 'image-run.log').text = out
assert rc == 0 : "image-run failed (exit ${rc}):\n${out.readLines().takeRight(40).join('\n')}"
assert out.contains('process uid=65532')
assert out.contains('Started DemoApplication')
assert !out.contains('ClassNotFoundException')
return true
