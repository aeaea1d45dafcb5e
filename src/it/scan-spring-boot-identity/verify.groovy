import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def out = new File(basedir, 'target/imagegate')
def image = new JsonSlurper().parse(new File(out, 'image.json'))
def scan = new JsonSlurper().parse(new File(out, 'scan.json'))

// What Maven resolved (maven-dependency-plugin:list): "   group:artifact:jar[:classifier]:version:scope[ -- module …]"
def resolved = [:]   // file name in the image -> groupId:artifactId:version
new File(basedir, 'target/resolved-dependencies.txt').eachLine { line ->
  def m = line.trim() =~ /^([^:\s]+):([^:\s]+):jar(?::([^:\s]+))?:([^:\s]+):(compile|runtime)\b/
  if (m.find()) {
    def (g, a, c, v) = [m.group(1), m.group(2), m.group(3), m.group(4)]
    resolved["${a}-${v}${c ? '-' + c : ''}.jar".toString()] = "${g}:${a}:${v}".toString()
  }
}
assert resolved.size() >= 20 : "spring-boot-starter-web resolves to a few dozen jars, got ${resolved}"
assert resolved['spring-web-' + resolved.find { it.value.startsWith('org.springframework:spring-web:') }.value.tokenize(':')[2] + '.jar']

// Every jar of the application in scan.json carries exactly the resolved GAV, whatever its own metadata says
def appJars = scan.jars.findAll { it.path.startsWith('app/') && !it.path.contains('!') }
def seen = [:]
appJars.each { j ->
  def name = j.path.substring(j.path.lastIndexOf('/') + 1)
  def want = resolved[name]
  assert want != null : "${j.path} is in the image but not among the resolved dependencies ${resolved.keySet()}"
  def got = "${j.groupId}:${j.artifactId}:${j.version}".toString()
  if (got == want) {
    seen[name] = j
  }
}
def wrong = appJars.findAll { j -> !seen.containsKey(j.path.substring(j.path.lastIndexOf('/') + 1)) }
assert wrong.isEmpty() : "jars with another identity than the resolved one: ${wrong}"
assert seen.keySet() == resolved.keySet() : "resolved but not identified in the image: ${resolved.keySet() - seen.keySet()}"
// a jar is listed once per identity it has; a jar bundling other libraries (shaded) also lists those, never a guess
assert scan.jars.every { !it.guess && it.identifiedBy != 'none' } : scan.jars.findAll { it.guess || it.identifiedBy == 'none' }
// the case the scan used to get wrong: no pom.properties, the MANIFEST says spring.web:spring-web
def springWeb = appJars.find { it.artifactId == 'spring-web' }
assert springWeb.groupId == 'org.springframework' && springWeb.identifiedBy == 'project' : springWeb
def byProject = appJars.count { it.identifiedBy == 'project' }
assert byProject >= 8 : "Spring Framework, Spring Boot, Micrometer and Tomcat jars have no pom.properties: ${byProject} named by the project"
assert scan.packages.jarsGuessed == 0
assert scan.packages.jarsUnidentified == 0
assert log.contains("imagegate:scan ${image.digest} PASSED")
assert log.contains('0 jars identified by guess, 0 jars not identified')

// the SBOM names them the same way, without a guess
def sbom = new JsonSlurper().parse(new File(out, 'sbom.cdx.json'))
assert sbom.components.any { it.purl == "pkg:maven/org.springframework/spring-web@${springWeb.version}" }
assert !sbom.components.any { c -> c.properties?.any { it.name == 'imagegate:identityGuessed' } }
println "scan-spring-boot-identity: ${appJars.size()} jars, ${byProject} named by the project's resolved artifacts"
return true
