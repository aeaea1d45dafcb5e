import groovy.json.JsonSlurper

// Every container setting, read back from the image config with the real skopeo, and the image run under chroot as
// uid 65532 with them: the JVM flags (an @argfile from the extra directory among them), the arguments, the
// environment and the working directory show in the JVM's own -XshowSettings:properties output.
def app = new File(basedir, 'myapp')
def head = ['git', 'rev-parse', 'HEAD'].execute(null, basedir).text.trim()
def json = new JsonSlurper()
def first = json.parse(new File(app, 'first-build/image.json'))
def second = json.parse(new File(app, 'target/imagegate/image.json'))
def custom = json.parse(new File(app, 'entrypoint-build/image.json'))

// reproducible with every setting: two builds of one commit, one digest
assert second.digest ==~ /sha256:[0-9a-f]{64}/
assert first.digest == second.digest : "two builds of one commit differ: ${first.digest} vs ${second.digest}"
assert custom.digest != second.digest

def skopeo = { File archive ->
  def p = ['skopeo', 'inspect', '--config', "oci-archive:${archive.path}"].execute()
  def out = p.text
  assert p.waitFor() == 0 : "skopeo inspect --config failed for ${archive}"
  json.parseText(out)
}
def image = skopeo(new File(app, 'target/imagegate/image.tar'))
def config = image.config
assert config.Entrypoint == ['java', '-XX:MaxRAMPercentage=75', '-XshowSettings:properties', '-Dimagegate.story=container-settings',
                             '@/srv/myapp/config/jvm.options', '-cp', '/app/resources:/app/classes:/app/libs/*',
                             'dev.imagegate.examples.myapp.Main'] : config.Entrypoint
assert config.Cmd == ['--mode', 'container-settings']
assert config.Env.contains('AWS_REGION=us-west-2')
assert config.Env.contains('JDK_JAVA_OPTIONS=-Dfrom.environment=yes')
assert config.Env.any { it.startsWith('JAVA_HOME=') } : 'the base image environment stays'
assert config.WorkingDir == '/srv/myapp'
assert config.User == '65532'
assert config.Volumes.keySet() == ['/tmp', '/srv/myapp/data'] as Set
assert config.ExposedPorts.keySet() == ['8080/tcp', '9000/udp', '9001/udp'] as Set
assert config.Labels.team == 'payments'
assert config.Labels['org.opencontainers.image.source'] == 'https://github.com/acme/myapp'
assert config.Labels['org.opencontainers.image.revision'] == head
assert config.Labels['org.opencontainers.image.created'] == '2026-03-01T12:00:00Z'
assert config.Labels['org.opencontainers.image.created'] == image.created : 'one clock: the commit time'
assert config.Labels['org.opencontainers.image.version'] == '1.0.0-SNAPSHOT'
assert config.Labels['org.opencontainers.image.description'].startsWith('imagegate test base image') : 'base labels stay'

def customConfig = skopeo(new File(app, 'entrypoint-build/image.tar')).config
assert customConfig.Entrypoint == ['java', '-XshowSettings:properties', '-cp', '/app/resources:/app/classes:/app/libs/*',
                                   'dev.imagegate.examples.myapp.Main'] : customConfig.Entrypoint
assert customConfig.Cmd == ['--mode', 'container-settings']
def log = new File(basedir, 'build.log').text
assert log.contains('mainClass and jvmFlags are ignored when entrypoint is set')
assert log.contains("Extra directory ${app.canonicalPath}/src/main/image -> /srv/myapp (2 files)")
assert log.contains("Extra directory ${app.canonicalPath}/src/main/jib -> / (1 file)")

// the extra directories, as unpacked from the layers: modes from <permissions>, the excluded file left out
def unpacked = new File(basedir, 'unpacked')
def unpack = [new File(projectRoot, 'scripts/image-run').path, new File(app, 'target/imagegate/image.tar').path,
              '--unpack-only', unpacked.path].execute()
def unpackOut = unpack.text
assert unpack.waitFor() == 0 : unpackOut
def mode = { String path -> Integer.toOctalString(java.nio.file.Files.getAttribute(new File(unpacked, path).toPath(), 'unix:mode') & 0777) }
assert mode('srv/myapp/bin/check-health') == '755'
assert mode('srv/myapp/config/jvm.options') == '444'
assert mode('etc/myapp/banner.txt') == '644'
assert mode('srv/myapp/config') == '755'
assert !new File(unpacked, 'srv/myapp/config/override.local').exists()

def run = { File archive, List<String> expect, String logName ->
  def cmd = [new File(projectRoot, 'scripts/image-run').path, archive.path,
             '--check-url', '/health',
             '--expect-substring', '/health={"status":"healthy","region":"us-west-2"}',
             '--expect-uid', '65532', '--timeout', '90']
  def p = new ProcessBuilder(cmd).redirectErrorStream(true).start()
  def out = p.inputStream.text
  def rc = p.waitFor()
  new File(basedir, logName).text = out
  assert rc == 0 : "image-run failed (exit ${rc}):\n${out.readLines().takeRight(30).join('\n')}"
  assert out.contains('process uid=65532')
  expect.each { assert out.contains(it) : "${logName} lacks '${it}'" }
  out
}
def out = run(new File(app, 'target/imagegate/image.tar'), [
    'NOTE: Picked up JDK_JAVA_OPTIONS: -Dfrom.environment=yes',
    'from.environment = yes',
    'imagegate.story = container-settings',
    'myapp.options = from-extra-directory',
    'sun.java.command = dev.imagegate.examples.myapp.Main --mode container-settings',
    'user.dir = /srv/myapp',
    'myapp listening on 0.0.0.0:'], 'image-run.log')
def customOut = run(new File(app, 'entrypoint-build/image.tar'), [
    'sun.java.command = dev.imagegate.examples.myapp.Main --mode container-settings',
    'user.dir = /srv/myapp'], 'image-run-entrypoint.log')
assert !customOut.contains('imagegate.story = container-settings') : 'jvmFlags are not used with a custom entrypoint'
return true
